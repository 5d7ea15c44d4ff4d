import time

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from innovations.models import ImportBatch, Innovation
from innovations.services.imports import STALE_AFTER, import_batch_create
from innovations.tasks import enqueue_import, run_import, sweep_imports
from jipp.celery import app
from tests.innovations.factories_imports import unreachable_broker  # noqa: F401 (fixture)
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


def test_run_import_of_a_waiting_batch_asks_again_later(batch, institution):
    other = import_batch_create(name="other.csv", content=import_csv([{"judul": "Lain"}]), by=None)
    ImportBatch.objects.filter(pk=other.pk).update(status=ImportBatch.Status.RUNNING, attempts=1)
    run_import.push_request(is_eager=False, retries=0)
    try:
        with pytest.raises(Retry):
            run_import.run(import_id=batch.pk)
    finally:
        run_import.pop_request()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING


def test_sweep_imports_runs_a_batch_whose_worker_vanished(batch):
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING, attempts=1, updated_at=timezone.now() - STALE_AFTER * 2
    )
    sweep_imports.apply()
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.attempts) == (ImportBatch.Status.DONE, 1, 2)


def test_sweep_imports_runs_every_minute_under_celery_beat(settings):
    assert settings.CELERY_BEAT_SCHEDULE["sweep-imports"] == {"task": "innovations.sweep_imports", "schedule": 60.0}


def test_broker_hands_out_a_dead_workers_task_again_within_fifteen_minutes():
    assert app.conf.broker_transport_options["visibility_timeout"] <= 15 * 60


@pytest.mark.usefixtures("unreachable_broker")
def test_enqueue_import_with_the_broker_down_keeps_the_batch_waiting_and_answers_quickly(batch):
    started = time.monotonic()
    sent = enqueue_import(import_id=batch.pk)
    elapsed = time.monotonic() - started
    batch.refresh_from_db()
    assert (sent, elapsed < 2, batch.status) == (False, True, ImportBatch.Status.PENDING)


# --- Evidence previews whose task was lost -------------------------------------------------------


def _photo_without_preview(operator, *, uploaded_ago):
    from innovations.models import Evidence
    from innovations.services.evidence import evidence_add
    from tests.innovations.factories_workflow import InnovationFactory, image_file

    innovation = InnovationFactory(institution=operator.institution)
    evidence = evidence_add(innovation=innovation, by=operator, upload=image_file(), caption="Foto")
    Evidence.objects.filter(pk=evidence.pk).update(created_at=timezone.now() - uploaded_ago)
    return evidence


@pytest.mark.usefixtures("unreachable_broker")
def test_evidence_upload_while_broker_down_keeps_photo_without_preview(operator, django_capture_on_commit_callbacks):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        evidence = _photo_without_preview(operator, uploaded_ago=timezone.timedelta(0))
    evidence.refresh_from_db()
    assert (bool(evidence.file), bool(evidence.preview), time.monotonic() - started < 5) == (True, False, True)


def test_sweep_evidence_previews_draws_a_lost_preview(operator, django_capture_on_commit_callbacks):
    from innovations.tasks import sweep_evidence_previews

    with django_capture_on_commit_callbacks(execute=False):
        lost = _photo_without_preview(operator, uploaded_ago=timezone.timedelta(minutes=10))
        fresh = _photo_without_preview(operator, uploaded_ago=timezone.timedelta(minutes=1))
        given_up = _photo_without_preview(operator, uploaded_ago=timezone.timedelta(hours=7))
    sweep_evidence_previews.delay()
    for evidence in (lost, fresh, given_up):
        evidence.refresh_from_db()
    assert [bool(e.preview) for e in (lost, fresh, given_up)] == [True, False, False]
