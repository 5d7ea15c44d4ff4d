"""Imports through a real Celery worker on the real Redis and PostgreSQL (issue 11, points 2 and 4).

The worker is a separate process: it reads the test database (DATABASE_URL names it) and a media
folder shared with the test, and listens on a queue of its own. The tests are transactional, so the
worker sees what they write.
"""

import signal
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from innovations.models import ImportBatch, Innovation
from innovations.services.imports import STALE_AFTER, import_batch_create, import_batches_sweep
from innovations.tasks import run_import
from tests.factories import InstitutionFactory
from tests.innovations.factories_imports import hostile_xlsx
from tests.innovations.factories_network import import_csv
from tests.workers import require_real_services, start_worker, stop_worker, worker_database_url

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@dataclass
class Worker:
    queue: str
    media: Path
    process: subprocess.Popen

    def send(self, batch: ImportBatch) -> None:
        run_import.apply_async(kwargs={"import_id": batch.pk}, queue=self.queue)


def worker_environment(media: Path) -> dict[str, str]:
    return {"DATABASE_URL": worker_database_url(), "MEDIA_ROOT": str(media)}


@pytest.fixture(scope="module")
def worker(django_db_setup, tmp_path_factory):
    require_real_services()
    queue = f"test-imports-{uuid.uuid4().hex[:8]}"
    media = tmp_path_factory.mktemp("worker-media")
    process = start_worker(queue, environment=worker_environment(media))
    yield Worker(queue=queue, media=media, process=process)
    output = stop_worker(process)
    assert process.returncode in (0, -15), output


@pytest.fixture
def institution(worker, reference_data, settings):
    settings.MEDIA_ROOT = worker.media
    return InstitutionFactory(code="majene-dinkes-worker")


def finished(batch: ImportBatch, *, timeout: float = 90) -> ImportBatch:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED):
            return batch
        time.sleep(0.2)
    raise AssertionError(f"import #{batch.pk} still {batch.status} after {timeout} s")


def rows(institution, count: int) -> bytes:
    return import_csv(
        [{"judul": f"Inovasi Uji {number}", "kode_instansi": institution.code} for number in range(count)]
    )


def test_worker_imports_the_xlsx_declaring_the_largest_sheet_and_lives_on(worker, institution):
    batch = import_batch_create(name="data.xlsx", content=hostile_xlsx(), by=None, institution=institution)
    worker.send(batch)
    batch = finished(batch)
    assert (batch.status, batch.created_count, batch.attempts, worker.process.poll()) == (
        ImportBatch.Status.DONE,
        1,
        1,
        None,
    )


def test_worker_ends_a_failing_import_as_failed_once(worker, institution):
    batch = import_batch_create(name="data.csv", content=rows(institution, 2), by=None)
    batch.file.storage.delete(batch.file.name)
    worker.send(batch)
    batch = finished(batch)
    time.sleep(2)  # a redelivery, if there were one, would start a second attempt by now
    batch.refresh_from_db()
    assert (batch.status, [e["code"] for e in batch.errors], batch.attempts) == (
        ImportBatch.Status.FAILED,
        ["internal"],
        1,
    )


def test_worker_two_uploads_of_one_file_at_once_import_it_once(worker, institution):
    content = rows(institution, 60)
    first = import_batch_create(name="data.csv", content=content, by=None)
    # Both uploads passed the upload's check at the same moment; the worker runs both at once.
    second = ImportBatch.objects.create(original_name="data.csv", sha256=first.sha256, file=first.file.name)
    worker.send(first)
    worker.send(second)
    outcomes = sorted((finished(batch).status, [e["code"] for e in batch.errors]) for batch in (first, second))
    assert (outcomes, Innovation.objects.count()) == (
        [(ImportBatch.Status.DONE, []), (ImportBatch.Status.FAILED, ["already_imported"])],
        60,
    )


def test_worker_killed_while_writing_leaves_a_batch_the_sweeper_completes(worker, institution, tmp_path):
    batch = import_batch_create(name="data.csv", content=rows(institution, 200), by=None)
    doomed_queue = f"{worker.queue}-doomed"
    doomed = start_worker(doomed_queue, environment=worker_environment(worker.media), pool="solo")
    try:
        run_import.apply_async(kwargs={"import_id": batch.pk}, queue=doomed_queue)
        deadline = time.monotonic() + 90
        while not (batch.written_rows and batch.written_rows < batch.total_rows) and time.monotonic() < deadline:
            time.sleep(0.05)
            batch.refresh_from_db()
        doomed.send_signal(signal.SIGKILL)  # the whole worker, mid-write
        doomed.wait(timeout=30)
    finally:
        stop_worker(doomed)
    batch.refresh_from_db()
    partial = Innovation.objects.count()
    assert (batch.status, 0 < partial < 200) == (ImportBatch.Status.RUNNING, True)

    # Minutes later: no heartbeat any more, so the sweeper sends it again.
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=batch.updated_at - STALE_AFTER)
    assert import_batches_sweep() == [batch.pk]
    worker.send(batch)
    batch = finished(batch)
    assert (batch.status, batch.created_count, batch.attempts, Innovation.objects.count()) == (
        ImportBatch.Status.DONE,
        200,
        2,
        200,
    )
