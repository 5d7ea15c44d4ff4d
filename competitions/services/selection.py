"""Writes: the administrative selection, where the secretariat passes or fails entries with reasons from a
checklist (AdminReason), one by one or in bulk. Every mark is recorded in the audit trail."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jipp.models import User
from jipp.permissions import ensure_can

from ..models import AdminReason, AuditRecord, Edition, Entry
from .audit import audit_record, audit_records

# Statuses the administrative selection may set or change.
SELECTABLE = (Entry.Status.SUBMITTED, Entry.Status.PASSED, Entry.Status.FAILED)


def _checked_reasons(*, passed: bool, reasons: Sequence[str]) -> list[str]:
    unknown = [reason for reason in reasons if reason not in AdminReason.values]
    if unknown:
        raise ValidationError(_("Unknown reason: %(reason)s.") % {"reason": ", ".join(unknown)}, code="unknown_reason")
    if passed:
        return []
    if not reasons:
        raise ValidationError(_("Tick at least one reason why the entry fails."), code="reason_required")
    return list(dict.fromkeys(reasons))


@transaction.atomic
def entry_select(*, entry: Entry, by: User, passed: bool, reasons: Sequence[str] = (), note: str = "") -> Entry:
    """Mark one entry passed, or failed with at least one reason; a later mark corrects an earlier one."""
    entry = Entry.objects.select_for_update().select_related("edition").get(pk=entry.pk)
    ensure_can(by, "competitions.select_entries", entry)
    if entry.status not in SELECTABLE:
        raise ValidationError(
            _("An entry that is “%(status)s” is not in the administrative selection.")
            % {"status": entry.get_status_display()},
            code="not_selectable",
        )
    checked = _checked_reasons(passed=passed, reasons=reasons)
    before = {"status": entry.status, "reasons": entry.admin_reasons}
    entry.status = Entry.Status.PASSED if passed else Entry.Status.FAILED
    entry.admin_reasons, entry.admin_note = checked, note.strip()
    entry.admin_checked_at, entry.admin_checked_by = timezone.now(), by
    entry.save()
    audit_record(
        edition=entry.edition,
        entry=entry,
        action=AuditRecord.Action.ADMIN_SELECTION,
        by=by,
        data={"before": before, "after": {"status": entry.status, "reasons": checked, "note": entry.admin_note}},
    )
    return entry


@transaction.atomic
def entries_select(
    *, edition: Edition, entry_ids: Sequence[int], by: User, passed: bool, reasons: Sequence[str] = (), note: str = ""
) -> list[Entry]:
    """Mark many entries of one edition at once. Entries not in the selection (withdrawn, or already past
    it) are left as they are; the entries marked are returned."""
    ensure_can(by, "competitions.select_entries")
    checked = _checked_reasons(passed=passed, reasons=reasons)
    entries = list(
        Entry.objects.select_for_update()
        .filter(edition=edition, pk__in=entry_ids, status__in=SELECTABLE)
        .order_by("number")
    )
    status = Entry.Status.PASSED if passed else Entry.Status.FAILED
    now = timezone.now()
    after = {"status": status, "reasons": checked, "note": note.strip()}
    items = []
    for entry in entries:
        items.append(
            (entry, {"bulk": True, "before": {"status": entry.status, "reasons": entry.admin_reasons}, "after": after})
        )
        entry.status, entry.admin_reasons, entry.admin_note = status, checked, note.strip()
        entry.admin_checked_at, entry.admin_checked_by, entry.updated_at = now, by, now
    Entry.objects.bulk_update(
        entries, ["status", "admin_reasons", "admin_note", "admin_checked_at", "admin_checked_by", "updated_at"]
    )
    audit_records(edition=edition, action=AuditRecord.Action.ADMIN_SELECTION, by=by, items=items)
    return entries
