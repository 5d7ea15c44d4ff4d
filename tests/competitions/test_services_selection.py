"""The administrative selection: passed, or failed with reasons from the checklist, one by one or in bulk."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from competitions.models import AdminReason, AuditRecord, Entry
from competitions.services.selection import entries_select, entry_select
from tests.competitions.factories import EntryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_entry_select_fails_with_reasons_and_records_it(ministry_admin, edition):
    entry = EntryFactory(edition=edition)
    entry_select(
        entry=entry, by=ministry_admin, passed=False, reasons=[AdminReason.MISSING_DOCUMENT], note="SK belum ada"
    )
    entry.refresh_from_db()
    record = AuditRecord.objects.get(entry=entry, action=AuditRecord.Action.ADMIN_SELECTION)
    assert (
        entry.status,
        entry.admin_reasons,
        entry.admin_note,
        entry.admin_checked_by,
        record.actor,
        record.data["before"],
        record.data["after"]["status"],
    ) == (
        Entry.Status.FAILED,
        ["missing_document"],
        "SK belum ada",
        ministry_admin,
        ministry_admin,
        {"status": "submitted", "reasons": []},
        "failed",
    )


def test_entry_select_failing_without_a_reason_refused(ministry_admin, edition):
    entry = EntryFactory(edition=edition)
    with pytest.raises(ValidationError) as error:
        entry_select(entry=entry, by=ministry_admin, passed=False)
    entry.refresh_from_db()
    assert (error.value.code, entry.status) == ("reason_required", Entry.Status.SUBMITTED)


def test_entry_select_passing_clears_earlier_reasons(ministry_admin, edition):
    entry = EntryFactory(edition=edition)
    entry_select(entry=entry, by=ministry_admin, passed=False, reasons=[AdminReason.DUPLICATE])
    entry_select(entry=entry, by=ministry_admin, passed=True, reasons=[AdminReason.DUPLICATE])
    entry.refresh_from_db()
    assert (entry.status, entry.admin_reasons) == (Entry.Status.PASSED, [])


def test_entry_select_unknown_reason_refused(ministry_admin, edition):
    with pytest.raises(ValidationError):
        entry_select(entry=EntryFactory(edition=edition), by=ministry_admin, passed=False, reasons=["bribe"])


def test_entry_select_withdrawn_entry_refused(ministry_admin, edition):
    entry = EntryFactory(edition=edition, status=Entry.Status.WITHDRAWN, withdrawn_at=timezone.now())
    with pytest.raises(ValidationError) as error:
        entry_select(entry=entry, by=ministry_admin, passed=True)
    assert error.value.code == "not_selectable"


@pytest.mark.parametrize("role", ["operator", "hub_admin", "reviewer", "panelist"])
def test_entry_select_refused_to_everybody_but_the_secretariat(request, role, edition):
    entry = EntryFactory(edition=edition)
    with pytest.raises(PermissionDenied):
        entry_select(entry=entry, by=request.getfixturevalue(role), passed=True)
    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED


def test_entries_select_marks_many_and_leaves_withdrawn_ones(ministry_admin, edition):
    first, second = EntryFactory(edition=edition), EntryFactory(edition=edition)
    withdrawn = EntryFactory(edition=edition, status=Entry.Status.WITHDRAWN, withdrawn_at=timezone.now())
    marked = entries_select(
        edition=edition,
        entry_ids=[first.pk, second.pk, withdrawn.pk],
        by=ministry_admin,
        passed=False,
        reasons=[AdminReason.TOO_YOUNG, AdminReason.INCOMPLETE_SECTION],
    )
    assert (
        marked,
        list(Entry.objects.order_by("number").values_list("status", "admin_reasons")),
        list(AuditRecord.objects.order_by("entry__number").values_list("entry", "actor")),
    ) == (
        [first, second],
        [
            ("failed", ["too_young", "incomplete_section"]),
            ("failed", ["too_young", "incomplete_section"]),
            ("withdrawn", []),
        ],
        [(first.pk, ministry_admin.pk), (second.pk, ministry_admin.pk)],
    )


def test_entries_select_ignores_entries_of_another_edition(ministry_admin, edition):
    elsewhere = EntryFactory()
    assert entries_select(edition=edition, entry_ids=[elsewhere.pk], by=ministry_admin, passed=True) == []
    elsewhere.refresh_from_db()
    assert elsewhere.status == Entry.Status.SUBMITTED


def test_entries_select_refused_to_the_hub(hub_admin, edition):
    entry = EntryFactory(edition=edition)
    with pytest.raises(PermissionDenied):
        entries_select(edition=edition, entry_ids=[entry.pk], by=hub_admin, passed=True)
