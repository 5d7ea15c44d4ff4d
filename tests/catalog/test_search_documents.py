"""Every write path leaves a record findable by its current text: form, revision, import, admin, demo, renames."""

from io import StringIO

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command

from catalog.selectors import catalog_innovations, search_condition
from innovations.models import SDG, Innovation
from innovations.services.imports import import_batch_create, import_batch_run
from innovations.services.search import innovations_search_refresh
from innovations.services.workflow import (
    innovation_create,
    innovation_publish,
    innovation_revision_start,
    innovation_submit,
    innovation_update,
)
from tests.innovations.factories_network import import_csv
from tests.innovations.factories_workflow import PublishedInnovationFactory

pytestmark = pytest.mark.django_db


def found(text: str) -> list[str]:
    """Titles of all records, public or not, that a search for `text` finds."""
    return sorted(innovation.title for innovation in Innovation.objects.filter(search_condition(text)))


def test_innovation_create_writes_search_document(operator):
    innovation_create(by=operator, fields={"title": "Posyandu Digital", "summary": "Pencatatan balita."})
    assert (found("balita"), found("dinas kesehatan uji majene")) == (["Posyandu Digital"], ["Posyandu Digital"])


def test_innovation_update_rewrites_search_document(operator):
    innovation = innovation_create(by=operator, fields={"title": "Posyandu Digital", "summary": "Pencatatan balita."})
    innovation_update(
        innovation=innovation,
        by=operator,
        fields={"title": "Posyandu Digital", "summary": "Pengingat imunisasi."},
        sdgs=[],
        categories=[],
        awards=[],
    )
    assert (found("balita"), found("imunisasi")) == ([], ["Posyandu Digital"])


def test_innovation_publish_of_a_change_rewrites_the_public_record(operator, hub_admin):
    original = PublishedInnovationFactory(institution=operator.institution, title="Asli", summary="Lama")
    revision = innovation_revision_start(innovation=original, by=operator)
    innovation_update(
        innovation=revision,
        by=operator,
        fields={"title": "Asli", "summary": "Irigasi tetes"},
        sdgs=SDG.objects.filter(number=3),
        categories=[],
        awards=[],
    )
    innovation_publish(innovation=innovation_submit(innovation=revision, by=operator), by=hub_admin)
    assert [record.title for record in catalog_innovations(values={"q": "irigasi"})] == ["Asli"]


def test_import_writes_search_documents(institution):
    rows = [{"judul": "Sekolah Lapang Gizi", "kode_instansi": institution.code, "ringkasan": "Kelas ibu balita."}]
    import_batch_run(batch_id=import_batch_create(name="data.csv", content=import_csv(rows), by=None).pk)
    assert [record.title for record in catalog_innovations(values={"q": "balita sekolah"})] == ["Sekolah Lapang Gizi"]


def test_admin_save_writes_search_document(rf, hub_admin):
    innovation = PublishedInnovationFactory(title="Lama")
    innovation.title = "Perpustakaan Keliling"
    request = rf.post("/")
    request.user = hub_admin
    site._registry[Innovation].save_model(request, innovation, form=None, change=True)
    assert found("pustaka") == ["Perpustakaan Keliling"]


def test_institution_rename_rewrites_its_records_documents(django_capture_on_commit_callbacks):
    innovation = PublishedInnovationFactory(title="Program")
    innovations_search_refresh(queryset=Innovation.objects.filter(pk=innovation.pk))
    institution = innovation.institution
    institution.name = "Inspektorat Daerah"
    with django_capture_on_commit_callbacks(execute=True):
        institution.save()
    assert found("inspektorat") == ["Program"]


def test_seed_demo_fills_every_search_document(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert (
        Innovation.objects.filter(search_title="").count(),
        "Posyandu Prima Berbasis Aplikasi" in found("posyandu prima"),
    ) == (0, True)


def test_bulk_refresh_writes_every_batch(monkeypatch):
    monkeypatch.setattr("innovations.services.search.BATCH_SIZE", 2)
    for number in range(5):
        PublishedInnovationFactory(title=f"Irigasi {number}")
    count = innovations_search_refresh(queryset=Innovation.objects.all())
    assert (count, len(found("irigasi"))) == (5, 5)
