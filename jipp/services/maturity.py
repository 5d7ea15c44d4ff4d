"""Writes of a hub's yearly maturity self-assessment, and how it is scored.

Score of an aspect: the weighted share of the best possible answers, in percent:
    100 x sum(weight x score of the chosen option) / sum(weight x best score the question offers)
over the aspect's answered questions. Overall: the mean of the four aspects' scores, so that each
aspect counts the same however many questions it has. Scores are computed from the scores copied
onto the answers, and stored on the assessment when it is submitted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Hub, MaturityAnswer, MaturityAspect, MaturityAssessment, MaturityOption, MaturityQuestion, User
from ..permissions import ensure_can
from ..uploads import checked_upload

OVERALL = "overall"


@dataclass(frozen=True)
class AnswerInput:
    question: MaturityQuestion
    option: MaturityOption | None  # None: leave the question unanswered (a draft may)
    note: str = ""
    evidence: File | None = None
    remove_evidence: bool = False


def _percent(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def maturity_scores(answers: Iterable[MaturityAnswer]) -> dict[str, float | None]:
    """Score (0-100) of each aspect and overall; None for an aspect with no answer (or no weight)."""
    earned: dict[str, Decimal] = {aspect: Decimal(0) for aspect in MaturityAspect.values}
    possible: dict[str, Decimal] = {aspect: Decimal(0) for aspect in MaturityAspect.values}
    for answer in answers:
        aspect = answer.question.aspect
        earned[aspect] += answer.weight * answer.score
        possible[aspect] += answer.weight * answer.max_score
    scores: dict[str, float | None] = {
        aspect: _percent(100 * earned[aspect] / possible[aspect]) if possible[aspect] else None
        for aspect in MaturityAspect.values
    }
    given = [Decimal(str(score)) for score in scores.values() if score is not None]
    scores[OVERALL] = _percent(sum(given, Decimal(0)) / len(given)) if given else None
    return scores


def _ensure_draft(assessment: MaturityAssessment) -> None:
    if assessment.status != MaturityAssessment.Status.DRAFT:
        raise ValidationError(_("This self-assessment has been submitted; reopen it to change it."), code="submitted")


@transaction.atomic
def assessment_start(*, hub: Hub, year: int, by: User) -> MaturityAssessment:
    """Open the self-assessment of `year` for `hub` (one per year)."""
    ensure_can(by, "jipp.manage_hub", hub)
    Hub.objects.select_for_update().get(pk=hub.pk)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give a year between 2000 and 2100.")}, code="year")
    if MaturityAssessment.objects.filter(hub=hub, year=year).exists():
        raise ValidationError(
            {"year": _("The self-assessment of %(year)s already exists.") % {"year": year}}, code="exists"
        )
    return MaturityAssessment.objects.create(hub=hub, year=year)


def _delete_after_commit(stored: FieldFile) -> None:
    # The old file goes only once the answer no longer points to it for good.
    if stored.name:
        transaction.on_commit(partial(stored.storage.delete, stored.name))


def _save_answer(assessment: MaturityAssessment, given: AnswerInput, by: User) -> None:
    question = given.question
    existing = MaturityAnswer.objects.filter(assessment=assessment, question=question).first()
    if given.option is None:
        if existing is not None:
            raise ValidationError(
                _("“%(question)s” cannot be left unanswered once answered: choose an option.")
                % {"question": question.text},
                code="unanswer",
            )
        return
    if given.option.question_id != question.pk:
        raise ValidationError(_("The chosen answer does not belong to this question."), code="option")
    best = question.options.aggregate(best=Max("score"))["best"] or Decimal(0)
    answer = existing or MaturityAnswer(assessment=assessment, question=question)
    answer.option = given.option
    answer.score, answer.max_score, answer.weight = given.option.score, best, question.weight
    answer.note = given.note.strip()
    answer.answered_by = by
    if given.remove_evidence and answer.evidence:
        _delete_after_commit(answer.evidence)
        answer.evidence, answer.evidence_name = "", ""  # type: ignore[assignment]
    if given.evidence is not None:
        stored_type = checked_upload(given.evidence)
        if answer.evidence:
            _delete_after_commit(answer.evidence)
        answer.evidence_name = (given.evidence.name or "").rsplit("/", 1)[-1][:255]
        answer.evidence.save(f"evidence.{stored_type.extension}", given.evidence, save=False)
    answer.save()


@transaction.atomic
def answers_save(*, assessment: MaturityAssessment, answers: Iterable[AnswerInput], by: User) -> MaturityAssessment:
    """Save the answers of a draft self-assessment, all or none.

    Raises ValidationError for a submitted assessment, an option of another question, an answered
    question emptied again, or an evidence file too large or of another type.
    """
    ensure_can(by, "jipp.manage_hub", assessment)
    assessment = MaturityAssessment.objects.select_for_update().get(pk=assessment.pk)
    _ensure_draft(assessment)
    for given in answers:
        _save_answer(assessment, given, by)
    assessment.save(update_fields=["updated_at"])
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: MaturityAssessment, by: User) -> MaturityAssessment:
    """Submit a draft whose every active question is answered; its scores are computed and kept."""
    ensure_can(by, "jipp.manage_hub", assessment)
    assessment = MaturityAssessment.objects.select_for_update().get(pk=assessment.pk)
    _ensure_draft(assessment)
    answered = set(assessment.answers.values_list("question_id", flat=True))
    missing = MaturityQuestion.objects.filter(active=True).exclude(pk__in=answered).count()
    if missing:
        raise ValidationError(
            _("Answer every question before submitting: %(count)s still unanswered.") % {"count": missing},
            code="unanswered",
        )
    assessment.scores = maturity_scores(assessment.answers.select_related("question"))
    assessment.status = MaturityAssessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = by
    assessment.save(update_fields=["scores", "status", "submitted_at", "submitted_by", "updated_at"])
    return assessment


@transaction.atomic
def assessment_reopen(*, assessment: MaturityAssessment, by: User) -> MaturityAssessment:
    """Make a submitted self-assessment a draft again, to correct it; its stored scores are cleared."""
    ensure_can(by, "jipp.manage_hub", assessment)
    assessment = MaturityAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != MaturityAssessment.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted self-assessment can be reopened."), code="draft")
    assessment.status = MaturityAssessment.Status.DRAFT
    assessment.submitted_at = None
    assessment.scores = {}
    assessment.save(update_fields=["status", "submitted_at", "scores", "updated_at"])
    return assessment
