"""Celery wrappers around the innovations services."""

from __future__ import annotations

from celery import shared_task

from .services.evidence import evidence_make_preview
from .services.imports import import_batch_run


@shared_task(name="innovations.run_import", acks_late=True)
def run_import(*, import_id: int) -> None:
    # import_batch_run is itself idempotent: a batch that is done or refused is left as it is.
    import_batch_run(batch_id=import_id)


# Acknowledged on receipt, unlike the default: a photo that brought a worker down must not be handed
# to the next worker again and again; the page keeps its placeholder instead.
@shared_task(name="innovations.make_evidence_preview", acks_late=False)
def make_evidence_preview(*, evidence_id: int) -> None:
    # evidence_make_preview is idempotent: a photo that already has its preview is left as it is.
    evidence_make_preview(evidence_id=evidence_id)
