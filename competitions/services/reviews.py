"""Writes: a reviewer (or panelist) scores an assigned entry, criterion by criterion.

A review is saved as a draft any number of times and then submitted; it stays editable until the
stage closes (a submitted review stays submitted, each change re-checked as a submission). Nothing
is accepted outside the stage's dates, on a released assignment, on an entry the scorer has a
conflict with, or with a value outside its criterion's scale. Each score keeps the weight and scale
it was scored with, and the review its total (competitions.services.scoring.review_total).
Submissions and every change of a submitted score are recorded in the audit trail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from jipp.models import User
from jipp.permissions import ensure_can

from ..conflicts import conflicts_q
from ..models import Assignment, AuditRecord, Criterion, Edition, Entry, Review, Score, Stage
from .audit import audit_record
from .scoring import ScoredCriterion, review_total


@dataclass(frozen=True)
class ScoreInput:
    criterion_id: int
    value: Decimal | None = None
    abstained: bool = False
    comment: str = ""


def _date(moment: datetime) -> str:
    return str(formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"))


def stage_accepts_reviews(stage: Stage, at: datetime | None = None) -> bool:
    return stage.edition.status == Edition.Status.OPEN and stage.is_open(at)


def _ensure_open(stage: Stage) -> None:
    if not stage_accepts_reviews(stage):
        raise ValidationError(
            _("Reviews of the %(stage)s are accepted from %(opens)s until %(closes)s only.")
            % {"stage": stage.get_kind_display(), "opens": _date(stage.opens_at), "closes": _date(stage.closes_at)},
            code="outside_dates",
        )


def _ensure_scorer(assignment: Assignment, by: User) -> None:
    ensure_can(by, "competitions.score_entries")
    if assignment.reviewer_id != by.pk or assignment.released_at is not None:
        raise PermissionDenied("not your assignment")
    reviewer = User.objects.select_related("institution__region").get(pk=by.pk)
    if Entry.objects.filter(pk=assignment.entry_id).filter(conflicts_q(reviewer=reviewer)).exists():
        raise PermissionDenied("conflict of interest")


def _value_problem(criterion: Criterion, value: Decimal) -> str | None:
    if not criterion.scale_min <= value <= criterion.scale_max:
        return str(
            _("“%(criterion)s”: the score must be between %(min)s and %(max)s.")
            % {"criterion": criterion, "min": criterion.scale_min, "max": criterion.scale_max}
        )
    if criterion.level_labels and value != value.to_integral_value():
        return str(_("“%(criterion)s”: choose one of the levels.") % {"criterion": criterion})
    if value != value.quantize(Decimal("0.01")):
        return str(_("“%(criterion)s”: at most two decimals.") % {"criterion": criterion})
    return None


def _check(criteria: dict[int, Criterion], scores: Sequence[ScoreInput]) -> None:
    problems = []
    for item in scores:
        criterion = criteria.get(item.criterion_id)
        if criterion is None:
            raise ValidationError(_("A criterion of another stage cannot be scored here."), code="other_stage")
        if item.abstained and item.value is not None:
            problems.append(
                _("“%(criterion)s”: leave the score empty to abstain, or untick “abstain”.") % {"criterion": criterion}
            )
        elif item.value is not None and (problem := _value_problem(criterion, item.value)):
            problems.append(problem)
    if problems:
        raise ValidationError([ValidationError(problem, code="out_of_scale") for problem in problems])


def _as_scored(score: Score) -> str:
    if score.abstained:
        return "abstained"
    return "" if score.value is None else str(score.value)


def _summary(scores: dict[int, Score], criteria: dict[int, Criterion]) -> dict[str, str]:
    """Each criterion's score by its (Indonesian) name, as the audit trail records it."""
    return {criteria[criterion_id].name_id: _as_scored(score) for criterion_id, score in sorted(scores.items())}


@transaction.atomic
def review_save(*, assignment: Assignment, by: User, scores: Sequence[ScoreInput], submit: bool = False) -> Review:
    """Save `by`'s scores of the assignment's entry: a draft, or (`submit`) the submitted review.

    Raises PermissionDenied unless `by` is the assignment's scorer (active, no conflict), and
    ValidationError outside the stage's dates, for a value outside its criterion's scale, and on
    submission for criteria neither scored nor abstained. A submitted review stays submitted: a
    later save re-checks it as a submission and records what changed.
    """
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("stage__edition", "entry__edition")
        .get(pk=assignment.pk)
    )
    _ensure_scorer(assignment, by)
    stage = assignment.stage
    _ensure_open(stage)
    criteria = {criterion.pk: criterion for criterion in stage.criteria.order_by("order", "pk")}
    _check(criteria, scores)
    review, _created = Review.objects.select_for_update().get_or_create(assignment=assignment)
    was_submitted = review.status == Review.Status.SUBMITTED
    submit = submit or was_submitted
    existing = {score.criterion_id: score for score in review.scores.all()}
    before = _summary(existing, criteria)
    total_before = review.total
    for item in scores:
        criterion = criteria[item.criterion_id]
        score = existing.get(criterion.pk) or Score(review=review, criterion=criterion)
        # As the database holds it, so that comparing with the stored scores finds real changes only.
        value = None if item.value is None else item.value.quantize(Decimal("0.01"))
        score.value, score.abstained, score.comment = value, item.abstained, item.comment.strip()
        score.weight, score.scale_min, score.scale_max = criterion.weight, criterion.scale_min, criterion.scale_max
        existing[criterion.pk] = score
    if submit:
        _ensure_complete(criteria, existing)
    for score in existing.values():
        score.save()
    review.weights = {
        str(criterion.pk): {
            "weight": str(criterion.weight),
            "min": criterion.scale_min,
            "max": criterion.scale_max,
            "counts": criterion.counts_to_total,
        }
        for criterion in criteria.values()
    }
    review.total = (
        review_total(
            ScoredCriterion(score.weight, score.scale_max, score.value, criteria[score.criterion_id].counts_to_total)
            for score in existing.values()
        )
        if submit
        else None
    )
    if submit and not was_submitted:
        review.status, review.submitted_at = Review.Status.SUBMITTED, timezone.now()
    review.save()
    after = _summary(existing, criteria)
    record: dict[str, Any] = {"review": review.pk, "reviewer": by.username, "total": _text(review.total)}
    if submit and not was_submitted:
        audit_record(
            edition=stage.edition,
            stage=stage,
            entry=assignment.entry,
            action=AuditRecord.Action.REVIEW_SUBMITTED,
            by=by,
            data={**record, "scores": after},
        )
    elif was_submitted and (after != before or review.total != total_before):
        changed = {key: [before.get(key, ""), value] for key, value in after.items() if before.get(key, "") != value}
        audit_record(
            edition=stage.edition,
            stage=stage,
            entry=assignment.entry,
            action=AuditRecord.Action.SCORE_CHANGED,
            by=by,
            data={**record, "total_before": _text(total_before), "changed": changed},
        )
    return review


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _ensure_complete(criteria: dict[int, Criterion], scores: dict[int, Score]) -> None:
    missing = [
        str(criterion)
        for criterion in criteria.values()
        if criterion.pk not in scores or (scores[criterion.pk].value is None and not scores[criterion.pk].abstained)
    ]
    if missing:
        raise ValidationError(
            _("Score or abstain on every criterion before submitting: %(criteria)s.")
            % {"criteria": ", ".join(missing)},
            code="incomplete",
        )
    if not any(criterion.counts_to_total and scores[criterion.pk].value is not None for criterion in criteria.values()):
        raise ValidationError(
            _("Score at least one criterion that counts to the total before submitting."), code="nothing_counted"
        )
