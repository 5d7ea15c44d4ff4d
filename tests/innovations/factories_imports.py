"""Files for the import tests: spreadsheets written part by part, as a hostile or odd producer would."""

import io
import zipfile

import pytest

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="inovasi" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
SHARED_STRINGS_REL = (
    '<Relationship Id="rId2" Target="sharedStrings.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)


def xlsx_of_parts(sheet_data: str, *, dimension: str = "", shared_strings: list[str] | None = None) -> bytes:
    """An XLSX whose first sheet holds `sheet_data` (the XML inside <sheetData>) verbatim."""
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        + (SHARED_STRINGS_REL if shared_strings is not None else "")
        + "</Relationships>"
    )
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{declared}<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared_strings is not None:
            items = "".join(f"<si><t>{text}</t></si>" for text in shared_strings)
            archive.writestr(
                "xl/sharedStrings.xml",
                '<?xml version="1.0" encoding="UTF-8"?>'
                f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{items}</sst>',
            )
    return buffer.getvalue()


def inline(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def hostile_xlsx() -> bytes:
    """The file of issue 11: a sheet declaring A1:XFD1048576, a header, and a cell in the last row."""
    return xlsx_of_parts(
        f'<row r="1">{inline("A1", "judul")}</row><row r="1048576">{inline("A1048576", "Inovasi di ujung")}</row>',
        dimension="A1:XFD1048576",
    )


def xlsx_rows(rows: list[list[str]], *, tail: str = "") -> bytes:
    """An XLSX of inline-string rows from row 1, with `tail` (raw XML) after the last row."""
    data = "".join(
        f'<row r="{number}">'
        + "".join(inline(f"{chr(65 + index)}{number}", text) for index, text in enumerate(cells) if text)
        + "</row>"
        for number, cells in enumerate(rows, start=1)
    )
    return xlsx_of_parts(data + tail)


@pytest.fixture
def unreachable_broker(monkeypatch):
    """Celery sends to a broker address where nothing listens (the broker is down), not eagerly."""
    from jipp.celery import app

    def forget_connections():
        app._pool = None
        if "amqp" in app.__dict__:
            app.amqp._producer_pool = None

    down = "redis://127.0.0.1:1/0"
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", down)
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = down, False
    forget_connections()
    yield
    app.conf.broker_url, app.conf.task_always_eager = saved
    forget_connections()


def xlsx_with_doctype() -> bytes:
    """An XLSX whose sheet declares an entity (the first step of an entity-expansion bomb)."""
    content = xlsx_of_parts(f'<row r="1">{inline("A1", "judul")}</row><row r="2">{inline("A2", "&big;")}</row>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE worksheet [<!ENTITY big "Inovasi besar">]>', 1)
            target.writestr(info, data)
    return buffer.getvalue()
