"""Writes: bulk import of historical innovation records from a CSV or XLSX file (docs/import.md).

A file is all-or-nothing: every row is validated first, and nothing is written if any row is bad.
Errors are stored as codes and parameters (ImportBatch.errors) and rendered in the reader's language.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jipp.models import Institution
from jipp.permissions import ensure_can

from ..models import (
    SDG,
    SECTION_LIMITS,
    Award,
    BudgetSource,
    Category,
    Form,
    GovernmentAffair,
    ImportBatch,
    Initiator,
    Innovation,
    Kind,
    Stage,
    State,
    SustainabilityStatus,
    WorkflowEvent,
)
from ..search import fill_search_document
from ..slugs import innovation_slug_unique
from ..validators import validate_video_url

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# processed_rows is written every this many rows: the progress bar moves without a write per row.
PROGRESS_EVERY = 25

# Template column -> (model field, kind of value). The order is the order of the template.
SECTION_COLUMNS = {
    "ringkasan": "summary",
    "latar_belakang": "background",
    "tujuan": "goals",
    "kebaruan": "novelty",
    "pelaksanaan": "implementation",
    "dampak": "significance",
    "adaptabilitas": "adaptability",
    "sumber_daya": "resources",
    "keberlanjutan": "sustainability",
    "kolaborasi": "collaboration",
}
CHOICE_COLUMNS: dict[str, tuple[str, type[TextChoices]]] = {
    "tahapan": ("stage", Stage),
    "jenis": ("kind", Kind),
    "bentuk": ("form", Form),
    "inisiator": ("initiator", Initiator),
    "urusan": ("government_affair", GovernmentAffair),
    "sumber_anggaran": ("budget_source", BudgetSource),
    "status_keberlanjutan": ("sustainability_status", SustainabilityStatus),
}
COLUMNS = [
    "judul",
    "kode_instansi",
    "unit",
    *SECTION_COLUMNS,
    "tahapan",
    "jenis",
    "bentuk",
    "inisiator",
    "urusan",
    "tanggal_uji_coba",
    "tanggal_penerapan",
    "anggaran",
    "sumber_anggaran",
    "sdg",
    "kategori",
    "tautan_video",
    "status_keberlanjutan",
    "penghargaan",
]
EXAMPLE_ROW = {
    "judul": "Layanan Antar Jemput Akta Kelahiran",
    "kode_instansi": "majene-disdukcapil",
    "unit": "Bidang Pelayanan Pencatatan Sipil",
    "ringkasan": "Petugas menjemput berkas dan mengantar akta kelahiran ke rumah warga di desa terpencil.",
    "latar_belakang": "Banyak warga desa pegunungan harus menempuh perjalanan jauh untuk mengurus akta.",
    "tujuan": "Meningkatkan cakupan kepemilikan akta kelahiran anak.",
    "kebaruan": "Pelayanan jemput bola terjadwal melalui kantor desa.",
    "pelaksanaan": "Jadwal kunjungan bulanan disepakati dengan kepala desa.",
    "dampak": "Cakupan akta kelahiran naik dari 71% menjadi 93% dalam dua tahun.",
    "adaptabilitas": "Dapat diterapkan oleh dinas lain dengan kendaraan operasional yang ada.",
    "sumber_daya": "Dua petugas dan satu kendaraan operasional.",
    "keberlanjutan": "Ditetapkan dengan Peraturan Bupati.",
    "kolaborasi": "Pemerintah desa, puskesmas dan kantor urusan agama.",
    "tahapan": "penerapan",
    "jenis": "non_digital",
    "bentuk": "pelayanan_publik",
    "inisiator": "opd",
    "urusan": "adminduk",
    "tanggal_uji_coba": "2019-03-01",
    "tanggal_penerapan": "2020-01-15",
    "anggaran": "150000000",
    "sumber_anggaran": "apbd",
    "sdg": "10;16",
    "kategori": "",
    "tautan_video": "https://www.youtube.com/watch?v=contoh",
    "status_keberlanjutan": "berlanjut",
    "penghargaan": "2021:kipp:top99",
}

# Error code -> message; params are filled in at display time, in the reader's language.
ERROR_MESSAGES: dict[str, Any] = {
    "required": _("This value is required."),
    "unknown_choice": _("“%(value)s” is not one of the allowed values: %(allowed)s."),
    "unknown_institution": _("There is no institution with the code “%(value)s”."),
    "no_institution": _("Give the institution code in this column, or choose a default institution."),
    "bad_date": _("“%(value)s” is not a date; write it as 2024-12-31 or 31/12/2024."),
    "date_order": _("The implementation date is before the trial date."),
    "bad_number": _("“%(value)s” is not a whole amount in rupiah."),
    "bad_sdg": _("“%(value)s” is not an SDG goal number from 1 to 17."),
    "unknown_category": _("There is no category “%(value)s”."),
    "bad_award": _("“%(value)s” is not an award written as year:competition:rank, for example 2014:kipp:top99."),
    "too_long": _("The text has %(length)s characters; at most %(limit)s are allowed."),
    "bad_url": _("Give a video link that starts with https://, for example a YouTube link."),
    "missing_columns": _("The header row lacks the columns: %(columns)s."),
    "empty_file": _("The file has no rows under the header."),
    "too_many_rows": _("The file has more than %(limit)s rows; split it into several files."),
    "unreadable": _("The file cannot be read as CSV (UTF-8) or XLSX."),
    "already_imported": _("This file was already imported on %(date)s."),
    "duplicate_in_file": _("The same title for the same institution appears in row %(row)s."),
}


def error_message(error: dict[str, Any]) -> str:
    """The message of one stored error, in the active language."""
    template = ERROR_MESSAGES.get(error.get("code", ""), _("Invalid value."))
    return str(template) % error.get("params", {})


class ImportFileError(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class RowResult:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


def normalise_title(title: str) -> str:
    return " ".join(title.split()).casefold()


def file_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- Reading -------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """A cell as the text a CSV of the same sheet would hold, so both formats validate alike."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(*, name: str, content: bytes) -> tuple[list[str], list[list[str]]]:
    """The header (lower-cased) and the data rows of a CSV or XLSX file, every cell as text."""
    if content.startswith(b"PK\x03\x04") or name.lower().endswith(".xlsx"):
        rows = _read_xlsx(content)
    else:
        rows = _read_csv(content)
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise ImportFileError("empty_file")
    header = [cell.strip().lower().lstrip("\ufeff") for cell in rows[0]]
    return header, rows[1:]


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError("unreadable") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return [
            [cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error:
        raise ImportFileError("unreadable") from None


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError("unreadable") from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


# --- Validation ----------------------------------------------------------------------------------


def _choice(value: str, choices: type[TextChoices]) -> str | None:
    wanted = " ".join(value.split()).casefold()
    # "pelayanan publik" and "pelayanan-publik" are the code pelayanan_publik as a person writes it.
    as_code = re.sub(r"[\s-]+", "_", wanted)
    for code, label in choices.choices:
        if as_code == code.casefold() or wanted == str(label).casefold():
            return code
    # Labels in Indonesian are accepted whatever the active language.
    from django.utils import translation

    with translation.override("id"):
        for code, label in choices.choices:
            if wanted == str(label).casefold():
                return code
    return None


def _date(value: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _amount(value: str) -> Decimal | None:
    # "Rp 150.000.000" and "150000000" are the same amount; a decimal part is refused.
    cleaned = re.sub(r"^rp\.?", "", value.strip().casefold()).replace(" ", "").replace(".", "")
    return Decimal(cleaned) if cleaned.isascii() and cleaned.isdigit() else None


@dataclass
class Lookups:
    institutions: dict[str, Institution]
    categories: dict[str, Category]
    sdgs: dict[int, SDG]
    default_institution: Institution | None


def _lookups(default_institution: Institution | None) -> Lookups:
    return Lookups(
        institutions={i.code.casefold(): i for i in Institution.objects.select_related("region")},
        categories={c.slug.casefold(): c for c in Category.objects.all()},
        sdgs={s.number: s for s in SDG.objects.all()},
        default_institution=default_institution,
    )


def validate_row(number: int, row: dict[str, str], lookups: Lookups) -> RowResult:
    result = RowResult(number=number)

    def fail(column: str, code: str, **params: Any) -> None:
        result.errors.append({"row": number, "column": column, "code": code, "params": params})

    values = result.values
    title = row.get("judul", "")
    if not title:
        fail("judul", "required")
    elif len(title) > 200:
        fail("judul", "too_long", length=len(title), limit=200)
    values["title"] = title
    code = row.get("kode_instansi", "")
    if code:
        institution = lookups.institutions.get(code.casefold())
        if institution is None:
            fail("kode_instansi", "unknown_institution", value=code)
    else:
        institution = lookups.default_institution
        if institution is None:
            fail("kode_instansi", "no_institution")
    values["institution"] = institution
    values["unit"] = row.get("unit", "")[:200]
    for column, field_name in SECTION_COLUMNS.items():
        text = row.get(column, "")
        if len(text) > SECTION_LIMITS[field_name]:
            fail(column, "too_long", length=len(text), limit=SECTION_LIMITS[field_name])
        values[field_name] = text
    for column, (field_name, choices) in CHOICE_COLUMNS.items():
        raw = row.get(column, "")
        code_value = _choice(raw, choices) if raw else ""
        if code_value is None:
            fail(column, "unknown_choice", value=raw, allowed=", ".join(choices.values))
        values[field_name] = code_value or ""
    for column, field_name in (("tanggal_uji_coba", "trial_date"), ("tanggal_penerapan", "implementation_date")):
        raw = row.get(column, "")
        parsed = _date(raw) if raw else None
        if raw and parsed is None:
            fail(column, "bad_date", value=raw)
        values[field_name] = parsed
    if values["trial_date"] and values["implementation_date"] and values["implementation_date"] < values["trial_date"]:
        fail("tanggal_penerapan", "date_order")
    raw = row.get("anggaran", "")
    values["budget"] = _amount(raw) if raw else None
    if raw and values["budget"] is None:
        fail("anggaran", "bad_number", value=raw)
    values["sdgs"] = []
    for part in _parts(row.get("sdg", "")):
        goal = int(part) if part.isascii() and part.isdigit() else 0
        if goal not in lookups.sdgs:
            fail("sdg", "bad_sdg", value=part)
        else:
            values["sdgs"].append(lookups.sdgs[goal])
    values["categories"] = []
    for part in _parts(row.get("kategori", "")):
        category = lookups.categories.get(part.casefold())
        if category is None:
            fail("kategori", "unknown_category", value=part)
        else:
            values["categories"].append(category)
    video = row.get("tautan_video", "")
    try:
        validate_video_url(video)
    except ValidationError:
        fail("tautan_video", "bad_url")
    values["video_url"] = video
    values["awards"] = []
    for part in _parts(row.get("penghargaan", "")):
        award = _award(part)
        if award is None:
            fail("penghargaan", "bad_award", value=part)
        else:
            values["awards"].append(award)
    return result


def _parts(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", value) if part.strip()]


def _award(value: str) -> tuple[int, str, str] | None:
    pieces = [piece.strip() for piece in value.split(":")]
    if len(pieces) != 3 or not (pieces[0].isascii() and pieces[0].isdigit()) or not 2000 <= int(pieces[0]) <= 2100:
        return None
    competition = _choice(pieces[1], Award.Competition)
    rank = _choice(pieces[2], Award.Rank)
    if competition is None or rank is None:
        return None
    return int(pieces[0]), competition, rank


# --- Batches -------------------------------------------------------------------------------------


def _already_imported(sha256: str) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(sha256=sha256, status=ImportBatch.Status.DONE, dry_run=False)
        .order_by("created_at")
        .first()
    )


@transaction.atomic
def import_batch_create(
    *, name: str, content: bytes, by: Any, institution: Institution | None = None, dry_run: bool = False
) -> ImportBatch:
    """Store an uploaded file as a pending batch; `import_batch_run` then checks and imports it.

    `by` None is the command line (shell access to the server is already trusted); a user must be
    allowed to import. A file already imported successfully is refused at once.
    """
    if by is not None:
        ensure_can(by, "innovations.import_innovations")
    sha256 = file_sha256(content)
    batch = ImportBatch(
        original_name=name[:255],
        sha256=sha256,
        institution=institution,
        dry_run=dry_run,
        created_by=by,
    )
    batch.file.save(f"{sha256[:16]}{'.xlsx' if name.lower().endswith('.xlsx') else '.csv'}", ContentFile(content))
    previous = _already_imported(sha256)
    if previous is not None:
        batch.status = ImportBatch.Status.FAILED
        batch.errors = [
            {
                "row": None,
                "column": "",
                "code": "already_imported",
                "params": {"date": f"{previous.created_at:%Y-%m-%d}"},
            }
        ]
    batch.save()
    return batch


def import_batch_run(*, batch_id: int, on_progress: Callable[[ImportBatch], None] | None = None) -> ImportBatch:
    """Validate every row of the batch, then (unless a dry run, and only if all are valid) write them.

    Idempotent: a batch that is done or refused is returned as it is.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
            return batch
        batch.status = ImportBatch.Status.RUNNING
        batch.save(update_fields=["status", "updated_at"])
    try:
        with batch.file.open("rb") as handle:
            content = handle.read()
        header, rows = read_rows(name=batch.original_name, content=content)
        missing = [column for column in ("judul",) if column not in header]
        if missing:
            raise ImportFileError("missing_columns", columns=", ".join(missing))
        if len(rows) > MAX_ROWS:
            raise ImportFileError("too_many_rows", limit=MAX_ROWS)
    except ImportFileError as error:
        return _finish(batch, errors=[{"row": None, "column": "", "code": error.code, "params": error.params}])
    ImportBatch.objects.filter(pk=batch.pk).update(total_rows=len(rows), processed_rows=0)
    batch.total_rows = len(rows)

    lookups = _lookups(batch.institution)
    results: list[RowResult] = []
    seen: dict[tuple[int, str], int] = {}
    for index, cells in enumerate(rows):
        number = index + 2  # the spreadsheet's own numbering: the header is row 1
        row = {column: (cells[i] if i < len(cells) else "") for i, column in enumerate(header) if column}
        result = validate_row(number, row, lookups)
        institution = result.values.get("institution")
        if institution is not None and result.values.get("title"):
            key = (institution.pk, normalise_title(result.values["title"]))
            if key in seen:
                result.errors.append(
                    {"row": number, "column": "judul", "code": "duplicate_in_file", "params": {"row": seen[key]}}
                )
            seen.setdefault(key, number)
        results.append(result)
        if (index + 1) % PROGRESS_EVERY == 0 or index + 1 == len(rows):
            batch.processed_rows = index + 1
            ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=batch.processed_rows)
            if on_progress is not None:
                on_progress(batch)
    errors = [error for result in results for error in result.errors]
    if errors:
        return _finish(batch, errors=errors)
    return _write(batch, results)


def _finish(batch: ImportBatch, *, errors: list[dict[str, Any]]) -> ImportBatch:
    batch.status = ImportBatch.Status.FAILED
    batch.errors = errors
    batch.save(update_fields=["status", "errors", "updated_at"])
    return batch


def _existing_titles(institution_ids: Iterable[int]) -> set[tuple[int, str]]:
    rows = Innovation.objects.filter(institution_id__in=set(institution_ids), revision_of__isnull=True).values_list(
        "institution_id", "title"
    )
    return {(institution_id, normalise_title(title)) for institution_id, title in rows}


@transaction.atomic
def _write(batch: ImportBatch, results: list[RowResult]) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportBatch.Status.DONE:
        # A redelivered task finished it meanwhile; the row lock makes this check reliable.
        return batch
    existing = _existing_titles(result.values["institution"].pk for result in results)
    created = skipped = 0
    now = timezone.now()
    for result in results:
        values = dict(result.values)
        institution = values.pop("institution")
        if (institution.pk, normalise_title(values["title"])) in existing:
            skipped += 1
            continue
        if batch.dry_run:
            created += 1
            continue
        sdgs, categories, awards = values.pop("sdgs"), values.pop("categories"), values.pop("awards")
        innovation = Innovation(
            **values,
            institution=institution,
            region=institution.region,
            slug=innovation_slug_unique(values["title"]),
            state=State.PUBLISHED,
            published_at=now,
            created_by=batch.created_by,
        )
        fill_search_document(innovation)
        innovation.save()
        innovation.sdgs.set(sdgs)
        innovation.categories.set(categories)
        Award.objects.bulk_create(
            Award(innovation=innovation, year=year, competition=competition, rank=rank)
            for year, competition, rank in set(awards)
        )
        WorkflowEvent.objects.create(
            innovation=innovation,
            actor=batch.created_by,
            from_state="",
            to_state=State.PUBLISHED,
            # Stored in the hub's working language, like the records themselves.
            comment=f"Diimpor dari {batch.original_name} (impor #{batch.pk}, baris {result.number})",
        )
        created += 1
    batch.status = ImportBatch.Status.DONE
    batch.created_count = created
    batch.skipped_count = skipped
    batch.errors = []
    batch.save(update_fields=["status", "created_count", "skipped_count", "errors", "updated_at"])
    return batch


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow([EXAMPLE_ROW[column] for column in COLUMNS])
    # The BOM makes Excel open the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "inovasi"
    sheet.append(COLUMNS)
    sheet.append([EXAMPLE_ROW[column] for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
