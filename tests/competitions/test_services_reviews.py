"""Scoring an assigned entry: drafts, submission, changes until the stage closes; what is refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from competitions.models import AuditRecord, ConflictOfInterest, Edition, Entry, Review, Score, Stage
from competitions.services.reviews import ScoreInput, review_save
from jipp.models import Institution, Role
from tests.competitions.factories import AssignmentFactory, CriterionFactory, EditionFactory, EntryFactory, StageFactory
from tests.factories import InstitutionFactory, regency, user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LEVELS = {str(n): {"id": f"Tingkat {n}", "en": f"Level {n}"} for n in range(1, 6)}


@pytest.fixture
def setup(db):
    """A desk evaluation open now with three criteria: Novelty (weight 2, 0-100), Effective (weight 1,
    levels 1-5) and Notes (0-10, not counted); a Polewali Mandar entry scored by a ministry reviewer."""
    stage = StageFactory(edition=EditionFactory(year=2035))
    novelty = CriterionFactory(stage=stage, name_id="Kebaruan", name_en="Novelty", weight=Decimal(2), order=1)
    effective = CriterionFactory(
        stage=stage, name_id="Efektif", name_en="Effective", scale_min=1, scale_max=5, level_labels=LEVELS, order=2
    )
    notes = CriterionFactory(
        stage=stage, name_id="Catatan", name_en="Notes", scale_max=10, counts_to_total=False, order=3
    )
    institution = InstitutionFactory(code="dinkes-polman", region=regency("Polewali Mandar"))
    entry = EntryFactory(edition=stage.edition, institution=institution, status=Entry.Status.PASSED)
    reviewer = user_with_role(
        Role.REVIEWER,
        username="rev1",
        institution=InstitutionFactory(code="kemen", kind=Institution.Kind.MINISTRY, region=None),
    )
    assignment = AssignmentFactory(stage=stage, entry=entry, reviewer=reviewer)
    return {
        "stage": stage,
        "novelty": novelty,
        "effective": effective,
        "notes": notes,
        "entry": entry,
        "reviewer": reviewer,
        "assignment": assignment,
    }


def _scores(s, novelty=None, effective=None, notes=None, abstain=(), comment=""):
    values = {"novelty": novelty, "effective": effective, "notes": notes}
    return [
        ScoreInput(
            s[name].pk,
            None if value is None else Decimal(str(value)),
            abstained=name in abstain,
            comment=comment if name == "novelty" else "",
        )
        for name, value in values.items()
    ]


def _save(s, submit=False, by=None, **values):
    return review_save(assignment=s["assignment"], by=by or s["reviewer"], scores=_scores(s, **values), submit=submit)


def test_review_save_draft_keeps_values_without_total_or_audit(setup):
    review = _save(setup, novelty=70, comment="Baru di Sulbar")

    assert (review.status, review.total, review.submitted_at) == (Review.Status.DRAFT, None, None)
    assert {score.criterion.name_en: (score.value, score.comment) for score in review.scores.all()} == {
        "Novelty": (Decimal("70.00"), "Baru di Sulbar"),
        "Effective": (None, ""),
        "Notes": (None, ""),
    }
    assert not AuditRecord.objects.exists()


def test_review_submit_computes_total_over_counted_criteria(setup):
    # 100 x (2 x 70 + 1 x 4) / (2 x 100 + 1 x 5) = 14400 / 205 = 70.2439; Notes does not count.
    review = _save(setup, submit=True, novelty=70, effective=4, notes=9)

    assert (review.status, review.total) == (Review.Status.SUBMITTED, Decimal("70.2439"))
    assert review.submitted_at is not None


def test_review_submit_abstention_leaves_both_sums(setup):
    # Effective abstained: 100 x (2 x 70) / (2 x 100) = 70.
    review = _save(setup, submit=True, novelty=70, notes=9, abstain={"effective"})

    assert review.total == Decimal("70.0000")
    assert review.scores.get(criterion=setup["effective"]).abstained is True


def test_review_submit_stores_the_rubric_as_scored(setup):
    review = _save(setup, submit=True, novelty=70, effective=4, notes=9)

    assert review.weights[str(setup["novelty"].pk)] == {"weight": "2.00", "min": 0, "max": 100, "counts": True}
    assert review.weights[str(setup["notes"].pk)]["counts"] is False
    assert {(score.weight, score.scale_min, score.scale_max) for score in review.scores.all()} == {
        (Decimal("2.00"), 0, 100),
        (Decimal("1.00"), 1, 5),
        (Decimal("1.00"), 0, 10),
    }


def test_review_submit_is_audited_with_scores(setup):
    _save(setup, submit=True, novelty=70, effective=4, abstain={"notes"})

    record = AuditRecord.objects.get(action=AuditRecord.Action.REVIEW_SUBMITTED)
    assert (record.actor, record.entry, record.stage) == (setup["reviewer"], setup["entry"], setup["stage"])
    assert record.data["total"] == "70.2439"
    assert record.data["scores"] == {"Kebaruan": "70.00", "Efektif": "4.00", "Catatan": "abstained"}


def test_review_submit_refuses_criteria_neither_scored_nor_abstained(setup):
    with pytest.raises(ValidationError) as refused:
        _save(setup, submit=True, novelty=70)

    assert refused.value.messages == ["Score or abstain on every criterion before submitting: Effective, Notes."]
    assert not Review.objects.filter(status=Review.Status.SUBMITTED).exists()


def test_review_submit_refuses_when_every_counted_criterion_abstained(setup):
    with pytest.raises(ValidationError) as refused:
        _save(setup, submit=True, notes=5, abstain={"novelty", "effective"})
    assert refused.value.code == "nothing_counted"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"novelty": 101}, "“Novelty”: the score must be between 0 and 100."),
        ({"novelty": -1}, "“Novelty”: the score must be between 0 and 100."),
        ({"effective": 0}, "“Effective”: the score must be between 1 and 5."),
        ({"effective": 6}, "“Effective”: the score must be between 1 and 5."),
        ({"effective": "3.5"}, "“Effective”: choose one of the levels."),
        ({"novelty": "70.125"}, "“Novelty”: at most two decimals."),
    ],
)
def test_review_save_refuses_value_outside_the_scale(setup, values, message):
    with pytest.raises(ValidationError) as refused:
        _save(setup, **values)
    assert refused.value.messages == [message]
    assert not Score.objects.exists()


def test_review_save_refuses_abstention_with_a_value(setup):
    with pytest.raises(ValidationError) as refused:
        _save(setup, novelty=70, abstain={"novelty"})
    assert refused.value.messages == ["“Novelty”: leave the score empty to abstain, or untick “abstain”."]


@pytest.mark.parametrize(
    ("opens", "closes"),
    [(timedelta(days=1), timedelta(days=5)), (timedelta(days=-9), timedelta(days=-1))],
    ids=["before-opening", "after-closing"],
)
def test_review_save_refused_outside_the_stage_dates(setup, opens, closes):
    now = timezone.now()
    Stage.objects.filter(pk=setup["stage"].pk).update(opens_at=now + opens, closes_at=now + closes)

    with pytest.raises(ValidationError) as refused:
        _save(setup, submit=True, novelty=70, effective=4, notes=1)

    assert refused.value.code == "outside_dates"
    assert not Review.objects.exists()


def test_review_change_after_the_stage_closed_refused(setup):
    review = _save(setup, submit=True, novelty=70, effective=4, notes=1)
    Stage.objects.filter(pk=setup["stage"].pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(ValidationError) as refused:
        _save(setup, submit=True, novelty=90, effective=4, notes=1)

    assert refused.value.code == "outside_dates"
    assert Review.objects.get(pk=review.pk).total == Decimal("70.2439")


def test_review_save_refused_once_the_edition_is_closed(setup):
    Edition.objects.filter(pk=setup["stage"].edition_id).update(status=Edition.Status.CLOSED)
    with pytest.raises(ValidationError) as refused:
        _save(setup, novelty=70)
    assert refused.value.code == "outside_dates"


def test_review_save_by_another_reviewer_refused(setup):
    other = user_with_role(Role.REVIEWER, username="rev2")
    with pytest.raises(PermissionDenied):
        _save(setup, by=other, novelty=70)
    assert not Review.objects.exists()


def test_review_save_on_a_released_assignment_refused(setup):
    AssignmentFactory._meta.model.objects.filter(pk=setup["assignment"].pk).update(released_at=timezone.now())
    with pytest.raises(PermissionDenied):
        _save(setup, novelty=70)


def test_review_save_with_a_declared_conflict_refused(setup):
    ConflictOfInterest.objects.create(reviewer=setup["reviewer"], institution=setup["entry"].institution)
    with pytest.raises(PermissionDenied):
        _save(setup, novelty=70)


def test_review_change_after_submission_stays_submitted_and_is_audited(setup):
    first = _save(setup, submit=True, novelty=70, effective=4, notes=1)

    changed = _save(setup, novelty=90, effective=4, notes=1)

    assert (changed.pk, changed.status, changed.submitted_at) == (first.pk, Review.Status.SUBMITTED, first.submitted_at)
    # 100 x (2 x 90 + 4) / 205 = 89.7561
    assert changed.total == Decimal("89.7561")
    record = AuditRecord.objects.get(action=AuditRecord.Action.SCORE_CHANGED)
    assert record.data == {
        "review": first.pk,
        "reviewer": "rev1",
        "total": "89.7561",
        "total_before": "70.2439",
        "changed": {"Kebaruan": ["70.00", "90.00"]},
    }


def test_review_change_after_submission_refuses_emptying_a_criterion(setup):
    _save(setup, submit=True, novelty=70, effective=4, notes=1)
    with pytest.raises(ValidationError) as refused:
        _save(setup, effective=4, notes=1)
    assert refused.value.code == "incomplete"


def test_review_save_unchanged_submitted_review_records_nothing_more(setup):
    _save(setup, submit=True, novelty=70, effective=4, notes=1)
    _save(setup, submit=True, novelty=70, effective=4, notes=1)
    assert AuditRecord.objects.filter(action=AuditRecord.Action.SCORE_CHANGED).count() == 0


def test_score_abstained_with_a_value_refused_by_the_database(setup):
    review = Review.objects.create(assignment=setup["assignment"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            review=review, criterion=setup["novelty"], value=50, abstained=True, weight=1, scale_min=0, scale_max=100
        )
