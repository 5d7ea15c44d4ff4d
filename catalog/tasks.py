"""Celery wrappers of the catalogue's search upkeep."""

from __future__ import annotations

from celery import shared_task

from innovations.models import Innovation
from innovations.services.search import innovations_search_refresh


@shared_task(name="catalog.refresh_institution_search", acks_late=True)
def refresh_institution_search(*, institution_id: int) -> None:
    # Rewriting a document from the record's current text is idempotent.
    innovations_search_refresh(queryset=Innovation.objects.filter(institution_id=institution_id))
