"""Entering a published innovation: who may, what is frozen, and each reason for a refusal."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from competitions.models import AuditRecord, Entry, EntryGroup, Stage
from competitions.services.entries import entry_submit, entry_withdraw, months_between
from innovations.models import Award, Innovation, Replication, State
from innovations.services.evidence import evidence_add
from tests.competitions.factories import published_record
from tests.factories import InstitutionFactory
from tests.innovations.factories_workflow import PDF_BYTES, pdf_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _enter(by, edition, record, group=EntryGroup.GENERAL, code=1):
    return entry_submit(
        by=by, edition=edition, innovation=record, group=group, category=edition.categories.get(code=code)
    )


def _codes(error):
    return [item.code for item in error.value.error_list]


def test_entry_submit_freezes_the_record_and_numbers_the_entry(operator, edition, record):
    entry = _enter(operator, edition, record)
    assert (
        entry.number,
        entry.code,
        entry.institution,
        entry.status,
        entry.snapshot["title"],
        entry.snapshot["sections"]["summary"],
        entry.snapshot["institution"]["name"],
        entry.snapshot["profile"]["implementation_date"],
    ) == (
        1,
        "KIPP-2040-0001",
        operator.institution,
        Entry.Status.SUBMITTED,
        "Layanan Kesehatan Keliling",
        "Ringkasan layanan uji.",
        operator.institution.name,
        record.implementation_date.isoformat(),
    )


def test_entry_submit_later_edits_of_the_record_do_not_change_the_proposal(operator, edition, record):
    entry = _enter(operator, edition, record)
    Innovation.objects.filter(pk=record.pk).update(title="Judul lain", summary="Ringkasan lain")
    entry.refresh_from_db()
    assert (entry.title, entry.snapshot["sections"]["summary"]) == (
        "Layanan Kesehatan Keliling",
        "Ringkasan layanan uji.",
    )


def test_entry_submit_copies_the_evidence_files(operator, edition, record):
    Innovation.objects.filter(pk=record.pk).update(state=State.DRAFT)
    evidence = evidence_add(
        innovation=Innovation.objects.get(pk=record.pk), by=operator, upload=pdf_file("sk.pdf"), caption="SK Bupati"
    )
    Innovation.objects.filter(pk=record.pk).update(state=State.PUBLISHED)
    entry = _enter(operator, edition, record)
    evidence.file.delete()
    evidence.delete()
    copy = entry.evidence.get()
    with copy.file.open("rb") as handle:
        content = handle.read()
    assert (
        [(item["id"], item["caption"], item["original_name"]) for item in entry.snapshot["evidence"]],
        content,
        copy.file.name.startswith("kipp/evidence/"),
    ) == ([(copy.pk, "SK Bupati", "sk.pdf")], PDF_BYTES, True)


def test_entry_submit_records_who_entered(operator, edition, record):
    entry = _enter(operator, edition, record)
    assert list(AuditRecord.objects.filter(entry=entry).values_list("action", "actor")) == [
        (AuditRecord.Action.ENTRY_SUBMITTED, operator.pk)
    ]


def test_entry_submit_refuses_another_institutions_record(other_operator, edition, record):
    with pytest.raises(PermissionDenied):
        _enter(other_operator, edition, record)
    assert Entry.objects.count() == 0


@pytest.mark.parametrize("role", ["reviewer", "panelist", "ministry_admin"])
def test_entry_submit_refuses_roles_that_do_not_enter(request, role, edition, record):
    with pytest.raises(PermissionDenied):
        _enter(request.getfixturevalue(role), edition, record)


def test_entry_submit_by_the_hub_for_a_member_institution(hub_admin, edition, record):
    entry = _enter(hub_admin, edition, record)
    assert (entry.institution, entry.submitted_by) == (record.institution, hub_admin)


def test_entry_submit_refuses_a_draft(operator, edition, record):
    Innovation.objects.filter(pk=record.pk).update(state=State.DRAFT)
    with pytest.raises(ValidationError) as error:
        _enter(operator, edition, Innovation.objects.get(pk=record.pk))
    assert _codes(error) == ["not_published"]


def test_entry_submit_too_young_says_how_old(operator, edition):
    started = timezone.localdate() - timedelta(days=200)
    young = published_record(operator.institution, implementation_date=started)
    with pytest.raises(ValidationError) as error:
        _enter(operator, edition, young)
    months = months_between(started, timezone.localdate())
    assert (_codes(error), months < 24, f"has run {months} months" in error.value.messages[0]) == (
        ["too_young"],
        True,
        True,
    )


def test_entry_submit_without_implementation_date_refused(operator, edition):
    undated = published_record(operator.institution, implementation_date=None)
    with pytest.raises(ValidationError) as error:
        _enter(operator, edition, undated)
    assert _codes(error) == ["no_implementation_date"]


def test_entry_submit_over_the_institutions_limit(operator, edition):
    first, second, third = (published_record(operator.institution) for _ in range(3))
    _enter(operator, edition, first)
    _enter(operator, edition, second)
    with pytest.raises(ValidationError) as error:
        _enter(operator, edition, third)
    assert (_codes(error), Entry.objects.count()) == (["over_limit"], 2)


def test_entry_submit_withdrawn_entries_do_not_count_to_the_limit(operator, edition):
    first, second, third = (published_record(operator.institution) for _ in range(3))
    entry_withdraw(entry=_enter(operator, edition, first), by=operator)
    _enter(operator, edition, second)
    _enter(operator, edition, third)
    assert Entry.objects.exclude(status=Entry.Status.WITHDRAWN).count() == 2


def test_entry_submit_past_winner_refused_in_the_general_group(operator, edition, record):
    Award.objects.create(innovation=record, year=2023, competition=Award.Competition.KIPP, rank=Award.Rank.TOP_45)
    with pytest.raises(ValidationError) as error:
        _enter(operator, edition, record)
    assert _codes(error) == ["past_winner"]


def test_entry_submit_past_top_99_is_no_winner(operator, edition, record):
    Award.objects.create(innovation=record, year=2023, competition=Award.Competition.KIPP, rank=Award.Rank.TOP_99)
    assert _enter(operator, edition, record).status == Entry.Status.SUBMITTED


def test_entry_submit_replication_without_origin_refused(operator, edition, record):
    with pytest.raises(ValidationError) as error:
        _enter(operator, edition, record, group=EntryGroup.REPLICATION)
    assert _codes(error) == ["no_origin"]


def test_entry_submit_replication_keeps_its_origin(operator, edition, record):
    origin = published_record(InstitutionFactory())
    Replication.objects.create(
        origin=origin, institution=operator.institution, replica=record, status=Replication.Status.IMPLEMENTED
    )
    entry = _enter(operator, edition, record, group=EntryGroup.REPLICATION)
    assert entry.origin == origin


def test_entry_submit_group_the_edition_does_not_offer(operator, edition, record):
    with pytest.raises(ValidationError) as error:
        _enter(operator, edition, record, group=EntryGroup.SPECIAL)
    assert _codes(error) == ["group_not_offered"]


def test_entry_submit_twice_in_one_edition_refused(operator, edition, record):
    _enter(operator, edition, record)
    with pytest.raises(ValidationError) as error:
        _enter(operator, edition, record, code=2)
    assert _codes(error) == ["already_entered"]


def test_entry_submit_after_registration_closed_refused(operator, edition, record):
    Stage.objects.filter(edition=edition, kind=Stage.Kind.REGISTRATION).update(
        opens_at=timezone.now() - timedelta(days=9), closes_at=timezone.now() - timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        _enter(operator, edition, record)
    assert _codes(error) == ["registration_closed"]


def test_entry_withdraw_until_registration_closes(operator, edition, record):
    entry = entry_withdraw(entry=_enter(operator, edition, record), by=operator)
    assert (entry.status, entry.withdrawn_at is not None) == (Entry.Status.WITHDRAWN, True)


def test_entry_withdraw_after_registration_closed_refused(operator, edition, record):
    entry = _enter(operator, edition, record)
    Stage.objects.filter(edition=edition, kind=Stage.Kind.REGISTRATION).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError) as error:
        entry_withdraw(entry=entry, by=operator)
    entry.refresh_from_db()
    assert (error.value.code, entry.status) == ("registration_closed", Entry.Status.SUBMITTED)


def test_entry_withdraw_by_another_institution_refused(operator, other_operator, edition, record):
    entry = _enter(operator, edition, record)
    with pytest.raises(PermissionDenied):
        entry_withdraw(entry=entry, by=other_operator)


def test_entry_withdrawn_record_may_enter_again(operator, edition, record):
    entry_withdraw(entry=_enter(operator, edition, record), by=operator)
    assert _enter(operator, edition, record).number == 2


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [("2024-01-31", "2024-02-29", 0), ("2024-01-15", "2026-01-15", 24), ("2024-01-15", "2026-01-14", 23)],
)
def test_months_between_counts_whole_months(start, end, months):
    from datetime import date

    assert months_between(date.fromisoformat(start), date.fromisoformat(end)) == months
