"""Celery wrappers of the catalogue's search upkeep."""

from __future__ import annotations

from celery import shared_task

from innovations.models import Innovation
from innovations.services.search import innovations_search_refresh

from .services import search_vocabulary_rebuild


@shared_task(name="catalog.refresh_institution_search", acks_late=True)
def refresh_institution_search(*, institution_id: int) -> None:
    # Rewriting a document from the record's current text is idempotent.
    innovations_search_refresh(queryset=Innovation.objects.filter(institution_id=institution_id))


@shared_task(name="catalog.rebuild_search_vocabulary", acks_late=True)
def rebuild_search_vocabulary() -> None:
    # A rebuild replaces the whole table from the records: running it twice gives the same table.
    search_vocabulary_rebuild()
