"""The yearly maturity self-assessment of a hub on four aspects.

- MaturityAspect: perencanaan (planning), pelembagaan (institutionalisation), penyebarluasan
  (dissemination), evaluasi (evaluation).
- MaturityQuestion: a question of one aspect in Indonesian and English, with guidance on the
  evidence expected, its weight within the aspect and its order; configured in the admin. A question
  no longer asked is made inactive, never deleted, so past answers keep it.
- MaturityOption: one answer a question offers, labelled in both languages, with its score.
- MaturityAssessment: a hub's self-assessment for one year (one per hub and year): a draft while
  the hub answers, then submitted. `scores` keeps the score of each aspect and the overall score
  (0-100) as computed at submission: {"perencanaan": 62.5, ..., "overall": 58.3}.
- MaturityAnswer: the option chosen for one question, with an evidence file and a note. The
  option's score, the best score the question offered and the question's weight are copied when
  answering, so later edits of the questions never change a past year's score.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .hub import Hub
from .network import TimeStampedModel


def _english() -> bool:
    return (get_language() or "id").startswith("en")


class MaturityAspect(models.TextChoices):
    PERENCANAAN = "perencanaan", _("Planning (perencanaan)")
    PELEMBAGAAN = "pelembagaan", _("Institutionalisation (pelembagaan)")
    PENYEBARLUASAN = "penyebarluasan", _("Dissemination (penyebarluasan)")
    EVALUASI = "evaluasi", _("Evaluation (evaluasi)")


class MaturityQuestion(TimeStampedModel):
    aspect = models.CharField(_("aspect"), max_length=16, choices=MaturityAspect.choices)
    text_id = models.TextField(_("question (Indonesian)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    guidance_id = models.TextField(_("evidence expected (Indonesian)"), blank=True)
    guidance_en = models.TextField(_("evidence expected (English)"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=Decimal("1"), validators=[MinValueValidator(0)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["aspect", "order", "pk"]
        verbose_name = _("maturity question")
        verbose_name_plural = _("maturity questions")
        constraints = [
            models.CheckConstraint(name="maturity_question_weight_not_negative", condition=Q(weight__gte=0)),
            models.CheckConstraint(
                name="maturity_question_aspect_valid",
                condition=Q(aspect__in=["perencanaan", "pelembagaan", "penyebarluasan", "evaluasi"]),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return (self.text_en or self.text_id) if _english() else self.text_id

    @property
    def guidance(self) -> str:
        return (self.guidance_en or self.guidance_id) if _english() else self.guidance_id


class MaturityOption(TimeStampedModel):
    question = models.ForeignKey(
        MaturityQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    label_id = models.CharField(_("answer (Indonesian)"), max_length=300)
    label_en = models.CharField(_("answer (English)"), max_length=300, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        constraints = [
            models.CheckConstraint(name="maturity_option_score_not_negative", condition=Q(score__gte=0)),
            models.UniqueConstraint(fields=["question", "order"], name="maturity_option_unique_order"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return (self.label_en or self.label_id) if _english() else self.label_id


class MaturityAssessment(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    hub = models.ForeignKey(Hub, verbose_name=_("hub"), on_delete=models.CASCADE, related_name="maturity_assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    scores = models.JSONField(_("scores"), default=dict, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["hub", "-year"]
        verbose_name = _("maturity self-assessment")
        verbose_name_plural = _("maturity self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["hub", "year"], name="maturity_assessment_once_a_year"),
            models.CheckConstraint(name="maturity_assessment_year_sane", condition=Q(year__gte=2000, year__lte=2100)),
            models.CheckConstraint(
                name="maturity_assessment_submitted_has_time",
                condition=Q(status="draft") | Q(status="submitted", submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hub} {self.year}"


def maturity_evidence_upload_to(instance: MaturityAnswer, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    return f"maturity/{uuid.uuid4().hex}{suffix}"


class MaturityAnswer(TimeStampedModel):
    assessment = models.ForeignKey(
        MaturityAssessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        MaturityQuestion, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    option = models.ForeignKey(
        MaturityOption, verbose_name=_("answer"), on_delete=models.PROTECT, related_name="answers"
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    max_score = models.DecimalField(_("best score offered"), max_digits=6, decimal_places=2)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    evidence = models.FileField(_("evidence"), upload_to=maturity_evidence_upload_to, max_length=200, blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["question__aspect", "question__order", "question__pk"]
        verbose_name = _("maturity answer")
        verbose_name_plural = _("maturity answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="maturity_answer_once_per_question"),
            models.CheckConstraint(
                name="maturity_answer_score_within_best",
                condition=Q(score__gte=0) & Q(score__lte=models.F("max_score")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.question}"
