import pytest

from innovations.models import ImportBatch, Innovation
from innovations.services.imports import import_batch_create
from innovations.tasks import run_import
from tests.innovations.factories_network import import_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(institution, hub_admin):
    content = import_csv([{"judul": "Posyandu Digital", "kode_instansi": institution.code}])
    return import_batch_create(name="data.csv", content=content, by=hub_admin)


def test_run_import_imports_pending_batch(batch):
    run_import.delay(import_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == (ImportBatch.Status.DONE, 1)


def test_run_import_twice_imports_once(batch):
    run_import.delay(import_id=batch.pk)
    run_import.delay(import_id=batch.pk)
    assert Innovation.objects.count() == 1


def test_run_import_is_registered_under_its_name():
    assert run_import.name == "innovations.run_import"
