import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from innovations.models import Award, ImportBatch, Innovation, State, WorkflowEvent
from innovations.services.imports import (
    error_message,
    import_batch_create,
    import_batch_run,
    read_rows,
    template_csv,
    template_xlsx,
)
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
    csv_header, _csv_rows = read_rows(name="t.csv", content=template_csv())
    xlsx_header, _xlsx_rows = read_rows(name="t.xlsx", content=template_xlsx())
    assert csv_header == xlsx_header


def test_import_run_writes_nothing_when_another_run_finished_meanwhile(institution):
    batch = import_batch_create(name="data.csv", content=import_csv(good_rows(institution.code)), by=None)

    def other_worker_finishes(_batch):
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.DONE)

    import_batch_run(batch_id=batch.pk, on_progress=other_worker_finishes)
    assert Innovation.objects.count() == 0
