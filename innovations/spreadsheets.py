"""Reading the import's spreadsheets (CSV and XLSX) in bounded memory, whatever the file claims.

An XLSX file is a zip of XML parts, and nothing in it can be trusted: a 5 KB file may declare a sheet
of 16,384 columns by 1,048,576 rows, put one cell in its last row, or hide a gigabyte of XML behind a
small compressed size. A general reader (openpyxl) pads the rows between the cells it finds up to the
declared dimension, which is what killed the worker. This reader never builds rows it has not seen:
it streams the sheet's XML with expat, keeps the row numbers the sheet states (so errors name the row
the official sees, blank rows included), drops cells right of MAX_COLUMNS as it meets them, stops at
the first data row beyond MAX_ROWS, caps every cell at Excel's own length limit and every XML part at
a declared size, and refuses document type declarations (entity expansion). Declared dimensions are
ignored altogether.

Every cell comes back as text, as a CSV of the same sheet would hold it, with control characters
cleaned (`jipp.text.clean_text`), so both formats are validated by the same rules.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from xml.parsers import expat

from jipp.text import clean_text

MAX_ROWS = 5000
# The template has 28 columns; officials add a few of their own. Cells further right are ignored
# while reading, so a sheet cannot make a row wide.
MAX_COLUMNS = 100
# Excel's own limit for the text of one cell.
MAX_CELL_CHARS = 32767
# Declared (uncompressed) size of the XML parts read. The sheet is streamed, so its limit only bounds
# the time spent; shared strings are kept in memory, so theirs bounds memory.
MAX_SHEET_BYTES = 64 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
MAX_SHARED_STRINGS = MAX_ROWS * MAX_COLUMNS
MAX_OTHER_PART_BYTES = 4 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


class SpreadsheetError(Exception):
    """The file cannot be read as the import expects; `code` is an import error code."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Table:
    """The header (the first non-blank row) and the non-blank rows under it, numbered as the sheet
    numbers them (row 1 is the sheet's first row, blank rows count)."""

    header: list[str]
    header_number: int
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def is_xlsx(*, name: str, content: bytes) -> bool:
    return content.startswith(b"PK\x03\x04") or name.lower().endswith(".xlsx")


def csv_delimiter(text: str) -> str:
    """The separator of a CSV file: a semicolon (Excel in Indonesian) if its first line has more of them."""
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def read_table(*, name: str, content: bytes, max_rows: int = MAX_ROWS) -> Table:
    """The table of a CSV or an XLSX file (its first sheet); raises SpreadsheetError."""
    rows = _xlsx_rows(content) if is_xlsx(name=name, content=content) else _csv_rows(content)
    table: Table | None = None
    for number, cells in rows:
        cells = [clean_text(cell).strip() for cell in cells[:MAX_COLUMNS]]
        if not any(cells):
            continue
        if table is None:
            table = Table(header=[cell.lower().lstrip("\ufeff") for cell in cells], header_number=number)
            continue
        if len(table.rows) == max_rows:
            raise SpreadsheetError("too_many_rows", limit=max_rows)
        table.rows.append((number, cells))
    if table is None or not table.rows:
        raise SpreadsheetError("empty_file")
    return table


# --- CSV -----------------------------------------------------------------------------------------


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError("unreadable") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    try:
        # A record is a spreadsheet row (a quoted cell may span lines), blank ones included.
        yield from enumerate(reader, start=1)
    except csv.Error:
        raise SpreadsheetError("unreadable") from None


# --- XLSX ----------------------------------------------------------------------------------------

# Excel writes characters XML cannot hold (a control character pasted from Word) as _xHHHH_.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Built-in number formats that show a date (ECMA-376 18.8.30); custom ones are recognised by their code.
_BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 22, *range(27, 37), *range(50, 59)}
_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
_MAC_EPOCH = dt.datetime(1904, 1, 1)


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text) if "_x" in text else text


def _parser(
    *,
    start: Callable[[str, dict[str, str]], None] | None = None,
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
) -> Any:
    """An expat parser calling back with element names stripped of their namespace."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True

    def refuse(*_args: Any) -> None:
        raise SpreadsheetError("unreadable")

    # No part of a workbook has a document type; one could only be there to expand entities.
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    if start is not None:
        parser.StartElementHandler = lambda name, attrs: start(_local(name), attrs)
    if end is not None:
        parser.EndElementHandler = lambda name: end(_local(name))
    if text is not None:
        parser.CharacterDataHandler = text
    return parser


def _feed(parser: Any, stream: IO[bytes]) -> Iterator[None]:
    """Feed `stream` to `parser` chunk by chunk, pausing after each chunk."""
    try:
        while chunk := stream.read(CHUNK_BYTES):
            parser.Parse(chunk, False)
            yield
        parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, EOFError, ValueError):
        # A damaged part, or one whose real size or checksum differs from what the zip declares.
        raise SpreadsheetError("unreadable") from None


def _parse(stream: IO[bytes], **handlers: Any) -> None:
    for _chunk in _feed(_parser(**handlers), stream):
        pass


class _Package:
    def __init__(self, content: bytes) -> None:
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(content))
        except (zipfile.BadZipFile, ValueError):
            raise SpreadsheetError("unreadable") from None
        self.names = {info.filename.lstrip("/").casefold(): info for info in self.archive.infolist()}

    def open(self, path: str, *, limit: int) -> IO[bytes] | None:
        info = self.names.get(path.lstrip("/").casefold())
        if info is None:
            return None
        if info.file_size > limit:
            raise SpreadsheetError("unreadable")
        try:
            return self.archive.open(info)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError):
            raise SpreadsheetError("unreadable") from None

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part path) of `part`."""
        folder, base = posixpath.split(part)
        stream = self.open(posixpath.join(folder, "_rels", f"{base}.rels"), limit=MAX_OTHER_PART_BYTES)
        found: dict[str, tuple[str, str]] = {}
        if stream is None:
            return found

        def start(name: str, attrs: dict[str, str]) -> None:
            if name == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                found[attrs.get("Id", "")] = (attrs.get("Type", ""), posixpath.normpath(path))

        with stream:
            _parse(stream, start=start)
        return found


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    package = _Package(content)
    workbook_path = next(
        (target for kind, target in package.relationships("").values() if kind.endswith("/officeDocument")),
        "xl/workbook.xml",
    )
    workbook = _workbook(package, workbook_path)
    parts = package.relationships(workbook_path)
    if workbook["sheet"] not in parts:
        raise SpreadsheetError("unreadable")
    sheet_path = parts[workbook["sheet"]][1]
    shared: list[str] = []
    date_styles: set[int] = set()
    for kind, target in parts.values():
        if kind.endswith("/sharedStrings"):
            shared = _shared_strings(package, target)
        elif kind.endswith("/styles"):
            date_styles = _date_styles(package, target)
    stream = package.open(sheet_path, limit=MAX_SHEET_BYTES)
    if stream is None:
        raise SpreadsheetError("unreadable")
    epoch = _MAC_EPOCH if workbook["date1904"] else _WINDOWS_EPOCH
    with stream:
        yield from _SheetReader(shared=shared, date_styles=date_styles, epoch=epoch).rows(stream)


def _workbook(package: _Package, path: str) -> dict[str, Any]:
    stream = package.open(path, limit=MAX_OTHER_PART_BYTES)
    if stream is None:
        raise SpreadsheetError("unreadable")
    found: dict[str, Any] = {"sheet": None, "date1904": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == "sheet" and found["sheet"] is None:
            # The relationship id is the sheet's only namespaced "id" attribute (r:id).
            found["sheet"] = next((value for key, value in attrs.items() if key.endswith("}id")), "")
        elif name == "workbookPr":
            found["date1904"] = attrs.get("date1904", "").lower() in ("1", "true")

    with stream:
        _parse(stream, start=start)
    return found


class _TextCollector:
    """Collects the text of the elements it is told to, at most MAX_CELL_CHARS of it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.on = False

    def reset(self) -> None:
        self.parts, self.size, self.on = [], 0, False

    def text(self, data: str) -> None:
        if self.on and self.size < MAX_CELL_CHARS:
            data = data[: MAX_CELL_CHARS - self.size]
            self.parts.append(data)
            self.size += len(data)

    def value(self) -> str:
        return "".join(self.parts)


def _shared_strings(package: _Package, path: str) -> list[str]:
    stream = package.open(path, limit=MAX_SHARED_STRINGS_BYTES)
    strings: list[str] = []
    if stream is None:
        return strings
    collector = _TextCollector()
    phonetic = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal phonetic
        if name == "si":
            collector.reset()
        elif name == "rPh":
            phonetic += 1
        elif name == "t" and not phonetic:
            collector.on = True

    def end(name: str) -> None:
        nonlocal phonetic
        if name == "t":
            collector.on = False
        elif name == "rPh":
            phonetic -= 1
        elif name == "si":
            if len(strings) == MAX_SHARED_STRINGS:
                raise SpreadsheetError("unreadable")
            strings.append(_unescape(collector.value()))

    with stream:
        _parse(stream, start=start, end=end, text=collector.text)
    return strings


def _date_styles(package: _Package, path: str) -> set[int]:
    """Indexes of the cell styles (cellXfs) whose number format shows a date."""
    from openpyxl.styles.numbers import is_date_format

    stream = package.open(path, limit=MAX_OTHER_PART_BYTES)
    if stream is None:
        return set()
    custom: dict[int, str] = {}
    formats: list[int] = []
    inside = {"cellXfs": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == "numFmt":
            custom[_int(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            inside["cellXfs"] = True
        elif name == "xf" and inside["cellXfs"]:
            formats.append(_int(attrs.get("numFmtId")))

    def end(name: str) -> None:
        if name == "cellXfs":
            inside["cellXfs"] = False

    with stream:
        _parse(stream, start=start, end=end)
    return {
        index
        for index, number in enumerate(formats)
        if (is_date_format(custom[number]) if number in custom else number in _BUILTIN_DATE_FORMATS)
    }


def _int(value: str | None, default: int = 0) -> int:
    return int(value) if value and value.isdigit() and len(value) < 10 else default


def _column(reference: str) -> int:
    """The column number of a cell reference such as "AB12" (0 when there is none)."""
    number = 0
    for letter in reference:
        if not "A" <= letter <= "Z":
            break
        number = number * 26 + ord(letter) - 64
        if number > 16384:  # beyond Excel's last column XFD: not a reference
            return 0
    return number


class _SheetReader:
    """The rows of a worksheet part, streamed; memory holds one row of at most MAX_COLUMNS cells."""

    def __init__(self, *, shared: list[str], date_styles: set[int], epoch: dt.datetime) -> None:
        self.shared = shared
        self.date_styles = date_styles
        self.epoch = epoch
        self.collector = _TextCollector()
        self.done: list[tuple[int, list[str]]] = []
        self.row_number = 0
        self.cells: dict[int, str] = {}
        self.next_column = 1
        self.column = 0
        self.kind = ""
        self.style = 0
        self.in_cell = False
        self.phonetic = 0

    def rows(self, stream: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
        parser = _parser(start=self.start, end=self.end, text=self.collector.text)
        for _chunk in _feed(parser, stream):
            # Only the rows of one chunk are held; the caller may stop at any of them.
            yield from self.done
            self.done.clear()
        yield from self.done

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "row":
            self.row_number = _int(attrs.get("r"), self.row_number + 1)
            self.cells = {}
            self.next_column = 1
        elif name == "c":
            self.column = _column(attrs.get("r", "")) or self.next_column
            self.next_column = self.column + 1
            self.kind = attrs.get("t", "n")
            self.style = _int(attrs.get("s"))
            self.in_cell = True
            self.collector.reset()
        elif name == "rPh":
            self.phonetic += 1
        elif self.in_cell and (name == "v" or (name == "t" and not self.phonetic)):
            self.collector.on = True

    def end(self, name: str) -> None:
        if name in ("v", "t"):
            self.collector.on = False
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "c":
            self.in_cell = False
            if self.column <= MAX_COLUMNS:
                value = self.value(self.collector.value())
                if value:
                    self.cells[self.column] = value
        elif name == "row":
            if self.cells:
                width = max(self.cells)
                self.done.append((self.row_number, [self.cells.get(i, "") for i in range(1, width + 1)]))
            self.cells = {}

    def value(self, raw: str) -> str:
        if self.kind == "s":
            index = _int(raw.strip(), -1)
            if not 0 <= index < len(self.shared):
                raise SpreadsheetError("unreadable")
            return self.shared[index]
        if self.kind in ("inlineStr", "str", "e"):
            return _unescape(raw)
        if self.kind == "b":
            return "TRUE" if raw.strip() == "1" else "FALSE"
        if self.kind == "d":
            return raw.strip()[:10]
        return self.number(raw.strip())

    def number(self, raw: str) -> str:
        try:
            number = Decimal(raw)
        except InvalidOperation:
            return raw
        if not number.is_finite() or abs(number) > 10**15:
            return raw
        if self.style in self.date_styles:
            from openpyxl.utils.datetime import from_excel

            try:
                moment = from_excel(float(number), epoch=self.epoch)
            except (OverflowError, ValueError):
                return raw
            if isinstance(moment, dt.datetime):
                return moment.date().isoformat()
        if number == number.to_integral_value():
            return str(int(number))
        return format(number.normalize(), "f")
