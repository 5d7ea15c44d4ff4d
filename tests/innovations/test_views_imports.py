import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from innovations.models import ImportBatch, Innovation
from innovations.services.imports import ANNOTATION_COLUMN, COLUMNS, import_batch_create, import_batch_run
from tests.innovations.factories_imports import unreachable_broker  # noqa: F401 (fixture)
from tests.innovations.factories_network import import_csv

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_import_upload_runs_and_redirects_to_detail(client, hub_admin, institution, django_capture_on_commit_callbacks):
    client.force_login(hub_admin)
    content = import_csv([{"judul": "Posyandu Digital", "kode_instansi": institution.code}])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("innovations:import_list"), {"file": upload(content)})
    batch = ImportBatch.objects.get()
    assert (response.url, batch.status, Innovation.objects.count()) == (
        reverse("innovations:import_detail", kwargs={"pk": batch.pk}),
        ImportBatch.Status.DONE,
        1,
    )


def test_import_upload_of_other_extension_rerenders(client, hub_admin):
    client.force_login(hub_admin)
    response = client.post(reverse("innovations:import_list"), {"file": upload(b"judul\nX\n", name="data.txt")})
    assert (response.status_code, ImportBatch.objects.count()) == (400, 0)


def test_import_detail_shows_errors_with_row_and_column(client, hub_admin):
    batch = import_batch_create(name="data.csv", content=import_csv([{"judul": "X", "jenis": "aneh"}]), by=hub_admin)
    from innovations.services.imports import import_batch_run

    import_batch_run(batch_id=batch.pk)
    client.force_login(hub_admin)
    response = client.get(f"/en/kelola/impor/{batch.pk}/")
    assert [(e["row"], e["column"]) for e in response.context["errors"]] == [(2, "kode_instansi"), (2, "jenis")]
    assert "“aneh” is not one of the allowed values" in response.content.decode()


def test_import_detail_polls_while_running(client, hub_admin):
    batch = import_batch_create(name="data.csv", content=b"judul\nX\n", by=hub_admin)
    client.force_login(hub_admin)
    response = client.get(reverse("innovations:import_detail", kwargs={"pk": batch.pk}), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in response.content.decode()
    assert "<html" not in response.content.decode()


def test_import_detail_stops_polling_when_done(client, hub_admin, institution):
    from innovations.services.imports import import_batch_run

    batch = import_batch_create(
        name="data.csv", content=import_csv([{"judul": "X", "kode_instansi": institution.code}]), by=hub_admin
    )
    import_batch_run(batch_id=batch.pk)
    client.force_login(hub_admin)
    response = client.get(reverse("innovations:import_detail", kwargs={"pk": batch.pk}))
    assert "hx-trigger" not in response.content.decode()


def test_import_template_csv_has_header_and_example(client, hub_admin):
    client.force_login(hub_admin)
    response = client.get(reverse("innovations:import_template") + "?format=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert (lines[0].split(","), len(lines)) == (COLUMNS, 2)


def test_import_template_xlsx_has_header_and_example(client, hub_admin):
    client.force_login(hub_admin)
    response = client.get(reverse("innovations:import_template") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert ([cell.value for cell in sheet[1]], sheet.max_row) == (COLUMNS, 2)


@pytest.mark.parametrize("count", [3, 30])
def test_import_list_queries_constant(client, hub_admin, count, django_assert_num_queries):
    for index in range(count):
        ImportBatch.objects.create(original_name=f"f{index}.csv", sha256=f"{index:064d}", created_by=hub_admin)
    client.force_login(hub_admin)
    url = reverse("innovations:import_list")
    client.get(url)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.usefixtures("unreachable_broker")
def test_import_upload_with_the_broker_down_keeps_the_batch_and_says_so_quickly(
    client, hub_admin, institution, django_capture_on_commit_callbacks
):
    client.force_login(hub_admin)
    content = import_csv([{"judul": "Posyandu Digital", "kode_instansi": institution.code}])
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/kelola/impor/", {"file": upload(content)}, follow=True)
    elapsed = time.monotonic() - started
    with translation.override("en"):
        expected = str(
            _(
                "The file is saved, but the background queue cannot be reached right now. The import "
                "starts by itself as soon as the queue is back; this page shows its progress."
            )
        )
    assert (ImportBatch.objects.get().status, elapsed < 3) == (ImportBatch.Status.PENDING, True)
    assert [str(message) for message in response.context["messages"]] == [expected]


def failed_batch(by, content: bytes = b"judul,jenis\nX,aneh\n") -> ImportBatch:
    batch = import_batch_create(name="data.csv", content=content, by=by)
    return import_batch_run(batch_id=batch.pk)


def test_import_detail_offers_the_file_with_its_problems_marked(client, hub_admin):
    batch = failed_batch(hub_admin)
    client.force_login(hub_admin)
    response = client.get(reverse("innovations:import_detail", kwargs={"pk": batch.pk}))
    assert reverse("innovations:import_annotated", kwargs={"pk": batch.pk}) in response.content.decode()


def test_import_annotated_download_is_the_file_with_an_error_column(client, hub_admin):
    batch = failed_batch(hub_admin)
    client.force_login(hub_admin)
    response = client.get(reverse("innovations:import_annotated", kwargs={"pk": batch.pk}))
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert (response["Content-Disposition"], header) == (
        'attachment; filename="data-kesalahan.csv"',
        f"judul,jenis,{ANNOTATION_COLUMN}",
    )


def test_import_annotated_download_without_row_problems_is_not_found(client, hub_admin):
    batch = failed_batch(hub_admin, content=b"\xff\xfe\x00garbage")
    client.force_login(hub_admin)
    response = client.get(reverse("innovations:import_annotated", kwargs={"pk": batch.pk}))
    assert response.status_code == 404


def test_import_annotated_download_is_refused_to_an_operator(client, hub_admin, operator):
    batch = failed_batch(hub_admin)
    client.force_login(operator)
    response = client.get(reverse("innovations:import_annotated", kwargs={"pk": batch.pk}))
    assert response.status_code == 403


def test_import_detail_shows_progress_of_the_write_phase(client, hub_admin):
    batch = import_batch_create(name="data.csv", content=b"judul\nX\n", by=hub_admin)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING, total_rows=10, processed_rows=10, written_rows=4
    )
    client.force_login(hub_admin)
    response = client.get(f"/en/kelola/impor/{batch.pk}/", headers={"HX-Request": "true"})
    with translation.override("en"):
        label = str(_("%(done)s of %(total)s rows written") % {"done": 4, "total": 10})
    assert (response.context["percent"], label in response.content.decode()) == (40, True)
