"""The audit trail of an edition: every decision, selection, score change and publication, with who and when."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jipp.models import User

from ..models import AuditRecord, Edition, Entry, Stage


def audit_record(
    *,
    edition: Edition,
    action: str,
    by: User | None,
    stage: Stage | None = None,
    entry: Entry | None = None,
    data: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one record; call it inside the transaction of the write it describes."""
    return AuditRecord.objects.create(
        edition=edition, stage=stage, entry=entry, actor=by, action=action, data=data or {}
    )


def audit_records(
    *,
    edition: Edition,
    action: str,
    by: User | None,
    items: Iterable[tuple[Entry, dict[str, Any]]],
    stage: Stage | None = None,
) -> None:
    """One record per entry of a bulk write, each with its own data, in one query."""
    AuditRecord.objects.bulk_create(
        [
            AuditRecord(edition=edition, stage=stage, entry=entry, actor=by, action=action, data=data)
            for entry, data in items
        ]
    )
