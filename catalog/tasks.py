"""Celery wrappers of the catalogue's upkeep: search documents, vocabulary, figures kept ahead."""

from __future__ import annotations

from celery import shared_task

from innovations.models import Innovation
from innovations.services.search import innovations_search_refresh

from .services import public_figures_warm, search_vocabulary_rebuild


@shared_task(name="catalog.refresh_institution_search", acks_late=True)
def refresh_institution_search(*, institution_id: int) -> None:
    # Rewriting a document from the record's current text is idempotent.
    innovations_search_refresh(queryset=Innovation.objects.filter(institution_id=institution_id))


@shared_task(name="catalog.rebuild_search_vocabulary", acks_late=True)
def rebuild_search_vocabulary() -> None:
    # A rebuild replaces the whole table from the records: running it twice gives the same table.
    search_vocabulary_rebuild()


@shared_task(name="catalog.warm_public_figures", acks_late=True)
def warm_public_figures(*, token: str) -> None:
    # Figures already kept are left as they are, and a version replaced since is skipped: idempotent.
    public_figures_warm(token=token)
