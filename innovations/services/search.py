"""Writes of search data in bulk: the services write one record's document as they save it
(innovations.search.fill_search_document); this rewrites many at once."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import QuerySet

from ..models import Innovation
from ..search import DOCUMENT_FIELDS, fill_search_document

BATCH_SIZE = 500


def _write_documents(batch: list[Innovation]) -> None:
    """One UPDATE … FROM (VALUES …) per batch, on PostgreSQL and SQLite alike.

    (bulk_update writes a CASE per column with a branch per row: ten times slower at 500 rows.)
    """
    if not batch:
        return
    table = connection.ops.quote_name(Innovation._meta.db_table)
    fields = list(DOCUMENT_FIELDS)
    names = ", ".join(f"column{number} AS {name}" for number, name in enumerate(["id", *fields], start=1))
    rows = ", ".join(["(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"] * len(batch))
    assignments = ", ".join(f"{name} = given.{name}" for name in fields)
    params = [value for record in batch for value in (record.pk, *(getattr(record, name) for name in fields))]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} "  # noqa: S608 (names are ours; values are parameters)
            f"FROM (SELECT {names} FROM (VALUES {rows}) AS listed) AS given WHERE {table}.id = given.id",
            params,
        )


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
            _write_documents(batch)
            count += len(batch)
            batch = []
    _write_documents(batch)
    return count + len(batch)
