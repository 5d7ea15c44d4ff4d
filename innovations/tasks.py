"""Celery wrappers around the innovations services."""

from __future__ import annotations

from celery import shared_task

from .services.imports import import_batch_run


@shared_task(name="innovations.run_import", acks_late=True)
def run_import(*, import_id: int) -> None:
    # import_batch_run is itself idempotent: a batch that is done or refused is left as it is.
    import_batch_run(batch_id=import_id)
