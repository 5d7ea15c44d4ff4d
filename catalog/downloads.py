"""Spreadsheet downloads (the API's list, the statistics' chart data) that open cleanly in Excel.

The CSV part is jipp's (jipp/downloads.py: a UTF-8 BOM, `?separator=semicolon`, formulas defused),
re-exported here; XLSX avoids both questions.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from jipp.downloads import BOM, SEPARATORS, csv_download, csv_separator, csv_text, safe_cell
from jipp.text import xml_safe

__all__ = [
    "BOM",
    "SEPARATORS",
    "XLSX_CONTENT_TYPE",
    "csv_download",
    "csv_separator",
    "csv_text",
    "safe_cell",
    "xlsx_bytes",
]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    """One sheet of `rows`; text stays text (never a formula), empty text an empty cell."""
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
    cell = WriteOnlyCell(sheet, value=xml_safe(value))
    cell.data_type = "s"  # openpyxl would store "=..." as a formula and "#N/A" as an error
    return cell
