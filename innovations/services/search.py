"""Writes of search data in bulk: the services write one record's document as they save it
(innovations.search.fill_search_document); this rewrites many at once."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from ..models import Innovation
from ..search import DOCUMENT_FIELDS, fill_search_document

BATCH_SIZE = 500


@transaction.atomic
def innovations_search_refresh(*, queryset: QuerySet[Innovation]) -> int:
    """Rewrite the search document of every record in `queryset`; returns how many.

    For writes that bypass the record services: generated or seeded records, a renamed institution,
    a repair after a change of the analysis.
    """
    count = 0
    batch: list[Innovation] = []
    records = queryset.select_related("institution", "region").order_by("pk")
    for innovation in records.iterator(chunk_size=BATCH_SIZE):
        fill_search_document(innovation)
        batch.append(innovation)
        if len(batch) == BATCH_SIZE:
            Innovation.objects.bulk_update(batch, list(DOCUMENT_FIELDS))
            count += len(batch)
            batch = []
    Innovation.objects.bulk_update(batch, list(DOCUMENT_FIELDS))
    return count + len(batch)
