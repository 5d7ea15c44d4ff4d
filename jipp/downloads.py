"""CSV and XLSX downloads that open cleanly in Excel, for every app.

Excel reads a CSV without a byte-order mark as the local ANSI code page, so "Pelayanan – Polewali"
comes out garbled: every CSV starts with a UTF-8 BOM. Excel set to Indonesian also splits columns
at ';' (the comma is the decimal mark there), so each CSV is offered with `?separator=semicolon`
too. XLSX avoids both questions.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse

from .text import xml_safe

BOM = "\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEPARATORS = {"comma": ",", "semicolon": ";"}
# Cells a spreadsheet would run as a formula are prefixed with an apostrophe in CSV.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_separator(query: Any) -> str:
    """The delimiter asked for in a request's query (`separator=semicolon`), a comma otherwise."""
    return SEPARATORS.get(query.get("separator", ""), ",")


def decimal_comma(value: Any) -> Any:
    """A fraction written with a decimal comma, as Excel set to Indonesian reads numbers (it takes
    the point for a thousands separator: "80.8000" would become 808000)."""
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    return value


def csv_text(rows: Iterable[Sequence[Any]], *, delimiter: str = ",") -> str:
    """The rows as CSV with a BOM; with the semicolon (for a decimal-comma locale) fractions are
    written with a decimal comma too."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=delimiter)
    local = delimiter == SEPARATORS["semicolon"]
    for row in rows:
        writer.writerow([decimal_comma(safe_cell(value)) if local else safe_cell(value) for value in row])
    return buffer.getvalue()


def csv_download(request: HttpRequest, filename: str) -> tuple[HttpResponse, Any]:
    """An attachment response already holding the BOM, and a csv writer into it using the separator
    the request asked for. Write rows through `safe_cell`, or use `csv_text`."""
    response = HttpResponse(BOM, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response, csv.writer(response, delimiter=csv_separator(request.GET))


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    """One sheet of `rows`; text stays text (never a formula), empty text an empty cell."""
    # Imported here: openpyxl (and lxml) add some 180 modules and 3 MB to every web worker at start,
    # for the few requests that ask for a spreadsheet.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=xml_safe(value))
    cell.data_type = "s"  # openpyxl would store "=..." as a formula and "#N/A" as an error
    return cell
