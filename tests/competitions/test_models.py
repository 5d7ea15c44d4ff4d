"""The database refuses what must never be stored, whatever code writes it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from competitions.models import ConflictOfInterest, Criterion, Edition, Entry, EntryGroup, Review, Score, Stage
from tests.competitions.factories import (
    CriterionFactory,
    EditionFactory,
    EntryFactory,
    ReviewFactory,
    StageFactory,
)

pytestmark = pytest.mark.django_db


def _refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_edition_year_is_unique():
    EditionFactory(year=2031)
    _refused(lambda: Edition.objects.create(year=2031, theme="Lagi"))


def test_edition_passing_grade_above_100_refused():
    _refused(lambda: Edition.objects.create(year=2032, theme="T", passing_grade=Decimal("100.5")))


def test_stage_closing_before_opening_refused():
    edition = EditionFactory()
    now = timezone.now()
    _refused(lambda: Stage.objects.create(edition=edition, kind="registration", order=1, opens_at=now, closes_at=now))


def test_stage_kind_once_per_edition():
    stage = StageFactory(kind=Stage.Kind.DESK)
    _refused(
        lambda: Stage.objects.create(
            edition=stage.edition, kind=Stage.Kind.DESK, order=9, opens_at=stage.opens_at, closes_at=stage.closes_at
        )
    )


def test_criterion_zero_weight_refused():
    stage = StageFactory()
    _refused(lambda: Criterion.objects.create(stage=stage, name_id="A", name_en="A", weight=0))


def test_criterion_scale_min_not_below_max_refused():
    stage = StageFactory()
    _refused(
        lambda: Criterion.objects.create(stage=stage, name_id="A", name_en="A", weight=1, scale_min=5, scale_max=5)
    )


def test_entry_replication_without_origin_refused():
    _refused(lambda: EntryFactory(group=EntryGroup.REPLICATION))


def test_entry_same_innovation_twice_in_edition_refused():
    entry = EntryFactory()
    _refused(
        lambda: EntryFactory(
            edition=entry.edition, innovation=entry.innovation, institution=entry.institution, number=entry.number + 1
        )
    )


def test_entry_withdrawn_innovation_may_enter_again():
    entry = EntryFactory()
    Entry.objects.filter(pk=entry.pk).update(status=Entry.Status.WITHDRAWN, withdrawn_at=timezone.now())
    again = EntryFactory(
        edition=entry.edition, innovation=entry.innovation, institution=entry.institution, number=entry.number + 1
    )
    assert again.code == f"KIPP-{entry.edition.year}-{entry.number + 1:04d}"


def test_conflict_needs_entry_or_institution_not_both():
    entry = EntryFactory()
    reviewer = ReviewFactory().assignment.reviewer
    _refused(lambda: ConflictOfInterest.objects.create(reviewer=reviewer))
    _refused(lambda: ConflictOfInterest.objects.create(reviewer=reviewer, entry=entry, institution=entry.institution))


def test_score_value_outside_its_scale_refused():
    review = ReviewFactory()
    criterion = CriterionFactory(stage=review.assignment.stage, scale_min=1, scale_max=5)
    _refused(
        lambda: Score.objects.create(
            review=review, criterion=criterion, value=Decimal("6"), weight=1, scale_min=1, scale_max=5
        )
    )


def test_score_abstention_stored_as_empty_value():
    review = ReviewFactory()
    criterion = CriterionFactory(stage=review.assignment.stage)
    score = Score.objects.create(review=review, criterion=criterion, value=None, weight=1, scale_min=0, scale_max=100)
    assert Score.objects.get(pk=score.pk).value is None


def test_review_submitted_without_date_refused():
    review = ReviewFactory()
    _refused(lambda: Review.objects.filter(pk=review.pk).update(status=Review.Status.SUBMITTED))


def test_stage_is_open_between_its_dates():
    stage = StageFactory(opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=2))
    assert (stage.is_open(), stage.has_opened(), stage.is_open(stage.opens_at)) == (False, False, True)
