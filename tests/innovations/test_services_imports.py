import csv
import datetime as dt
import io
import threading
import tracemalloc

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.utils import timezone, translation
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from innovations.models import Award, ImportBatch, Innovation, State, WorkflowEvent
from innovations.services import imports
from innovations.services.imports import (
    ANNOTATION_COLUMN,
    CHOICE_COLUMNS,
    COLUMNS,
    ERROR_MESSAGES,
    MAX_ATTEMPTS,
    RESEND_AFTER,
    STALE_AFTER,
    error_message,
    import_batch_annotated_copy,
    import_batch_create,
    import_batch_run,
    import_batches_sweep,
    template_csv,
    template_xlsx,
)
from innovations.spreadsheets import CHUNK_BYTES, MAX_ROWS, read_table
from tests.factories import InstitutionFactory, regency
from tests.innovations.factories_imports import hostile_xlsx, inline, xlsx_of_parts, xlsx_rows, xlsx_with_doctype
from tests.innovations.factories_network import NetworkInnovationFactory, import_csv, import_xlsx

pytestmark = pytest.mark.django_db


def good_rows(code: str) -> list[dict[str, str]]:
    return [
        {
            "judul": "Posyandu Digital",
            "kode_instansi": code,
            "ringkasan": "Pencatatan posyandu dengan aplikasi.",
            "tahapan": "Penerapan",
            "jenis": "DIGITAL",
            "sdg": "3;5",
            "tanggal_uji_coba": "01/02/2020",
            "tanggal_penerapan": "2021-03-04",
            "anggaran": "Rp 150.000.000",
            "penghargaan": "2014:kipp:top99",
        },
        {"judul": "Sekolah Lapang Gizi", "kode_instansi": code, "bentuk": "pelayanan publik"},
    ]


def run(content: bytes, name: str = "data.csv", by=None, **kwargs) -> ImportBatch:
    batch = import_batch_create(name=name, content=content, by=by, **kwargs)
    return import_batch_run(batch_id=batch.pk)


def stale(batch: ImportBatch, *, attempts: int) -> None:
    """The batch was running when its worker died, long enough ago for the sweeper to notice."""
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING, attempts=attempts, updated_at=timezone.now() - STALE_AFTER * 2
    )


def in_other_thread(function):
    """What `function` returns on another database connection (it sees only committed rows)."""
    result = []

    def target():
        try:
            result.append(function())
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return result[0]


def test_import_creates_published_records(institution):
    batch = run(import_csv(good_rows(institution.code)))
    assert (batch.status, batch.created_count) == (ImportBatch.Status.DONE, 2)
    assert set(Innovation.objects.values_list("state", flat=True)) == {State.PUBLISHED}


def test_import_reads_choices_labels_and_codes(institution):
    run(import_csv(good_rows(institution.code)))
    record = Innovation.objects.get(title="Posyandu Digital")
    assert (record.stage, record.kind, record.budget) == ("penerapan", "digital", 150000000)


def test_import_reads_dates_in_both_notations(institution):
    run(import_csv(good_rows(institution.code)))
    record = Innovation.objects.get(title="Posyandu Digital")
    assert (record.trial_date, record.implementation_date) == (dt.date(2020, 2, 1), dt.date(2021, 3, 4))


def test_import_sets_sdgs_and_awards(institution):
    run(import_csv(good_rows(institution.code)))
    record = Innovation.objects.get(title="Posyandu Digital")
    assert sorted(record.sdgs.values_list("number", flat=True)) == [3, 5]
    assert list(Award.objects.values_list("year", "competition", "rank")) == [(2014, "kipp", "top99")]


def test_import_records_workflow_event(institution):
    run(import_csv(good_rows(institution.code)))
    assert WorkflowEvent.objects.filter(to_state=State.PUBLISHED).count() == 2


def test_import_bad_row_names_row_and_column(institution):
    rows = good_rows(institution.code)
    rows[1]["jenis"] = "setengah digital"
    batch = run(import_csv(rows))
    assert batch.status == ImportBatch.Status.FAILED
    assert [(e["row"], e["column"], e["code"]) for e in batch.errors] == [(3, "jenis", "unknown_choice")]


def test_import_bad_row_writes_nothing(institution):
    rows = good_rows(institution.code)
    rows[1]["kode_instansi"] = "tidak-ada"
    run(import_csv(rows))
    assert Innovation.objects.count() == 0


def test_import_reports_every_bad_row(institution):
    rows = good_rows(institution.code)
    rows[0]["sdg"] = "18"
    rows[1]["judul"] = ""
    batch = run(import_csv(rows))
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "sdg"), (3, "judul")]


def test_import_reimport_skips_existing_records(institution):
    run(import_csv(good_rows(institution.code)))
    rows = [*good_rows(institution.code), {"judul": "Rumah Tunggu Kelahiran", "kode_instansi": institution.code}]
    batch = run(import_csv(rows))
    assert (batch.created_count, batch.skipped_count, Innovation.objects.count()) == (1, 2, 3)


def test_import_skip_ignores_case_and_spaces_of_title(institution):
    NetworkInnovationFactory(institution=institution, title="POSYANDU   digital")
    batch = run(import_csv(good_rows(institution.code)))
    assert (batch.created_count, batch.skipped_count) == (1, 1)


def test_import_same_file_again_is_refused_as_already_imported(institution):
    content = import_csv(good_rows(institution.code))
    run(content)
    batch = run(content)
    assert [e["code"] for e in batch.errors] == ["already_imported"]
    assert Innovation.objects.count() == 2


def test_import_csv_and_xlsx_give_same_records(institution):
    rows = good_rows(institution.code)
    run(import_csv(rows))
    from_csv = list(Innovation.objects.order_by("title").values("title", "stage", "kind", "budget", "trial_date"))
    Innovation.objects.all().delete()
    ImportBatch.objects.all().delete()
    run(import_xlsx(rows), name="data.xlsx")
    from_xlsx = list(Innovation.objects.order_by("title").values("title", "stage", "kind", "budget", "trial_date"))
    assert from_csv == from_xlsx


def test_import_csv_and_xlsx_give_same_errors(institution):
    rows = good_rows(institution.code)
    rows[0]["tanggal_penerapan"] = "kemarin"
    csv_errors = run(import_csv(rows)).errors
    xlsx_errors = run(import_xlsx(rows), name="data.xlsx").errors
    assert csv_errors == xlsx_errors


def test_import_reads_semicolon_csv_with_bom(institution):
    batch = run(import_csv(good_rows(institution.code), delimiter=";", bom=True))
    assert batch.created_count == 2


def test_import_uses_default_institution_for_empty_code(institution):
    batch = run(import_csv([{"judul": "Tanpa Kode"}]), institution=institution)
    assert (batch.created_count, Innovation.objects.get().institution) == (1, institution)


def test_import_without_institution_is_refused(db):
    batch = run(import_csv([{"judul": "Tanpa Kode"}]))
    assert [(e["row"], e["column"], e["code"]) for e in batch.errors] == [(2, "kode_instansi", "no_institution")]


def test_import_duplicate_title_in_file_is_refused(institution):
    rows = [{"judul": "Sama", "kode_instansi": institution.code}, {"judul": "sama", "kode_instansi": institution.code}]
    batch = run(import_csv(rows))
    assert [(e["row"], e["code"], e["params"]) for e in batch.errors] == [(3, "duplicate_in_file", {"row": 2})]


def test_import_dry_run_writes_nothing(institution):
    batch = run(import_csv(good_rows(institution.code)), dry_run=True)
    assert (batch.status, batch.created_count, Innovation.objects.count()) == (ImportBatch.Status.DONE, 2, 0)


def test_import_unreadable_file_is_refused(db):
    batch = run(b"\xff\xfe\x00garbage", name="data.csv")
    assert [e["code"] for e in batch.errors] == ["unreadable"]


def test_import_counts_progress(institution):
    batch = run(import_csv(good_rows(institution.code)))
    assert (batch.total_rows, batch.processed_rows) == (2, 2)


def test_import_run_is_idempotent(institution):
    batch = run(import_csv(good_rows(institution.code)))
    import_batch_run(batch_id=batch.pk)
    assert Innovation.objects.count() == 2


def test_import_create_refuses_operator(operator):
    with pytest.raises(PermissionDenied):
        import_batch_create(name="data.csv", content=b"judul\nX\n", by=operator)


def test_import_error_message_follows_language(institution):
    error = {"row": 2, "column": "jenis", "code": "unknown_choice", "params": {"value": "x", "allowed": "a"}}
    with translation.override("en"):
        english = error_message(error)
    assert english == "“x” is not one of the allowed values: a."


def test_import_templates_have_same_header():
    csv_table = read_table(name="t.csv", content=template_csv())
    xlsx_table = read_table(name="t.xlsx", content=template_xlsx())
    assert csv_table.header == xlsx_table.header


def test_import_run_writes_nothing_when_another_run_finished_meanwhile(institution):
    batch = import_batch_create(name="data.csv", content=import_csv(good_rows(institution.code)), by=None)

    def other_worker_finishes(_batch):
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.DONE)

    import_batch_run(batch_id=batch.pk, on_progress=other_worker_finishes)
    assert Innovation.objects.count() == 0


# --- Hostile and odd files (issue 11, point 2) ----------------------------------------------------


def test_import_xlsx_declaring_the_largest_sheet_is_read_in_bounded_memory(institution):
    batch = import_batch_create(name="data.xlsx", content=hostile_xlsx(), by=None, institution=institution)
    tracemalloc.start()
    try:
        batch = import_batch_run(batch_id=batch.pk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (batch.status, batch.created_count, peak < 30 * 1024 * 1024) == (ImportBatch.Status.DONE, 1, True)


def test_import_xlsx_names_the_row_the_sheet_shows_however_far_down(institution):
    content = xlsx_of_parts(
        f'<row r="1">{inline("A1", "judul")}{inline("B1", "jenis")}</row>'
        f'<row r="1048576">{inline("A1048576", "Jauh")}{inline("B1048576", "aneh")}</row>',
        dimension="A1:XFD1048576",
    )
    batch = run(content, name="data.xlsx", institution=institution)
    assert [(e["row"], e["column"]) for e in batch.errors] == [(1048576, "jenis")]


def test_import_xlsx_ignores_cells_right_of_the_column_limit(institution):
    far = "XFD"  # column 16,384, far beyond MAX_COLUMNS
    content = xlsx_of_parts(
        f'<row r="1">{inline("A1", "judul")}{inline(f"{far}1", "kode_instansi")}</row>'
        f'<row r="2">{inline("A2", "Posyandu Digital")}{inline(f"{far}2", "tidak-ada")}</row>',
    )
    batch = run(content, name="data.xlsx", institution=institution)
    assert (batch.status, Innovation.objects.get().institution) == (ImportBatch.Status.DONE, institution)


def test_import_xlsx_stops_reading_at_the_row_limit(institution):
    # What follows the row limit (after a stretch of blank space) is never read: here it is not even XML.
    rows = [["judul"], *([f"Inovasi {number}"] for number in range(MAX_ROWS + 1))]
    tail = " " * (4 * CHUNK_BYTES) + "<row><c><<<"
    batch = run(xlsx_rows(rows, tail=tail), name="data.xlsx", institution=institution)
    assert [(e["code"], e["params"]) for e in batch.errors] == [("too_many_rows", {"limit": MAX_ROWS})]


def test_import_csv_cleans_control_characters(institution):
    rows = [{"judul": "Posyandu\x1b Digital", "kode_instansi": institution.code, "ringkasan": "Satu\x0bdua\x02."}]
    run(import_csv(rows))
    assert list(Innovation.objects.values_list("title", "summary")) == [("Posyandu Digital", "Satu\ndua.")]


def test_import_xlsx_cleans_control_characters_excel_escapes(institution):
    # Excel writes characters XML cannot hold as _xHHHH_ (here a vertical tab and \x02).
    content = xlsx_of_parts(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>',
        shared_strings=["judul", "ringkasan", "Posyandu Digital", "Satu_x000B_dua_x0002_."],
    )
    run(content, name="data.xlsx", institution=institution)
    assert list(Innovation.objects.values_list("title", "summary")) == [("Posyandu Digital", "Satu\ndua.")]


def test_import_xlsx_refuses_document_type_declarations(institution):
    batch = run(xlsx_with_doctype(), name="data.xlsx", institution=institution)
    assert [e["code"] for e in batch.errors] == ["unreadable"]


# --- Runs that fail, stop or meet each other (issue 11, points 2 and 4) -----------------------------


def test_import_unexpected_error_fails_batch_with_message(institution):
    batch = import_batch_create(name="data.csv", content=import_csv(good_rows(institution.code)), by=None)
    batch.file.storage.delete(batch.file.name)
    batch = import_batch_run(batch_id=batch.pk)
    assert (batch.status, [e["code"] for e in batch.errors]) == (ImportBatch.Status.FAILED, ["internal"])
    with translation.override("en"):
        assert f"(import #{batch.pk})" in error_message(batch.errors[0])


def test_import_batch_that_stopped_too_often_ends_failed(institution):
    batch = import_batch_create(name="data.csv", content=import_csv(good_rows(institution.code)), by=None)
    stale(batch, attempts=MAX_ATTEMPTS)
    batch = import_batch_run(batch_id=batch.pk)
    assert (batch.status, [e["code"] for e in batch.errors], Innovation.objects.count()) == (
        ImportBatch.Status.FAILED,
        ["stopped_repeatedly"],
        0,
    )


def test_import_run_leaves_a_batch_another_worker_is_running(institution):
    batch = import_batch_create(name="data.csv", content=import_csv(good_rows(institution.code)), by=None)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING, attempts=1)
    batch = import_batch_run(batch_id=batch.pk)
    assert (batch.status, Innovation.objects.count()) == (ImportBatch.Status.RUNNING, 0)


def test_import_run_after_interrupted_run_replaces_what_it_wrote(institution):
    batch = import_batch_create(name="data.csv", content=import_csv(good_rows(institution.code)), by=None)
    # The first run wrote one record, then its worker died.
    partial = NetworkInnovationFactory(institution=institution, title="Posyandu Digital")
    batch.records.add(partial)
    stale(batch, attempts=1)
    batch = import_batch_run(batch_id=batch.pk)
    assert (batch.status, batch.created_count, batch.skipped_count, Innovation.objects.count()) == (
        ImportBatch.Status.DONE,
        2,
        0,
        2,
    )
    assert not Innovation.objects.filter(pk=partial.pk).exists()


def test_import_create_refuses_a_file_being_imported(institution):
    content = import_csv(good_rows(institution.code))
    first = import_batch_create(name="data.csv", content=content, by=None)
    second = import_batch_create(name="data.csv", content=content, by=None)
    assert (second.status, second.errors) == (
        ImportBatch.Status.FAILED,
        [{"row": None, "column": "", "code": "being_imported", "params": {"batch": first.pk}}],
    )


def test_import_waits_while_another_import_writes(institution):
    other = import_batch_create(name="other.csv", content=import_csv([{"judul": "Lain"}]), by=None)
    ImportBatch.objects.filter(pk=other.pk).update(status=ImportBatch.Status.RUNNING, attempts=1)
    batch = run(import_csv(good_rows(institution.code)))
    assert (batch.status, batch.attempts, Innovation.objects.count()) == (ImportBatch.Status.PENDING, 0, 0)


def test_import_waiting_batch_runs_once_the_other_has_finished(institution):
    other = import_batch_create(name="other.csv", content=import_csv([{"judul": "Lain"}]), by=None)
    ImportBatch.objects.filter(pk=other.pk).update(status=ImportBatch.Status.RUNNING, attempts=1)
    batch = run(import_csv(good_rows(institution.code)))
    ImportBatch.objects.filter(pk=other.pk).update(status=ImportBatch.Status.DONE)
    batch = import_batch_run(batch_id=batch.pk)
    assert (batch.status, batch.created_count) == (ImportBatch.Status.DONE, 2)


def test_import_dry_run_does_not_wait_for_another_import(institution):
    other = import_batch_create(name="other.csv", content=import_csv([{"judul": "Lain"}]), by=None)
    ImportBatch.objects.filter(pk=other.pk).update(status=ImportBatch.Status.RUNNING, attempts=1)
    batch = run(import_csv(good_rows(institution.code)), dry_run=True)
    assert (batch.status, batch.created_count) == (ImportBatch.Status.DONE, 2)


def test_import_same_file_uploaded_twice_at_once_imports_once(institution):
    content = import_csv(good_rows(institution.code))
    first = import_batch_create(name="data.csv", content=content, by=None)
    # Both uploads passed the check at the same moment.
    second = ImportBatch.objects.create(original_name="data.csv", sha256=first.sha256, file=first.file.name)
    import_batch_run(batch_id=first.pk)
    second = import_batch_run(batch_id=second.pk)
    assert ([e["code"] for e in second.errors], Innovation.objects.count()) == (["already_imported"], 2)


@pytest.mark.django_db(transaction=True)
def test_import_write_phase_commits_in_chunks(reference_data, settings, monkeypatch):
    institution = InstitutionFactory()
    monkeypatch.setattr(imports, "WRITE_CHUNK", 1)
    batch = import_batch_create(name="data.csv", content=import_csv(good_rows(institution.code)), by=None)
    seen_by_others = []

    def count_from_another_connection(progress):
        if progress.written_rows:
            seen_by_others.append(in_other_thread(Innovation.objects.count))

    import_batch_run(batch_id=batch.pk, on_progress=count_from_another_connection)
    assert seen_by_others == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_import_records_public_only_once_the_whole_file_is_written(reference_data, monkeypatch):
    from innovations.selectors import innovations_published

    institution = InstitutionFactory()
    monkeypatch.setattr(imports, "WRITE_CHUNK", 1)
    batch = import_batch_create(name="data.csv", content=import_csv(good_rows(institution.code)), by=None)
    public_while_writing = []

    def count_public_from_another_connection(progress):
        if progress.written_rows:
            public_while_writing.append(in_other_thread(innovations_published().count))

    import_batch_run(batch_id=batch.pk, on_progress=count_public_from_another_connection)
    assert (public_while_writing, innovations_published().count()) == ([0, 0], 2)


@pytest.mark.django_db(transaction=True)
def test_import_failing_while_writing_removes_what_it_wrote(reference_data, monkeypatch):
    institution = InstitutionFactory()
    monkeypatch.setattr(imports, "WRITE_CHUNK", 1)
    batch = import_batch_create(name="data.csv", content=import_csv(good_rows(institution.code)), by=None)

    def database_fails_after_first_chunk(progress):
        if progress.written_rows:
            raise OperationalError("server closed the connection unexpectedly")

    batch = import_batch_run(batch_id=batch.pk, on_progress=database_fails_after_first_chunk)
    assert (batch.status, [e["code"] for e in batch.errors], Innovation.objects.count()) == (
        ImportBatch.Status.FAILED,
        ["internal"],
        0,
    )


# --- The sweeper (issue 11, point 4) --------------------------------------------------------------


def test_import_sweep_sends_a_batch_whose_worker_vanished_again(institution):
    batch = import_batch_create(name="data.csv", content=import_csv(good_rows(institution.code)), by=None)
    stale(batch, attempts=1)
    assert (import_batches_sweep(), ImportBatch.objects.get().status) == ([batch.pk], ImportBatch.Status.PENDING)


def test_import_sweep_ends_a_batch_that_stopped_too_often(institution):
    batch = import_batch_create(name="data.csv", content=import_csv(good_rows(institution.code)), by=None)
    batch.records.add(NetworkInnovationFactory(institution=institution))
    stale(batch, attempts=MAX_ATTEMPTS)
    sent = import_batches_sweep()
    batch.refresh_from_db()
    assert (sent, batch.status, [e["code"] for e in batch.errors], Innovation.objects.count()) == (
        [],
        ImportBatch.Status.FAILED,
        ["stopped_repeatedly"],
        0,
    )


def test_import_sweep_leaves_a_running_batch_with_a_heartbeat(institution):
    batch = import_batch_create(name="data.csv", content=import_csv(good_rows(institution.code)), by=None)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING, attempts=1)
    assert (import_batches_sweep(), ImportBatch.objects.get().status) == ([], ImportBatch.Status.RUNNING)


def test_import_sweep_sends_a_batch_waiting_too_long_once(institution):
    batch = import_batch_create(name="data.csv", content=import_csv(good_rows(institution.code)), by=None)
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now() - RESEND_AFTER * 2)
    assert (import_batches_sweep(), import_batches_sweep()) == ([batch.pk], [])


# --- Rows and values as regencies really write them (issue 7, points 19 and 20) -------------------


def test_import_csv_row_after_a_blank_row_keeps_its_number(institution):
    content = (
        "judul,kode_instansi,jenis\n"
        f"Posyandu Digital,{institution.code},digital\n"
        ",,\n"
        f"Sekolah Lapang Gizi,{institution.code},setengah digital\n"
    ).encode()
    batch = run(content)
    assert [(e["row"], e["column"]) for e in batch.errors] == [(4, "jenis")]


def test_import_xlsx_row_after_a_blank_row_keeps_its_number(institution):
    rows = [["judul", "jenis"], ["Posyandu Digital", "digital"], [], ["Sekolah Lapang Gizi", "setengah digital"]]
    batch = run(xlsx_rows(rows), name="data.xlsx", institution=institution)
    assert [(e["row"], e["column"]) for e in batch.errors] == [(4, "jenis")]


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("18 Maret 2025", dt.date(2025, 3, 18)),
        ("18 Mrt 2025", dt.date(2025, 3, 18)),
        ("18/03/2025", dt.date(2025, 3, 18)),
        ("18-3-2025", dt.date(2025, 3, 18)),
        ("2025-03-18", dt.date(2025, 3, 18)),
        ("2019", dt.date(2019, 1, 1)),
        ("2019.0", dt.date(2019, 1, 1)),
    ],
)
def test_import_reads_dates_as_officials_write_them(institution, typed, date):
    run(import_csv([{"judul": "Posyandu Digital", "kode_instansi": institution.code, "tanggal_uji_coba": typed}]))
    assert Innovation.objects.get().trial_date == date


def test_import_bad_date_says_what_to_write(institution):
    batch = run(import_csv([{"judul": "X", "kode_instansi": institution.code, "tanggal_uji_coba": "Maret"}]))
    with translation.override("en"):
        message = error_message(batch.errors[0])
        expected = str(ERROR_MESSAGES["bad_date"]) % {"value": "Maret"}
    assert (message, "31 Desember 2024" in message) == (expected, True)


@pytest.mark.parametrize(("typed", "amount"), [("Rp. 75.000.000,00", 75_000_000), ("150000000.0", 150_000_000)])
def test_import_reads_amounts_as_officials_write_them(institution, typed, amount):
    run(import_csv([{"judul": "Posyandu Digital", "kode_instansi": institution.code, "anggaran": typed}]))
    assert Innovation.objects.get().budget == amount


def test_import_refuses_an_amount_with_cents(institution):
    batch = run(import_csv([{"judul": "X", "kode_instansi": institution.code, "anggaran": "75.000.000,50"}]))
    assert [(e["column"], e["code"]) for e in batch.errors] == [("anggaran", "bad_number")]


@pytest.mark.parametrize("typed", ["SDG 3; SDGs 5", "3.0;5", "Tujuan 3, Kesetaraan Gender"])
def test_import_reads_sdgs_as_officials_write_them(institution, typed):
    run(import_csv([{"judul": "Posyandu Digital", "kode_instansi": institution.code, "sdg": typed}]))
    assert sorted(Innovation.objects.get().sdgs.values_list("number", flat=True)) == [3, 5]


@pytest.mark.parametrize(
    "typed",
    [
        {"kode_instansi": "Dinkes Polman"},
        {"kode_instansi": "dinas kesehatan kab. polewali mandar"},
        {"kode_instansi": "Dinas Kesehatan", "wilayah": "Polman"},
        {"kode_instansi": "POLMAN-DINKES-X", "wilayah": "Kab. Polewali Mandar"},
    ],
)
def test_import_finds_the_institution_by_name_or_short_name(db, typed):
    polman = InstitutionFactory(
        code="polman-dinkes-x", name="Dinas Kesehatan Kabupaten Polewali Mandar", region=regency("Polewali Mandar")
    )
    InstitutionFactory(code="majene-dinkes-x", name="Dinas Kesehatan Kabupaten Majene")
    batch = run(import_csv([{"judul": "Posyandu Digital", **typed}]))
    assert (batch.errors, Innovation.objects.get().institution) == ([], polman)


def test_import_institution_of_another_region_is_refused(institution):
    batch = run(import_csv([{"judul": "X", "kode_instansi": institution.code, "wilayah": "Mamasa"}]))
    assert [(e["column"], e["code"]) for e in batch.errors] == [("wilayah", "institution_outside_region")]


def test_import_name_of_several_institutions_asks_for_the_code(db):
    InstitutionFactory(code="dinkes-a", name="Dinas Kesehatan Kabupaten Majene")
    InstitutionFactory(code="dinkes-b", name="Dinas Kesehatan Kab. Majene")
    batch = run(import_csv([{"judul": "X", "kode_instansi": "Dinkes Majene"}]))
    assert [(e["code"], e["params"]["codes"]) for e in batch.errors] == [
        ("ambiguous_institution", "dinkes-a, dinkes-b")
    ]


def test_import_template_xlsx_offers_a_list_for_every_choice_column(institution):
    sheet = load_workbook(io.BytesIO(template_xlsx()))["inovasi"]
    listed = {
        COLUMNS[column_index_from_string(str(validation.sqref).split(":")[0].rstrip("0123456789")) - 1]
        for validation in sheet.data_validations.dataValidation
    }
    assert listed >= {*CHOICE_COLUMNS, "kode_instansi", "wilayah", "sdg", "kategori"}


def test_import_template_xlsx_lists_the_valid_codes(db):
    codes = load_workbook(io.BytesIO(template_xlsx()))["kode"]
    header = [cell.value for cell in codes[1]]
    tahapan = header.index("tahapan") + 1
    values = [codes.cell(row=row, column=tahapan).value for row in range(2, 5)]
    assert values == ["inisiatif", "uji_coba", "penerapan"]


# --- The annotated copy (issue 7, point 21) -------------------------------------------------------


def test_import_annotated_copy_of_csv_marks_each_bad_row(institution):
    content = (
        "judul;kode_instansi;jenis\n"
        f"Posyandu Digital;{institution.code};digital\n"
        ";;\n"
        f"Sekolah Lapang Gizi;{institution.code};setengah digital\n"
    ).encode()
    batch = run(content)
    with translation.override("en"):
        name, _content_type, copy = import_batch_annotated_copy(batch=batch)
        expected = f"jenis: {error_message(batch.errors[0])}"
    lines = list(csv.reader(io.StringIO(copy.decode("utf-8-sig")), delimiter=";"))
    assert (name, lines[0][-1], lines[1][-1], lines[3][-1]) == ("data-kesalahan.csv", ANNOTATION_COLUMN, "", expected)


def test_import_annotated_copy_of_xlsx_marks_each_bad_row_and_cell(institution):
    rows = [["judul", "jenis"], ["Posyandu Digital", "digital"], [], ["=1+1", "setengah digital"]]
    batch = run(xlsx_rows(rows), name="data.xlsx", institution=institution)
    _name, _content_type, copy = import_batch_annotated_copy(batch=batch)
    sheet = load_workbook(io.BytesIO(copy)).active
    assert (sheet["C1"].value, sheet["C2"].value, sheet["C4"].value.startswith("jenis: ")) == (
        ANNOTATION_COLUMN,
        None,
        True,
    )
    # Typed text stays text (never a formula), and the bad cell is marked.
    assert (sheet["A4"].value, sheet["A4"].data_type, sheet["B4"].fill.fgColor.rgb) == ("=1+1", "s", "00FFC7CE")


def test_import_annotated_copy_replaces_an_earlier_annotation(institution):
    rows = [
        {"judul": "X", "kode_instansi": institution.code, "jenis": "aneh", ANNOTATION_COLUMN: "jenis: lama"},
    ]
    batch = run(import_csv(rows))
    _name, _content_type, copy = import_batch_annotated_copy(batch=batch)
    header = copy.decode("utf-8-sig").splitlines()[0].split(",")
    assert header.count(ANNOTATION_COLUMN) == 1


def test_import_annotated_copy_is_none_without_row_errors(institution):
    batch = run(b"\xff\xfe\x00garbage")
    assert import_batch_annotated_copy(batch=batch) is None


# --- Progress through the write phase (issue 7, point 22) ------------------------------------------


def test_import_reports_progress_through_the_write_phase(institution, monkeypatch):
    monkeypatch.setattr(imports, "WRITE_CHUNK", 1)
    steps = []
    batch = import_batch_create(name="data.csv", content=import_csv(good_rows(institution.code)), by=None)
    import_batch_run(batch_id=batch.pk, on_progress=lambda b: steps.append((b.processed_rows, b.written_rows)))
    assert steps == [(0, 0), (2, 0), (2, 1), (2, 2)]
