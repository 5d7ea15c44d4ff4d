"""Celery wrappers around the innovations services."""

from __future__ import annotations

from celery import Task, shared_task
from django.utils import timezone

from jipp.broker import enqueue

from .models import ImportBatch
from .selectors import evidence_previews_missing
from .services.evidence import evidence_make_preview
from .services.imports import import_batch_run, import_batches_sweep

# While another import writes, a waiting one asks again this often, this many times (ten minutes);
# after that the sweeper sends it again.
IMPORT_WAIT_SECONDS = 5
IMPORT_WAIT_RETRIES = 120


# Acknowledged late and requeued if the worker is lost: the import's own attempt count
# (ImportBatch.attempts) ends a file that keeps stopping the worker, so redelivery is bounded.
@shared_task(
    name="innovations.run_import",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    max_retries=IMPORT_WAIT_RETRIES,
)
def run_import(self: Task, *, import_id: int) -> None:
    # import_batch_run is idempotent: a batch that is finished, or owned by another run, is left as it is.
    batch = import_batch_run(batch_id=import_id)
    if batch.status == ImportBatch.Status.PENDING and not self.request.is_eager:
        raise self.retry(countdown=IMPORT_WAIT_SECONDS)


def enqueue_import(*, import_id: int) -> bool:
    """Send the batch to the worker; False when the broker cannot be reached right now.

    The batch stays waiting and the sweeper sends it later (see jipp.broker.enqueue).
    """
    return enqueue(run_import, import_id=import_id)


@shared_task(name="innovations.sweep_imports", ignore_result=True)
def sweep_imports() -> None:
    """Run by celery beat every minute (CELERY_BEAT_SCHEDULE)."""
    for import_id in import_batches_sweep():
        enqueue_import(import_id=import_id)


# Acknowledged on receipt, unlike the default: a photo that brought a worker down must not be handed
# to the next worker again and again; the page keeps its placeholder instead.
@shared_task(name="innovations.make_evidence_preview", acks_late=False)
def make_evidence_preview(*, evidence_id: int) -> None:
    # evidence_make_preview is idempotent: a photo that already has its preview is left as it is.
    evidence_make_preview(evidence_id=evidence_id)


@shared_task(name="innovations.sweep_evidence_previews", ignore_result=True)
def sweep_evidence_previews() -> None:
    """Run by celery beat every 15 minutes: previews whose task was lost are asked for again."""
    for evidence_id in evidence_previews_missing(now=timezone.now()):
        enqueue(make_evidence_preview, evidence_id=evidence_id)
