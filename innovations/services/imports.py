"""Writes: bulk import of historical innovation records from a CSV or XLSX file (docs/import.md).

A file is all-or-nothing: every row is validated first, and nothing is written if any row is bad.
Errors are stored as codes and parameters (ImportBatch.errors) and rendered in the reader's language.

A run is safe to start any number of times, from any number of workers:
- `import_batch_run` claims the batch under its row lock; a batch that is finished, or running with a
  recent heartbeat (`updated_at`, touched with every progress step), is left alone.
- Imports that write (not dry runs) run one at a time across the hub: two uploads of one file, or two
  files naming the same record, would otherwise both create it. A batch that finds another one
  writing stays waiting; the task asks again a little later.
- The write phase commits in chunks of WRITE_CHUNK rows, so no transaction lasts long enough to hold
  up other writers, and the progress bar follows the writing. Every record written is linked to the
  batch (ImportBatch.records); a run that fails removes them, and a run that starts over removes
  what an earlier, interrupted run wrote. So the outcome stays all or nothing; while a large file is
  being written, records already written are public (they are the hub's own validated rows).
- A batch whose worker vanished (no heartbeat for STALE_AFTER) is found by `import_batches_sweep`
  (celery beat) and sent again, at most MAX_ATTEMPTS times; a file that stops the worker every time
  ends as failed. Any error inside a run marks the batch failed with a message, never "running".
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import hashlib
import io
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, TextChoices
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from jipp.models import Institution, Region, User
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
from ..parsing import name_key, parse_date, parse_rupiah, parse_whole_number
from ..search import fill_search_document
from ..signals import records_published
from ..slugs import innovation_slug_unique
from ..spreadsheets import MAX_ROWS, SpreadsheetError, csv_delimiter, is_xlsx, read_table
from ..validators import validate_video_url

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024
# processed_rows is written every this many rows: the progress bar moves without a write per row.
PROGRESS_EVERY = 25
# Rows written per transaction: a chunk takes a second or two, so other writers never wait long.
WRITE_CHUNK = 50
# A running batch whose heartbeat is older than this has lost its worker. Heartbeats come with every
# progress step (at most a chunk apart), so a live run is never taken for a dead one.
STALE_AFTER = dt.timedelta(minutes=3)
# A waiting batch that nobody took for this long is sent to the worker again (the broker was down, or
# the waiting task gave up).
RESEND_AFTER = dt.timedelta(minutes=1)
# Runs a batch may start; the next stop ends it as failed.
MAX_ATTEMPTS = 3

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
    "wilayah",
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
    "wilayah": "Majene",
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
    "tanggal_uji_coba": "01/03/2019",
    "tanggal_penerapan": "15 Januari 2020",
    "anggaran": "150.000.000",
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
    "unknown_institution": _(
        "There is no institution “%(value)s”. Write its code (for example majene-dinkes) or its name, "
        "as listed in the sheet “kode” of the template."
    ),
    "ambiguous_institution": _(
        "“%(value)s” could be several institutions (%(codes)s): write the code, or the region in the column wilayah."
    ),
    "no_institution": _("Give the institution code in this column, or choose a default institution."),
    "institution_without_region": _("The institution “%(value)s” has no region, so it cannot own a record."),
    "unknown_region": _(
        "There is no region “%(value)s”; write a regency of West Sulawesi, for example Majene or Polman."
    ),
    "institution_outside_region": _("The institution “%(institution)s” is in %(actual)s, not in “%(value)s”."),
    "bad_date": _(
        "“%(value)s” is not a date; write it as 31/12/2024, 31 Desember 2024 or 2024-12-31, or only the year (2024)."
    ),
    "date_order": _("The implementation date is before the trial date."),
    "bad_number": _("“%(value)s” is not an amount in whole rupiah; write it as 150.000.000 or Rp 150.000.000."),
    "bad_sdg": _("“%(value)s” is not an SDG goal; write its number from 1 to 17, for example 3 or SDG 3."),
    "unknown_category": _(
        "There is no category “%(value)s”; write its code, as listed in the sheet “kode” of the template."
    ),
    "bad_award": _("“%(value)s” is not an award written as year:competition:rank, for example 2014:kipp:top99."),
    "too_long": _("The text has %(length)s characters; at most %(limit)s are allowed."),
    "bad_url": _("Give a video link that starts with https://, for example a YouTube link."),
    "missing_columns": _("The header row lacks the columns: %(columns)s."),
    "empty_file": _("The file has no rows under the header."),
    "too_many_rows": _("The file has more than %(limit)s rows; split it into several files."),
    "unreadable": _("The file cannot be read as CSV (UTF-8) or XLSX."),
    "already_imported": _("This file was already imported on %(date)s."),
    "duplicate_in_file": _("The same title for the same institution appears in row %(row)s."),
    "being_imported": _("The same file is being imported right now (import #%(batch)s); its result will show there."),
    "internal": _(
        "The import stopped because of an unexpected error, and nothing was imported. Upload the file again "
        "later; if this happens again, tell the portal's administrator (import #%(batch)s)."
    ),
    "stopped_repeatedly": _(
        "The import stopped %(attempts)s times before it could finish, so nothing was imported. "
        "Split the file into smaller files, or tell the portal's administrator (import #%(batch)s)."
    ),
}


def error_message(error: dict[str, Any]) -> str:
    """The message of one stored error, in the active language."""
    template = ERROR_MESSAGES.get(error.get("code", ""), _("Invalid value."))
    return str(template) % error.get("params", {})


@dataclass
class RowResult:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


def normalise_title(title: str) -> str:
    return " ".join(title.split()).casefold()


def file_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


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


# Budgets are DecimalField(max_digits=15).
_MAX_BUDGET = Decimal(10**15)
# "SDG 3", "SDGs 3", "TPB 3", "Tujuan 3", "Goal 3" or "3", then optionally ".0" or its name.
_SDG_NUMBER = re.compile(
    r"(?:(?:sdgs?|tpb|tujuan|goal)\s*(?:ke\s*-?\s*)?)?([0-9]{1,2})(?:[.,]0+)?(?=$|\s|[:)-]|\.(?:\s|$))"
)


def _amount(value: str) -> Decimal | None:
    """Whole rupiah, read by the parser the record form uses; cents or an amount too large are refused."""
    amount = parse_rupiah(value)
    if amount is None or amount != amount.to_integral_value() or amount >= _MAX_BUDGET:
        return None
    return amount


@dataclass
class Lookups:
    institutions: dict[str, Institution]
    institutions_by_name: dict[str, list[Institution]]
    regions: dict[str, Region]
    categories: dict[str, Category]
    sdgs: dict[int, SDG]
    sdgs_by_name: dict[str, SDG]
    default_institution: Institution | None


def _lookups(default_institution: Institution | None) -> Lookups:
    institutions = list(Institution.objects.select_related("region").order_by("code"))
    by_name: dict[str, list[Institution]] = {}
    for institution in institutions:
        by_name.setdefault(name_key(institution.name), []).append(institution)
    regions: dict[str, Region] = {}
    for region in Region.objects.all():
        for key in (name_key(region.name), region.bps_code, region.kemendagri_code):
            regions[key] = region
    categories: dict[str, Category] = {}
    for category in Category.objects.all():
        categories.update({name_key(category.name_id): category, name_key(category.name_en): category})
        categories[category.slug.casefold()] = category
    sdgs = {sdg.number: sdg for sdg in SDG.objects.all()}
    return Lookups(
        institutions={institution.code.casefold(): institution for institution in institutions},
        institutions_by_name=by_name,
        regions=regions,
        categories=categories,
        sdgs=sdgs,
        sdgs_by_name={name_key(name): sdg for sdg in sdgs.values() for name in (sdg.name_id, sdg.name_en)},
        default_institution=default_institution,
    )


Fail = Callable[..., None]


def _institution(row: dict[str, str], lookups: Lookups, fail: Fail) -> Institution | None:
    """The row's institution, by code or by name (short forms too), within its region if one is given."""
    region = None
    region_text = row.get("wilayah", "")
    if region_text:
        region = lookups.regions.get(name_key(region_text)) or lookups.regions.get(region_text.strip())
        if region is None:
            fail("wilayah", "unknown_region", value=region_text)
    text = row.get("kode_instansi", "")
    if not text:
        institution = lookups.default_institution
        if institution is None:
            fail("kode_instansi", "no_institution")
            return None
    elif (institution := lookups.institutions.get(text.casefold())) is None:
        candidates = lookups.institutions_by_name.get(name_key(text), [])
        if region is not None:
            # "Dinas Kesehatan" in the region Polman is "Dinas Kesehatan Kabupaten Polewali Mandar".
            candidates = [candidate for candidate in candidates if candidate.region_id == region.pk] or (
                lookups.institutions_by_name.get(name_key(f"{text} {region.name}"), [])
            )
        if len(candidates) != 1:
            if candidates:
                codes = ", ".join(candidate.code for candidate in candidates)
                fail("kode_instansi", "ambiguous_institution", value=text, codes=codes)
            else:
                fail("kode_instansi", "unknown_institution", value=text)
            return None
        institution = candidates[0]
    if institution.region is None:
        fail("kode_instansi", "institution_without_region", value=institution.name)
        return None
    if region is not None and institution.region_id != region.pk:
        fail(
            "wilayah",
            "institution_outside_region",
            institution=institution.name,
            actual=institution.region.name,
            value=region_text,
        )
    return institution


def _sdg(value: str, lookups: Lookups) -> SDG | None:
    match = _SDG_NUMBER.match(" ".join(value.split()).casefold())
    if match:
        return lookups.sdgs.get(int(match.group(1)))
    return lookups.sdgs_by_name.get(name_key(value))


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
    values["institution"] = _institution(row, lookups, fail)
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
        parsed = parse_date(raw) if raw else None
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
        goal = _sdg(part, lookups)
        if goal is None:
            fail("sdg", "bad_sdg", value=part)
        else:
            values["sdgs"].append(goal)
    values["categories"] = []
    for part in _parts(row.get("kategori", "")):
        category = lookups.categories.get(part.casefold()) or lookups.categories.get(name_key(part))
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
    if len(pieces) != 3:
        return None
    year = parse_whole_number(pieces[0])
    competition = _choice(pieces[1], Award.Competition)
    rank = _choice(pieces[2], Award.Rank)
    if year is None or not 2000 <= year <= 2100 or competition is None or rank is None:
        return None
    return year, competition, rank


# --- Batches -------------------------------------------------------------------------------------


def _error(code: str, **params: Any) -> dict[str, Any]:
    """An error of the whole file or run, not of one row."""
    return {"row": None, "column": "", "code": code, "params": params}


def _already_imported(sha256: str) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(sha256=sha256, status=ImportBatch.Status.DONE, dry_run=False)
        .order_by("created_at")
        .first()
    )


@transaction.atomic
def import_batch_create(
    *, name: str, content: bytes, by: User | None, institution: Institution | None = None, dry_run: bool = False
) -> ImportBatch:
    """Store an uploaded file as a pending batch; `import_batch_run` then checks and imports it.

    `by` None is the command line (shell access to the server is already trusted); a user must be
    allowed to import. A file already imported successfully, or being imported right now, is refused
    at once.
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
    batch.file.save(
        f"{sha256[:16]}{'.xlsx' if name.lower().endswith('.xlsx') else '.csv'}", ContentFile(content), save=False
    )
    previous = _already_imported(sha256)
    running = (
        ImportBatch.objects.filter(sha256=sha256, dry_run=False, status__in=_UNFINISHED).order_by("pk").first()
        if not dry_run
        else None
    )
    if previous is not None:
        batch.status = ImportBatch.Status.FAILED
        batch.errors = [_error("already_imported", date=f"{previous.created_at:%Y-%m-%d}")]
    elif running is not None:
        batch.status = ImportBatch.Status.FAILED
        batch.errors = [_error("being_imported", batch=running.pk)]
    batch.save()
    return batch


_UNFINISHED = [ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING]


class _Claim(enum.Enum):
    START = "start"  # this run owns the batch now
    LEAVE = "leave"  # finished, or another run owns it
    WAIT = "wait"  # another import is writing; the batch stays pending
    GIVE_UP = "give_up"  # stopped too often: this run owns it only to end it


class _Superseded(Exception):
    """A later run took the batch over (this one was taken for dead), or it was finished elsewhere."""


def import_batch_run(*, batch_id: int, on_progress: Callable[[ImportBatch], None] | None = None) -> ImportBatch:
    """Validate every row of the batch, then (unless a dry run, and only if all are valid) write them.

    Idempotent: a batch that is done or refused, or that another run owns, is returned as it is; a
    batch that must wait for another import to finish writing is returned still pending. Any error
    ends the batch as failed, with what it wrote removed. `on_progress` is called after every
    progress step (a seam for tests).
    """
    batch, claim = _claim(batch_id)
    if claim is _Claim.GIVE_UP:
        return _abandon(batch, _error("stopped_repeatedly", attempts=batch.attempts - 1, batch=batch.pk))
    if claim is not _Claim.START:
        return batch
    try:
        _discard_records(batch)
        return _run(batch, on_progress)
    except _Superseded:
        return ImportBatch.objects.get(pk=batch.pk)
    except Exception:
        logger.exception("Import #%s stopped", batch.pk)
        return _abandon(batch, _error("internal", batch=batch.pk))


def _fresh(batch: ImportBatch, now: dt.datetime) -> bool:
    return batch.updated_at > now - STALE_AFTER


def _claim(batch_id: int) -> tuple[ImportBatch, _Claim]:
    """Decide, under row locks, what this run does with the batch (see import_batch_run)."""
    with transaction.atomic():
        scope = Q(pk=batch_id)
        if not ImportBatch.objects.filter(pk=batch_id, dry_run=True).exists():
            # Every import that writes and has not finished, locked in one order: two claims of
            # different batches meet here and decide one after the other.
            scope |= Q(dry_run=False, status__in=_UNFINISHED)
        locked = {batch.pk: batch for batch in ImportBatch.objects.select_for_update().filter(scope).order_by("pk")}
        batch = locked[batch_id]
        now = timezone.now()
        if batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
            return batch, _Claim.LEAVE
        if batch.status == ImportBatch.Status.RUNNING and _fresh(batch, now):
            return batch, _Claim.LEAVE
        if batch.attempts >= MAX_ATTEMPTS:
            return _own(batch), _Claim.GIVE_UP
        if not batch.dry_run:
            previous = _already_imported(batch.sha256)
            if previous is not None:
                batch.status = ImportBatch.Status.FAILED
                batch.errors = [_error("already_imported", date=f"{previous.created_at:%Y-%m-%d}")]
                batch.save(update_fields=["status", "errors", "updated_at"])
                return batch, _Claim.LEAVE
            others = (other for pk, other in locked.items() if pk != batch_id)
            if any(other.status == ImportBatch.Status.RUNNING and _fresh(other, now) for other in others):
                # Touched, so that the sweeper leaves it to the task that retries.
                batch.status = ImportBatch.Status.PENDING
                batch.save(update_fields=["status", "updated_at"])
                return batch, _Claim.WAIT
        batch.total_rows = batch.processed_rows = batch.written_rows = 0
        batch.errors = []
        return _own(batch), _Claim.START


def _own(batch: ImportBatch) -> ImportBatch:
    """Make the batch this run's: running, with a new attempt number that fences off earlier runs."""
    batch.status = ImportBatch.Status.RUNNING
    batch.attempts += 1
    batch.save()
    return batch


@transaction.atomic
def _heartbeat(batch: ImportBatch, **progress: int) -> None:
    """Save progress (and so the heartbeat), unless another run has taken the batch over."""
    _lock_own(batch)
    for name, value in progress.items():
        setattr(batch, name, value)
    batch.save(update_fields=[*progress, "updated_at"])


def _lock_own(batch: ImportBatch) -> None:
    """Lock the batch's row; raise _Superseded unless this run still owns it."""
    current = ImportBatch.objects.select_for_update().only("status", "attempts").get(pk=batch.pk)
    if current.status != ImportBatch.Status.RUNNING or current.attempts != batch.attempts:
        raise _Superseded


def _step(batch: ImportBatch, on_progress: Callable[[ImportBatch], None] | None, **progress: int) -> None:
    _heartbeat(batch, **progress)
    if on_progress is not None:
        on_progress(batch)


def _run(batch: ImportBatch, on_progress: Callable[[ImportBatch], None] | None) -> ImportBatch:
    try:
        with batch.file.open("rb") as handle:
            content = handle.read()
        table = read_table(name=batch.original_name, content=content)
        if "judul" not in table.header:
            raise SpreadsheetError("missing_columns", columns="judul")
    except SpreadsheetError as error:
        return _finish(batch, errors=[_error(error.code, **error.params)])
    _step(batch, on_progress, total_rows=len(table.rows), processed_rows=0)

    lookups = _lookups(batch.institution)
    results: list[RowResult] = []
    seen: dict[tuple[int, str], int] = {}
    for index, (number, cells) in enumerate(table.rows, start=1):
        row = {column: (cells[i] if i < len(cells) else "") for i, column in enumerate(table.header) if column}
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
        if index % PROGRESS_EVERY == 0 or index == len(table.rows):
            _step(batch, on_progress, processed_rows=index)
    errors = [error for result in results for error in result.errors]
    if errors:
        return _finish(batch, errors=errors)
    return _write(batch, results, on_progress)


@transaction.atomic
def _finish(batch: ImportBatch, *, errors: list[dict[str, Any]]) -> ImportBatch:
    _lock_own(batch)
    batch.status = ImportBatch.Status.FAILED
    batch.errors = errors
    batch.save(update_fields=["status", "errors", "updated_at"])
    return batch


def _existing_titles(institution_ids: Iterable[int]) -> set[tuple[int, str]]:
    rows = Innovation.objects.filter(institution_id__in=set(institution_ids), revision_of__isnull=True).values_list(
        "institution_id", "title"
    )
    return {(institution_id, normalise_title(title)) for institution_id, title in rows}


def _write(
    batch: ImportBatch, results: list[RowResult], on_progress: Callable[[ImportBatch], None] | None
) -> ImportBatch:
    existing = _existing_titles(result.values["institution"].pk for result in results)
    new = [
        result
        for result in results
        if (result.values["institution"].pk, normalise_title(result.values["title"])) not in existing
    ]
    skipped = len(results) - len(new)
    if not batch.dry_run:
        written = skipped
        for start in range(0, len(new), WRITE_CHUNK):
            chunk = new[start : start + WRITE_CHUNK]
            written += len(chunk)
            _write_chunk(batch, chunk, written=written)
            if on_progress is not None:
                on_progress(batch)
    with transaction.atomic():
        _lock_own(batch)
        _publish_written(batch, now=timezone.now())
        batch.status = ImportBatch.Status.DONE
        batch.written_rows = batch.total_rows
        batch.created_count = len(new)
        batch.skipped_count = skipped
        batch.errors = []
        batch.save(update_fields=["status", "written_rows", "created_count", "skipped_count", "errors", "updated_at"])
    return batch


def _write_chunk(batch: ImportBatch, chunk: list[RowResult], *, written: int) -> None:
    """Create the chunk's records in one short transaction, linked to the batch, as drafts: nobody
    outside the batch sees them until `_publish_written` makes the whole file public at once."""
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                _lock_own(batch)
                batch.records.add(*(_create_record(batch, result) for result in chunk))
                batch.written_rows = written
                batch.save(update_fields=["written_rows", "updated_at"])
            return
        except IntegrityError:
            # A record typed meanwhile took a slug between the check and the insert: once more,
            # with slugs chosen again.
            if attempt == 2:
                raise


def _create_record(batch: ImportBatch, result: RowResult) -> Innovation:
    values = dict(result.values)
    institution = values.pop("institution")
    sdgs, categories, awards = values.pop("sdgs"), values.pop("categories"), values.pop("awards")
    innovation = Innovation(
        **values,
        institution=institution,
        region=institution.region,
        slug=innovation_slug_unique(values["title"]),
        state=State.DRAFT,
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
    return innovation


def _publish_written(batch: ImportBatch, *, now: dt.datetime) -> None:
    """Publish every record the batch wrote, in one short transaction with the batch's completion.

    One UPDATE, however long the file: the public sees the whole file or none of it, and no writer
    waits on a long transaction. History rows are written in bulk since update() saves no history.
    """
    records = list(batch.records.filter(state=State.DRAFT))
    for record in records:
        record.state = State.PUBLISHED
        record.published_at = now
    bulk_update_with_history(
        records,
        Innovation,
        ["state", "published_at"],
        batch_size=500,
        default_user=batch.created_by,
        default_change_reason=f"impor #{batch.pk}",
    )
    records_published.send(sender=Innovation, pks=[record.pk for record in records])


def _discard_records(batch: ImportBatch) -> None:
    """Remove, chunk by chunk, the records an unfinished run of this batch wrote.

    A record somebody already started to replicate in the meantime is kept (unlinked): it is real now.
    """
    while True:
        with transaction.atomic():
            _lock_own(batch)
            ids = list(batch.records.values_list("pk", flat=True)[:WRITE_CHUNK])
            if not ids:
                return
            Innovation.objects.filter(pk__in=ids, replications__isnull=True).delete()
            batch.records.remove(*ids)
            batch.save(update_fields=["updated_at"])


def _abandon(batch: ImportBatch, error: dict[str, Any]) -> ImportBatch:
    """End a run that cannot finish: what it wrote is removed, and the batch is failed with `error`."""
    try:
        _discard_records(batch)
        return _finish(batch, errors=[error])
    except _Superseded:
        return ImportBatch.objects.get(pk=batch.pk)


def import_batches_sweep() -> list[int]:
    """Batches to send to the worker again, after marking those whose worker vanished.

    A running batch without a heartbeat for STALE_AFTER waits again (its next run removes what it
    wrote), or, after MAX_ATTEMPTS runs, ends as failed. A batch waiting for RESEND_AFTER (never sent,
    because the broker was down, or its task gave up waiting) is sent again. Idempotent.
    """
    now = timezone.now()
    resend = []
    stale = ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING, updated_at__lt=now - STALE_AFTER)
    for batch_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
            if batch.status != ImportBatch.Status.RUNNING or _fresh(batch, now):
                continue
            if batch.attempts < MAX_ATTEMPTS:
                batch.status = ImportBatch.Status.PENDING
                batch.save(update_fields=["status", "updated_at"])
                resend.append(batch.pk)
                continue
            _own(batch)
        logger.warning("Import #%s stopped %s times; giving up", batch.pk, batch.attempts - 1)
        _abandon(batch, _error("stopped_repeatedly", attempts=batch.attempts - 1, batch=batch.pk))
    waiting = ImportBatch.objects.filter(status=ImportBatch.Status.PENDING, updated_at__lt=now - RESEND_AFTER)
    waiting_ids = list(waiting.values_list("pk", flat=True))
    # Touched, so that the next sweep does not send them again before the worker had its chance.
    ImportBatch.objects.filter(pk__in=waiting_ids, status=ImportBatch.Status.PENDING).update(updated_at=now)
    return [*resend, *waiting_ids]


# --- Files for the official: the template and the annotated copy ----------------------------------

# The column the annotated copy adds; the importer ignores it, so a corrected copy can be uploaded as is.
ANNOTATION_COLUMN = "kesalahan_impor"
CODES_SHEET = "kode"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Columns that hold several values separated by ";": their list only suggests.
_MULTIPLE = {"sdg", "kategori"}


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow([EXAMPLE_ROW[column] for column in COLUMNS])
    # The BOM makes Excel open the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _code_lists() -> dict[str, list[tuple[str, str]]]:
    """Column -> (what to write, what it means), for every column with a fixed set of values."""
    lists = {
        column: [(code, str(label)) for code, label in choices.choices]
        for column, (_name, choices) in CHOICE_COLUMNS.items()
    }
    lists["kode_instansi"] = [
        (institution.code, institution.name)
        for institution in Institution.objects.filter(region__isnull=False).order_by("code")
    ]
    lists["wilayah"] = [(region.name, region.get_level_display()) for region in Region.objects.order_by("bps_code")]
    lists["sdg"] = [(str(sdg.number), sdg.name_id) for sdg in SDG.objects.order_by("number")]
    lists["kategori"] = [(category.slug, category.name_id) for category in Category.objects.order_by("slug")]
    lists["penghargaan (lomba)"] = [(code, str(label)) for code, label in Award.Competition.choices]
    lists["penghargaan (peringkat)"] = [(code, str(label)) for code, label in Award.Rank.choices]
    return lists


def template_xlsx() -> bytes:
    """The template: a header, an example row, a dropdown list on every column with a fixed set of
    values, and a sheet listing those values with their meaning (in Indonesian, like the header)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "inovasi"
    sheet.append(COLUMNS)
    sheet.append([EXAMPLE_ROW[column] for column in COLUMNS])
    sheet.freeze_panes = "A2"
    codes = workbook.create_sheet(CODES_SHEET)
    with translation.override("id"):
        lists = _code_lists()
        meaning = str(_("meaning"))
        prompt = str(_("Choose from the list; the sheet “kode” explains each value."))
        several = str(_("Several values are separated by “;”; the sheet “kode” explains each value."))
    for index, (column, entries) in enumerate(lists.items()):
        letter = get_column_letter(2 * index + 1)
        codes.cell(row=1, column=2 * index + 1, value=column)
        codes.cell(row=1, column=2 * index + 2, value=meaning)
        for row, (code, label) in enumerate(entries, start=2):
            codes.cell(row=row, column=2 * index + 1, value=code).data_type = "s"
            codes.cell(row=row, column=2 * index + 2, value=label).data_type = "s"
        if column not in COLUMNS or not entries:
            continue
        target = get_column_letter(COLUMNS.index(column) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"={CODES_SHEET}!${letter}$2:${letter}${len(entries) + 1}",
            allow_blank=True,
            # Names and short forms are accepted too, and several SDGs or categories: Excel warns, the
            # import decides.
            errorStyle="information" if column in _MULTIPLE else "warning",
            error=several if column in _MULTIPLE else prompt,
        )
        validation.add(f"{target}2:{target}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    codes.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_batch_annotated_copy(*, batch: ImportBatch) -> tuple[str, str, bytes] | None:
    """The uploaded file again, with a column ANNOTATION_COLUMN saying what is wrong in each row (in
    the active language) and, in an XLSX copy, the wrong cells marked: the official fixes it in Excel
    and uploads it again. Rows keep their numbers. None when no row has an error.

    Returns (file name, content type, content).
    """
    problems: dict[int, list[dict[str, Any]]] = {}
    for error in batch.errors:
        if error.get("row"):
            problems.setdefault(error["row"], []).append(error)
    if not problems:
        return None
    with batch.file.open("rb") as handle:
        content = handle.read()
    try:
        table = read_table(name=batch.original_name, content=content)
    except SpreadsheetError:
        return None
    header = list(table.header)
    if ANNOTATION_COLUMN not in header:
        header.append(ANNOTATION_COLUMN)
    at = header.index(ANNOTATION_COLUMN)
    rows = [(table.header_number, header)]
    for number, cells in table.rows:
        cells = [*cells, *[""] * (len(header) - len(cells))]
        cells[at] = "; ".join(
            f"{error['column']}: {error_message(error)}" if error["column"] else error_message(error)
            for error in problems.get(number, [])
        )
        rows.append((number, cells))
    stem = slugify(PurePath(batch.original_name).stem) or "impor"
    if is_xlsx(name=batch.original_name, content=content):
        marked = {
            (error["row"], header.index(error["column"]))
            for error in batch.errors
            if error.get("row") and error["column"] in header
        }
        return f"{stem}-kesalahan.xlsx", XLSX_CONTENT_TYPE, _annotated_xlsx(rows, marked=marked, annotation=at)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=csv_delimiter(content.decode("utf-8-sig")))
    previous = 0
    for number, cells in rows:
        for _blank in range(previous + 1, number):
            writer.writerow([])
        writer.writerow(cells)
        previous = number
    return f"{stem}-kesalahan.csv", "text/csv; charset=utf-8", ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _annotated_xlsx(rows: list[tuple[int, list[str]]], *, marked: set[tuple[int, int]], annotation: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bad = PatternFill(fill_type="solid", fgColor="FFC7CE")  # Excel's own fill for bad values
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "inovasi"
    for number, cells in rows:
        for index, text in enumerate(cells):
            if text:
                cell = sheet.cell(row=number, column=index + 1, value=text)
                # What was typed stays text: a title starting with "=" is not a formula.
                cell.data_type = "s"
    header_number = rows[0][0]
    for cell in sheet[header_number]:
        cell.font = Font(bold=True)
    for number, index in marked:
        sheet.cell(row=number, column=index + 1).fill = bad
    for number, _cells in rows[1:]:
        sheet.cell(row=number, column=annotation + 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions[get_column_letter(annotation + 1)].width = 80
    sheet.freeze_panes = f"A{header_number + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
