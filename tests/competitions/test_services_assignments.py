"""Who scores which entry: by hand, from a file, automatically; conflicts of interest, declared or derived."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from competitions.conflicts import Reason
from competitions.models import Assignment, AuditRecord, ConflictOfInterest, Entry, Review
from competitions.services.assignments import (
    _Plan,
    assignment_add,
    assignment_reassign,
    assignment_release,
    assignments_auto,
    assignments_import,
    conflict_declare,
)
from jipp.models import Institution, Role
from tests.competitions.factories import AssignmentFactory, EditionFactory, EntryFactory, StageFactory
from tests.factories import InstitutionFactory, regency, user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def stage(db):
    return StageFactory(edition=EditionFactory(year=2035))


def _institution(code, region="Majene", **kwargs):
    return InstitutionFactory(code=code, name=code.title(), region=regency(region) if region else None, **kwargs)


def _entry(stage, institution, status=Entry.Status.PASSED, **kwargs):
    return EntryFactory(edition=stage.edition, institution=institution, status=status, **kwargs)


def _reviewer(username, institution=None, role=Role.REVIEWER):
    if institution is None:
        institution = InstitutionFactory(code=f"kemen-{username}", kind=Institution.Kind.MINISTRY, region=None)
    return user_with_role(role, username=username, institution=institution)


def _active(stage):
    return Assignment.objects.filter(stage=stage, released_at__isnull=True)


def test_assignment_add_creates_assignment_and_audit(stage, ministry_admin):
    entry = _entry(stage, _institution("dinkes-polman", "Polewali Mandar"))
    reviewer = _reviewer("rev1")

    assignment = assignment_add(stage=stage, entry=entry, reviewer=reviewer, by=ministry_admin)

    assert (assignment.entry, assignment.reviewer, assignment.method) == (entry, reviewer, Assignment.Method.MANUAL)
    record = AuditRecord.objects.get(action=AuditRecord.Action.ASSIGNMENT_CHANGED)
    assert (record.entry, record.actor, record.data) == (
        entry,
        ministry_admin,
        {"assigned": "rev1", "method": "manual"},
    )


def test_assignment_add_refuses_anyone_but_the_secretariat(stage, hub_admin):
    entry = _entry(stage, _institution("dinkes-polman", "Polewali Mandar"))
    with pytest.raises(PermissionDenied):
        assignment_add(stage=stage, entry=entry, reviewer=_reviewer("rev1"), by=hub_admin)
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("make_entry_institution", "reason"),
    [
        (lambda reviewer_home: reviewer_home, Reason.OWN_INSTITUTION),
        (lambda reviewer_home: reviewer_home.parent, Reason.PARENT_INSTITUTION),
        (
            lambda reviewer_home: _institution("upt-anak", "Mamuju", parent=reviewer_home),
            Reason.CHILD_INSTITUTION,
        ),
        (lambda reviewer_home: _institution("dinas-lain-majene", "Majene"), Reason.OWN_REGENCY),
    ],
)
def test_assignment_add_refuses_derived_conflict(stage, ministry_admin, make_entry_institution, reason):
    pemda = _institution("pemda-majene", "Majene", kind=Institution.Kind.PEMDA)
    home = _institution("dinkes-majene", "Majene", parent=pemda)
    reviewer = _reviewer("rev1", home)
    entry = _entry(stage, make_entry_institution(home))

    with pytest.raises(ValidationError) as refused:
        assignment_add(stage=stage, entry=entry, reviewer=reviewer, by=ministry_admin)

    assert refused.value.code == "conflict"
    assert str(reason.label) in refused.value.messages[0]
    assert not Assignment.objects.exists()


def test_assignment_add_allows_provincial_reviewer_an_entry_of_a_regency(stage, ministry_admin):
    # A provincial agency sits in the province, not in a regency: no regency to conflict with.
    province = regency("Majene").parent
    reviewer = _reviewer("rev1", InstitutionFactory(code="biro-organisasi", region=province))
    entry = _entry(stage, _institution("dinkes-majene", "Majene"))

    assert assignment_add(stage=stage, entry=entry, reviewer=reviewer, by=ministry_admin).entry == entry


@pytest.mark.parametrize("declared", ["entry", "institution", "parent institution"])
def test_assignment_add_refuses_declared_conflict(stage, ministry_admin, declared):
    pemda = _institution("pemda-polman", "Polewali Mandar", kind=Institution.Kind.PEMDA)
    entry = _entry(stage, _institution("dinkes-polman", "Polewali Mandar", parent=pemda))
    reviewer = _reviewer("rev1")
    if declared == "entry":
        ConflictOfInterest.objects.create(reviewer=reviewer, entry=entry)
    else:
        ConflictOfInterest.objects.create(
            reviewer=reviewer, institution=entry.institution if declared == "institution" else pemda
        )

    with pytest.raises(ValidationError) as refused:
        assignment_add(stage=stage, entry=entry, reviewer=reviewer, by=ministry_admin)

    assert refused.value.code == "conflict"


def test_assignment_add_refuses_entry_not_past_administrative_selection(stage, ministry_admin):
    entry = _entry(stage, _institution("dinkes-polman", "Polewali Mandar"), status=Entry.Status.SUBMITTED)
    with pytest.raises(ValidationError) as refused:
        assignment_add(stage=stage, entry=entry, reviewer=_reviewer("rev1"), by=ministry_admin)
    assert refused.value.code == "not_in_pool"


def test_assignment_add_refuses_panelist_in_desk_stage(stage, ministry_admin):
    entry = _entry(stage, _institution("dinkes-polman", "Polewali Mandar"))
    with pytest.raises(ValidationError) as refused:
        assignment_add(stage=stage, entry=entry, reviewer=_reviewer("pan1", role=Role.PANELIST), by=ministry_admin)
    assert refused.value.code == "not_a_scorer"


def test_assignment_add_refuses_after_stage_closed(ministry_admin):
    now = timezone.now()
    stage = StageFactory(
        edition=EditionFactory(year=2035), opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=1)
    )
    entry = _entry(stage, _institution("dinkes-polman", "Polewali Mandar"))
    with pytest.raises(ValidationError) as refused:
        assignment_add(stage=stage, entry=entry, reviewer=_reviewer("rev1"), by=ministry_admin)
    assert refused.value.code == "stage_closed"


def test_assignment_add_twice_refused(stage, ministry_admin):
    entry = _entry(stage, _institution("dinkes-polman", "Polewali Mandar"))
    reviewer = _reviewer("rev1")
    assignment_add(stage=stage, entry=entry, reviewer=reviewer, by=ministry_admin)
    with pytest.raises(ValidationError) as refused:
        assignment_add(stage=stage, entry=entry, reviewer=reviewer, by=ministry_admin)
    assert refused.value.code == "already_assigned"


def test_assignment_release_keeps_submitted_review(stage, ministry_admin):
    assignment = AssignmentFactory(stage=stage, entry=_entry(stage, _institution("dinkes-polman", "Polewali Mandar")))
    review = Review.objects.create(assignment=assignment, status=Review.Status.SUBMITTED, submitted_at=timezone.now())

    assignment_release(assignment=assignment, by=ministry_admin)

    assignment.refresh_from_db()
    assert assignment.released_at is not None
    assert Review.objects.get(pk=review.pk).status == Review.Status.SUBMITTED
    record = AuditRecord.objects.get(action=AuditRecord.Action.ASSIGNMENT_CHANGED)
    assert record.data == {"released": assignment.reviewer.username, "review": "submitted"}


def test_assignment_reassign_gives_entry_to_another_reviewer_and_keeps_the_review(stage, ministry_admin):
    assignment = AssignmentFactory(stage=stage, entry=_entry(stage, _institution("dinkes-polman", "Polewali Mandar")))
    Review.objects.create(assignment=assignment, status=Review.Status.SUBMITTED, submitted_at=timezone.now())
    other = _reviewer("rev2")

    new = assignment_reassign(assignment=assignment, reviewer=other, by=ministry_admin)

    assert list(_active(stage).values_list("reviewer__username", flat=True)) == ["rev2"]
    assert new.entry == assignment.entry
    assert Review.objects.filter(assignment=assignment, status=Review.Status.SUBMITTED).exists()


def test_assignment_add_takes_released_assignment_back_with_its_review(stage, ministry_admin):
    assignment = AssignmentFactory(stage=stage, entry=_entry(stage, _institution("dinkes-polman", "Polewali Mandar")))
    review = Review.objects.create(assignment=assignment)
    assignment_release(assignment=assignment, by=ministry_admin)

    again = assignment_add(stage=stage, entry=assignment.entry, reviewer=assignment.reviewer, by=ministry_admin)

    assert (again.pk, again.released_at, again.review) == (assignment.pk, None, review)


REGENCIES = ["Majene", "Polewali Mandar", "Mamasa", "Mamuju", "Pasangkayu", "Mamuju Tengah"]


def _network_entries(stage, per_regency):
    """`per_regency` passed entries from an agency of each of the six regencies."""
    entries = []
    for region in REGENCIES:
        institution = _institution(f"dinas-{region.lower().replace(' ', '-')}", region)
        entries += [_entry(stage, institution) for _ in range(per_regency)]
    return entries


def test_assignments_auto_gives_each_entry_k_reviewers_with_loads_within_one(stage, ministry_admin):
    entries = _network_entries(stage, 2)  # 12 entries x 3 = 36 assignments over 5 reviewers: 7 or 8 each
    reviewers = [_reviewer(f"rev{n}") for n in range(5)]

    result = assignments_auto(stage=stage, by=ministry_admin)

    per_entry = Counter(_active(stage).values_list("entry_id", flat=True))
    loads = Counter(_active(stage).values_list("reviewer_id", flat=True))
    assert {per_entry[entry.pk] for entry in entries} == {3}
    assert sorted(loads[reviewer.pk] for reviewer in reviewers) == [7, 7, 7, 7, 8]
    assert (result.created, result.short, result.lowest_load, result.highest_load) == (36, [], 7, 8)
    assert AuditRecord.objects.filter(action=AuditRecord.Action.ASSIGNMENT_CHANGED).count() == 12


def test_assignments_auto_respects_regency_conflicts_and_stays_balanced(stage, ministry_admin):
    entries = _network_entries(stage, 2)
    # One reviewer in each of three regencies, three from the ministry.
    local = [_reviewer(f"lokal{n}", _institution(f"univ-{n}", region)) for n, region in enumerate(REGENCIES[:3])]
    national = [_reviewer(f"rev{n}") for n in range(3)]

    assignments_auto(stage=stage, by=ministry_admin, per_entry=2)

    pairs = list(_active(stage).select_related("entry__institution__region", "reviewer__institution__region"))
    assert all(pair.entry.institution.region_id != pair.reviewer.institution.region_id for pair in pairs)
    assert Counter(pair.entry_id for pair in pairs) == {entry.pk: 2 for entry in entries}
    loads = Counter(pair.reviewer_id for pair in pairs)
    assert sorted(loads[reviewer.pk] for reviewer in local + national) == [4, 4, 4, 4, 4, 4]


def test_assignments_auto_counts_existing_assignments(stage, ministry_admin):
    entry = _entry(stage, _institution("dinas-mamasa", "Mamasa"))
    reviewers = [_reviewer(f"rev{n}") for n in range(4)]
    AssignmentFactory(stage=stage, entry=entry, reviewer=reviewers[0])

    result = assignments_auto(stage=stage, by=ministry_admin)

    assert result.created == 2
    assert _active(stage).filter(entry=entry).count() == 3


def test_assignments_auto_never_gives_back_a_released_entry(stage, ministry_admin):
    entry = _entry(stage, _institution("dinas-mamasa", "Mamasa"))
    first, second = _reviewer("rev1"), _reviewer("rev2")
    AssignmentFactory(stage=stage, entry=entry, reviewer=first, released_at=timezone.now())

    result = assignments_auto(stage=stage, by=ministry_admin, per_entry=2)

    assert list(_active(stage).values_list("reviewer", flat=True)) == [second.pk]
    assert [(short.pk, missing) for short, missing in result.short] == [(entry.pk, 1)]


def test_assignments_auto_reports_entries_left_short_by_conflicts(stage, ministry_admin):
    entry = _entry(stage, _institution("dinas-majene", "Majene"))
    _reviewer("lokal", _institution("univ-majene", "Majene"))
    _reviewer("rev1")

    result = assignments_auto(stage=stage, by=ministry_admin, per_entry=2)

    assert [(short.pk, missing) for short, missing in result.short] == [(entry.pk, 1)]
    assert list(_active(stage).values_list("reviewer__username", flat=True)) == ["rev1"]


def test_assignments_auto_without_scorers_refused(stage, ministry_admin):
    _entry(stage, _institution("dinas-majene", "Majene"))
    with pytest.raises(ValidationError) as refused:
        assignments_auto(stage=stage, by=ministry_admin)
    assert refused.value.code == "no_scorers"


def test_plan_balance_shifts_load_along_a_chain():
    # a has 3 new entries, c none. Entry 1 can go to a or b only; entry 4 (b's) can go to b or c:
    # the only way to even out is 1: a -> b and 4: b -> c.
    plan = _Plan(Counter({"a": 0, "b": 0, "c": 0}), set())
    for entry_id, reviewer in [(1, "a"), (2, "a"), (3, "a"), (4, "b")]:
        plan.add(entry_id, reviewer)
    eligible = {1: ["a", "b"], 2: ["a"], 3: ["a"], 4: ["b", "c"]}

    plan.balance(["a", "b", "c"], eligible)

    assert dict(plan.loads) == {"a": 2, "b": 1, "c": 1}
    assert plan.taken == {(2, "a"), (3, "a"), (1, "b"), (4, "c")}


def _csv(*rows, delimiter=","):
    return ("\ufeff" + "\n".join(delimiter.join(row) for row in rows) + "\n").encode()


def test_assignments_import_assigns_by_code_number_username_and_email(stage, ministry_admin):
    first = _entry(stage, _institution("dinas-mamasa", "Mamasa"))
    second = _entry(stage, _institution("dinas-mamuju", "Mamuju"))
    _reviewer("rev1"), _reviewer("rev2")
    content = _csv(
        ["peserta", "penilai"],
        [first.code, "rev1"],
        [str(second.number), "REV2@example.go.id"],
        delimiter=";",
    )

    result = assignments_import(stage=stage, by=ministry_admin, name="tugas.csv", content=content)

    assert (result.added, result.unchanged) == (2, 0)
    assert set(_active(stage).values_list("entry", "reviewer__username")) == {(first.pk, "rev1"), (second.pk, "rev2")}
    assert set(_active(stage).values_list("method", flat=True)) == {Assignment.Method.CSV}


def test_assignments_import_again_changes_nothing(stage, ministry_admin):
    entry = _entry(stage, _institution("dinas-mamasa", "Mamasa"))
    _reviewer("rev1")
    content = _csv(["entry", "reviewer"], [entry.code, "rev1"])
    assignments_import(stage=stage, by=ministry_admin, name="a.csv", content=content)

    result = assignments_import(stage=stage, by=ministry_admin, name="a.csv", content=content)

    assert (result.added, result.unchanged) == (0, 1)
    assert _active(stage).count() == 1


def test_assignments_import_names_row_and_column_of_each_error_and_writes_nothing(stage, ministry_admin):
    entry = _entry(stage, _institution("dinas-majene", "Majene"))
    _reviewer("rev1")
    _reviewer("lokal", _institution("univ-majene", "Majene"))
    year = stage.edition.year
    content = _csv(
        ["Entry", "Reviewer"],
        [entry.code, "rev1"],
        [f"KIPP-{year}-0999", "rev1"],
        [entry.code, "nobody"],
        ["", "rev1"],
        [entry.code, "lokal"],
        [entry.code, "rev1"],
    )

    with pytest.raises(ValidationError) as refused:
        assignments_import(stage=stage, by=ministry_admin, name="a.csv", content=content)

    assert refused.value.messages == [
        f"Row 3, column “entry”: “KIPP-{year}-0999” is not an entry of this stage.",
        "Row 4, column “reviewer”: nobody who scores this stage has the username or e-mail “nobody”.",
        "Row 5, column “entry”: the entry is missing.",
        f"Row 6, column “reviewer”: Uji may not score {entry.code}: the reviewer's own regency.",
        "Row 7, column “reviewer”: repeats row 2.",
    ]
    assert not Assignment.objects.exists()


def test_assignments_import_without_columns_refused(stage, ministry_admin):
    with pytest.raises(ValidationError) as refused:
        assignments_import(stage=stage, by=ministry_admin, name="a.csv", content=_csv(["a", "b"], ["1", "x"]))
    assert refused.value.code == "columns"


def test_assignments_import_unreadable_file_refused(stage, ministry_admin):
    with pytest.raises(ValidationError) as refused:
        assignments_import(stage=stage, by=ministry_admin, name="a.csv", content=b"\xff\xfe\x00bad")
    assert refused.value.messages == ["The file cannot be read as CSV (UTF-8) or XLSX."]


def test_conflict_declare_releases_covered_assignments(stage, ministry_admin):
    entry = _entry(stage, _institution("dinas-mamasa", "Mamasa"))
    other = _entry(stage, _institution("dinas-mamuju", "Mamuju"))
    reviewer = _reviewer("rev1")
    covered = AssignmentFactory(stage=stage, entry=entry, reviewer=reviewer)
    kept = AssignmentFactory(stage=stage, entry=other, reviewer=reviewer)

    conflict_declare(
        edition=stage.edition, reviewer=reviewer, institution=entry.institution, by=ministry_admin, reason="Alumni"
    )

    covered.refresh_from_db(), kept.refresh_from_db()
    assert (covered.released_at is not None, kept.released_at) == (True, None)
    record = AuditRecord.objects.get(action=AuditRecord.Action.CONFLICT_DECLARED)
    assert record.data["released"] == [f"desk_evaluation:{entry.code}"]


def test_conflict_declare_by_reviewer_for_themselves(stage):
    entry = _entry(stage, _institution("dinas-mamasa", "Mamasa"))
    reviewer = _reviewer("rev1")

    conflict = conflict_declare(edition=stage.edition, reviewer=reviewer, entry=entry, by=reviewer)

    assert (conflict.reviewer, conflict.entry, conflict.declared_by) == (reviewer, entry, reviewer)


def test_conflict_declare_by_reviewer_for_someone_else_refused(stage):
    entry = _entry(stage, _institution("dinas-mamasa", "Mamasa"))
    with pytest.raises(PermissionDenied):
        conflict_declare(edition=stage.edition, reviewer=_reviewer("rev2"), entry=entry, by=_reviewer("rev1"))
    assert not ConflictOfInterest.objects.exists()


def test_conflict_declare_needs_entry_or_institution(stage, ministry_admin):
    with pytest.raises(ValidationError) as refused:
        conflict_declare(edition=stage.edition, reviewer=_reviewer("rev1"), by=ministry_admin)
    assert refused.value.code == "entry_or_institution"
