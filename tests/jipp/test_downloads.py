"""CSV and XLSX downloads that open cleanly in Excel (jipp.downloads)."""

import csv
import io
from decimal import Decimal

import openpyxl

from jipp.downloads import csv_text, xlsx_bytes


def test_csv_text_starts_with_bom_and_neutralises_formulas():
    text = csv_text([["label", "value"], ["=1+1", 2]], delimiter=";")
    assert (text[0], list(csv.reader(io.StringIO(text[1:]), delimiter=";"))) == (
        "\ufeff",
        [["label", "value"], ["'=1+1", "2"]],
    )


def test_xlsx_bytes_keep_text_as_text_and_drop_xml_illegal_characters():
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([["a", "b"], ["#N/A", "x\x0by"], [3, ""]], title="t"))).active
    assert (list(sheet.iter_rows(values_only=True)), sheet.cell(row=2, column=1).data_type) == (
        [("a", "b"), ("#N/A", "xy"), (3, None)],
        "s",
    )


def test_csv_text_with_semicolons_writes_fractions_with_a_decimal_comma():
    text = csv_text([["score", "count", "label"], [Decimal("80.8000"), 3, "1.5 km"], [-2.5, 0, "-1"]], delimiter=";")
    assert list(csv.reader(io.StringIO(text[1:]), delimiter=";")) == [
        ["score", "count", "label"],
        ["80,8000", "3", "1.5 km"],
        ["-2,5", "0", "'-1"],
    ]


def test_csv_text_with_commas_keeps_the_decimal_point():
    text = csv_text([[Decimal("80.8000")]])
    assert text[1:].strip() == "80.8000"
