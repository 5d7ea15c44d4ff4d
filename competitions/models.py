"""KIPP competitions: one edition a year, its stages, rubrics, entries, reviews, decisions and results.

- Edition: one KIPP year (unique), its theme, passing grade, objection window and whether past
  winners are kept out of the general group. Draft while the secretariat configures it, open once
  announced, closed when its results are final.
- EditionGroup: a group the edition offers (umum, replikasi, khusus) with its eligibility rules:
  minimum months in operation and the maximum number of entries per institution.
- EditionCategory: a category of that year (competitions/data/kipp_categories.csv), numbered as the
  ministry numbers them.
- Stage: an ordered step of the edition with its open and close dates (registration, administrative
  selection, desk evaluation, finalist decision with its objection window, presentation and
  interview, field verification, final decision) and, for scoring stages, how they are scored:
  who scores, blind or not, reviews hidden until one's own is submitted, mean or median, calibrated,
  the spread that flags disagreement, reviewers per entry; and when its results were published.
- Criterion: one line of a scoring stage's rubric, named in both languages, with guidance, weight,
  scale (e.g. 0-100, or 1-5 with a label per level) and whether it counts to the total. A stage's
  criteria freeze when it opens.
- Entry: an institution's published innovation entered into an edition, group and category. Its
  `snapshot` freezes the record at submission (see below); EntryEvidence holds copies of the
  evidence files, so later edits of the record never change what reviewers read. The
  administrative selection's outcome and reasons (AdminReason) are kept on the entry.
- ConflictOfInterest: a declared conflict of a reviewer with one entry or with a whole institution
  (conflicts derived from institution, parent institution and regency are computed, not stored).
- Assignment: a reviewer scoring an entry in a stage; made by hand, from a CSV or automatically.
  Released assignments stay (with their reviews) instead of being deleted.
- Review: one reviewer's scoring of one assignment: draft, then submitted; its total and the
  weights and scales it was scored with. Score: the value (empty for an abstention) and comment of
  one criterion, with the weight and scale it was scored with.
- Decision: the outcome of an entry at a stage (finalist, Top 99, Top 45, Outstanding Achievement,
  eliminated), by whom and when.
- Objection: a public objection to a finalist during the objection window, and the secretariat's
  answer.
- Certificate: a winner's certificate and its public verification code.
- AuditRecord: who did what when: decisions, administrative selection, submitted or changed scores,
  rubric changes, assignments, publications.

The snapshot of an entry (written by competitions.services.entries):
    {"title", "slug", "sections": {field: text}, "profile": {field: value},
     "institution": {"id", "name", "code"}, "unit", "region": {"id", "name"},
     "sdgs": [number], "awards": [{"year", "competition", "rank"}],
     "evidence": [{"id", "kind", "caption", "original_name", "content_type", "size"}]}
where each evidence "id" is the EntryEvidence copy's id.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from innovations.models import Innovation
from jipp.models import Institution, Role, TimeStampedModel


def _english() -> bool:
    return (get_language() or "id").startswith("en")


class EntryGroup(models.TextChoices):
    GENERAL = "umum", _("General (umum)")
    REPLICATION = "replikasi", _("Replication (replikasi)")
    SPECIAL = "khusus", _("Special (khusus)")


class Edition(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being configured")
        OPEN = "open", _("Announced")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2014), MaxValueValidator(2100)]
    )
    theme = models.CharField(_("theme"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    passing_grade = models.DecimalField(
        _("passing grade"),
        max_digits=5,
        decimal_places=2,
        default=85,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Of 100, for the desk evaluation."),
    )
    objection_window_days = models.PositiveSmallIntegerField(
        _("objection window (days)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    exclude_past_winners = models.BooleanField(_("past winners excluded from the general group"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.CheckConstraint(name="edition_year_sane", condition=Q(year__gte=2014, year__lte=2100)),
            models.CheckConstraint(
                name="edition_passing_grade_0_to_100", condition=Q(passing_grade__gte=0, passing_grade__lte=100)
            ),
            models.CheckConstraint(name="edition_objection_window_positive", condition=Q(objection_window_days__gte=1)),
        ]

    def __str__(self) -> str:
        return f"KIPP {self.year}"


class EditionGroup(TimeStampedModel):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="groups")
    group = models.CharField(_("group"), max_length=12, choices=EntryGroup.choices)
    min_months_in_operation = models.PositiveSmallIntegerField(_("minimum months in operation"), default=24)
    # Empty: no limit.
    max_entries_per_institution = models.PositiveSmallIntegerField(
        _("maximum entries per institution"), null=True, blank=True, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["edition", "group"]
        verbose_name = _("group of an edition")
        verbose_name_plural = _("groups of an edition")
        constraints = [
            models.UniqueConstraint(fields=["edition", "group"], name="edition_group_unique"),
            models.CheckConstraint(
                name="edition_group_limit_positive",
                condition=Q(max_entries_per_institution__isnull=True) | Q(max_entries_per_institution__gte=1),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition}: {self.get_group_display()}"


class EditionCategory(TimeStampedModel):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="categories")
    code = models.PositiveSmallIntegerField(_("number"))
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["edition", "code"]
        verbose_name = _("category of an edition")
        verbose_name_plural = _("categories of an edition")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="edition_category_unique_code"),
            models.UniqueConstraint(fields=["edition", "name_id"], name="edition_category_unique_name"),
        ]

    def __str__(self) -> str:
        return (self.name_en or self.name_id) if _english() else self.name_id


class Stage(TimeStampedModel):
    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Registration")
        ADMINISTRATIVE = "administrative_selection", _("Administrative selection")
        DESK = "desk_evaluation", _("Desk evaluation")
        FINALIST = "finalist_decision", _("Finalist decision and objection window")
        PRESENTATION = "presentation", _("Presentation and interview")
        FIELD = "field_verification", _("Field verification")
        FINAL = "final_decision", _("Final decision")

    class Aggregation(models.TextChoices):
        MEAN = "mean", _("Mean")
        MEDIAN = "median", _("Median")

    class Scorer(models.TextChoices):
        REVIEWER = Role.REVIEWER.value, _("Reviewers (Tim Evaluasi)")
        PANELIST = Role.PANELIST.value, _("Panelists (TPI)")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    # Scoring stages only (see SCORING_KINDS).
    scorer = models.CharField(_("scored by"), max_length=20, choices=Scorer.choices, blank=True)
    blind = models.BooleanField(_("blind"), default=False, help_text=_("Scorers see no institution, region or names."))
    hide_reviews_until_submitted = models.BooleanField(
        _("other reviews hidden until one's own is submitted"), default=True
    )
    aggregation = models.CharField(
        _("entry score"), max_length=10, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    calibrated = models.BooleanField(
        _("calibrated ranking"),
        default=False,
        help_text=_("Reviewers' totals as z-scores, so harshness does not decide."),
    )
    spread_threshold = models.DecimalField(
        _("spread flagged above"),
        max_digits=5,
        decimal_places=2,
        default=20,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Points between the highest and lowest total of an entry."),
    )
    reviewers_per_entry = models.PositiveSmallIntegerField(
        _("reviewers per entry"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    # Finalist decision: set when the finalists are announced; objections are accepted until then.
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    objections_close_at = models.DateTimeField(_("objections accepted until"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)

    class Meta:
        ordering = ["edition", "order"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["edition", "order"], name="stage_unique_order"),
            models.UniqueConstraint(fields=["edition", "kind"], name="stage_unique_kind"),
            models.CheckConstraint(name="stage_closes_after_opens", condition=Q(closes_at__gt=F("opens_at"))),
            models.CheckConstraint(name="stage_reviewers_per_entry_positive", condition=Q(reviewers_per_entry__gte=1)),
            models.CheckConstraint(
                name="stage_spread_threshold_0_to_100", condition=Q(spread_threshold__gte=0, spread_threshold__lte=100)
            ),
            models.CheckConstraint(
                name="stage_objections_after_announcement",
                condition=Q(objections_close_at__isnull=True)
                | (Q(announced_at__isnull=False) & Q(objections_close_at__gt=F("announced_at"))),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition}: {self.get_kind_display()}"

    @property
    def is_scoring(self) -> bool:
        return self.kind in SCORING_KINDS

    def is_open(self, at: datetime | None = None) -> bool:
        moment = at or timezone.now()
        return self.opens_at <= moment < self.closes_at

    def has_opened(self, at: datetime | None = None) -> bool:
        """Whether the rubric is frozen: from the moment the stage opens."""
        return self.opens_at <= (at or timezone.now())

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None


# Stages whose entries are scored against a rubric; their default scorers.
SCORING_KINDS: dict[str, str] = {
    Stage.Kind.DESK: Stage.Scorer.REVIEWER,
    Stage.Kind.PRESENTATION: Stage.Scorer.PANELIST,
    Stage.Kind.FIELD: Stage.Scorer.PANELIST,
}


class Criterion(TimeStampedModel):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="criteria")
    name_id = models.CharField(_("name (Indonesian)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    guidance_id = models.TextField(_("guidance (Indonesian)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    scale_min = models.SmallIntegerField(_("lowest score"), default=0)
    scale_max = models.SmallIntegerField(_("highest score"), default=100)
    # For short scales, a label per level: {"1": {"id": "Sangat kurang", "en": "Very poor"}, ...}.
    level_labels = models.JSONField(_("labels of the levels"), default=dict, blank=True)
    counts_to_total = models.BooleanField(_("counts to the total"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["stage", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["stage", "name_id"], name="criterion_unique_name"),
            models.CheckConstraint(name="criterion_weight_positive", condition=Q(weight__gt=0)),
            models.CheckConstraint(name="criterion_scale_min_below_max", condition=Q(scale_min__lt=F("scale_max"))),
        ]

    def __str__(self) -> str:
        return self.name_en if _english() else self.name_id

    @property
    def guidance(self) -> str:
        return (self.guidance_en or self.guidance_id) if _english() else self.guidance_id

    def level_label(self, value: int) -> str:
        labels = self.level_labels.get(str(value)) or {}
        return str(labels.get("en" if _english() else "id") or labels.get("id") or "")


class AdminReason(models.TextChoices):
    """The checklist of the administrative selection."""

    INCOMPLETE_SECTION = "incomplete_section", _("A section is incomplete")
    MISSING_DOCUMENT = "missing_document", _("A required document is missing")
    DUPLICATE = "duplicate", _("Duplicate of another entry")
    TOO_YOUNG = "too_young", _("Not long enough in operation")


class Entry(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        PASSED = "passed", _("Passed the administrative selection")
        FAILED = "failed", _("Failed the administrative selection")
        FINALIST = "finalist", _("Finalist")
        WINNER = "winner", _("Winner")
        ELIMINATED = "eliminated", _("Not continued")

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="entries")
    # Shown instead of the institution in blind stages: "KIPP-2026-0042".
    number = models.PositiveIntegerField(_("number"))
    group = models.CharField(_("group"), max_length=12, choices=EntryGroup.choices)
    category = models.ForeignKey(
        EditionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="entries"
    )
    innovation = models.ForeignKey(
        Innovation, verbose_name=_("innovation"), on_delete=models.PROTECT, related_name="kipp_entries"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="kipp_entries"
    )
    # Replication group: the record the replicated innovation comes from.
    origin = models.ForeignKey(
        Innovation,
        verbose_name=_("origin record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kipp_replica_entries",
    )
    snapshot = models.JSONField(_("proposal as submitted"), default=dict, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # Administrative selection: AdminReason values of a failed entry, and a free note.
    admin_reasons = models.JSONField(_("reasons"), default=list, blank=True)
    admin_note = models.TextField(_("note of the secretariat"), blank=True)
    admin_checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    admin_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["edition", "number"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="entry_unique_number"),
            models.UniqueConstraint(
                fields=["edition", "innovation"], condition=~Q(status="withdrawn"), name="entry_once_per_edition"
            ),
            models.CheckConstraint(
                name="entry_replication_has_origin", condition=~Q(group="replikasi") | Q(origin__isnull=False)
            ),
            models.CheckConstraint(
                name="entry_withdrawn_has_date", condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False)
            ),
        ]
        indexes = [
            models.Index(fields=["edition", "status"], name="entry_edition_status"),
            models.Index(fields=["edition", "institution", "group"], name="entry_edition_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.snapshot.get('title', '')}"

    @property
    def code(self) -> str:
        return f"KIPP-{self.edition.year}-{self.number:04d}" if self.edition_id else ""

    @property
    def title(self) -> str:
        return str(self.snapshot.get("title", ""))

    @property
    def admin_reason_labels(self) -> list[str]:
        return [str(AdminReason(code).label) for code in self.admin_reasons if code in AdminReason.values]


def entry_evidence_upload_to(instance: EntryEvidence, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    return f"kipp/evidence/{uuid.uuid4().hex}{suffix}"


class EntryEvidence(TimeStampedModel):
    """A copy of one evidence file of the record, taken at submission."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10)
    file = models.FileField(_("file"), upload_to=entry_evidence_upload_to, max_length=200)
    caption = models.CharField(_("caption"), max_length=300)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["entry", "order", "pk"]
        verbose_name = _("evidence of an entry")
        verbose_name_plural = _("evidence of entries")

    def __str__(self) -> str:
        return self.caption


class ConflictOfInterest(TimeStampedModel):
    """A declared conflict: a reviewer with one entry, or with every entry of an institution."""

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kipp_conflicts")
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="conflicts")
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="kipp_conflicts"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["reviewer", "pk"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.CheckConstraint(
                name="conflict_entry_xor_institution",
                condition=(Q(entry__isnull=False) & Q(institution__isnull=True))
                | (Q(entry__isnull=True) & Q(institution__isnull=False)),
            ),
            models.UniqueConstraint(
                fields=["reviewer", "entry"], condition=Q(entry__isnull=False), name="conflict_unique_entry"
            ),
            models.UniqueConstraint(
                fields=["reviewer", "institution"],
                condition=Q(institution__isnull=False),
                name="conflict_unique_institution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} × {self.entry or self.institution}"


class Assignment(TimeStampedModel):
    class Method(models.TextChoices):
        MANUAL = "manual", _("By hand")
        CSV = "csv", _("From a CSV file")
        AUTOMATIC = "automatic", _("Automatic")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="assignments")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="kipp_assignments")
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.MANUAL)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Reassigning releases an assignment instead of deleting it, so a submitted review stays.
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        ordering = ["stage", "entry", "reviewer"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["stage", "entry", "reviewer"], name="assignment_unique"),
        ]
        indexes = [models.Index(fields=["stage", "reviewer"], name="assignment_stage_reviewer")]

    def __str__(self) -> str:
        return f"{self.stage}: {self.entry.code} → {self.reviewer}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class Review(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="review")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # 100 x sum(w_i x v_i) / sum(w_i x max_i) over the counted criteria scored; empty while a draft
    # or when every counted criterion was abstained.
    total = models.DecimalField(_("total"), max_digits=9, decimal_places=4, null=True, blank=True)
    # The rubric as it was scored: {"<criterion id>": {"weight": "1.00", "min": 0, "max": 100, "counts": true}}.
    weights = models.JSONField(_("weights as scored"), default=dict, blank=True)

    class Meta:
        ordering = ["assignment"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                name="review_submitted_has_date", condition=~Q(status="submitted") | Q(submitted_at__isnull=False)
            ),
            models.CheckConstraint(
                name="review_total_0_to_100",
                condition=Q(total__isnull=True) | Q(total__gte=0, total__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.get_status_display()}"


class Score(TimeStampedModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    # Empty: not scored yet (a draft), or abstained when `abstained` is set.
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    # An abstention leaves the criterion out of both sums of the total; a draft's empty value is just
    # not scored yet, and a review is submitted only once every criterion is scored or abstained.
    abstained = models.BooleanField(_("abstained"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    weight = models.DecimalField(_("weight as scored"), max_digits=6, decimal_places=2)
    scale_min = models.SmallIntegerField(_("lowest score as scored"))
    scale_max = models.SmallIntegerField(_("highest score as scored"))

    class Meta:
        ordering = ["review", "criterion__order", "criterion"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_unique_criterion"),
            models.CheckConstraint(name="score_weight_positive", condition=Q(weight__gt=0)),
            models.CheckConstraint(name="score_scale_min_below_max", condition=Q(scale_min__lt=F("scale_max"))),
            models.CheckConstraint(
                name="score_value_within_scale",
                condition=Q(value__isnull=True) | Q(value__gte=F("scale_min"), value__lte=F("scale_max")),
            ),
            models.CheckConstraint(
                name="score_abstained_has_no_value", condition=Q(abstained=False) | Q(value__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Decision(TimeStampedModel):
    class Outcome(models.TextChoices):
        FINALIST = "finalist", _("Finalist")
        TOP_99 = "top99", _("Top 99")
        TOP_45 = "top45", _("Top 45")
        OUTSTANDING = "outstanding", _("Outstanding Achievement")
        ELIMINATED = "eliminated", _("Not continued")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="decisions")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    # The entry's score and rank when decided, as the secretariat saw them.
    score = models.DecimalField(_("score"), max_digits=9, decimal_places=4, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        ordering = ["stage", "rank", "entry"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [models.UniqueConstraint(fields=["entry", "stage"], name="decision_one_per_stage")]

    def __str__(self) -> str:
        return f"{self.entry.code}: {self.get_outcome_display()}"


# Outcomes that make an entry a winner (certificate, Award row on the record).
WINNING_OUTCOMES = (Decision.Outcome.TOP_45, Decision.Outcome.OUTSTANDING)


class Objection(TimeStampedModel):
    """An objection anyone may file against a finalist while the objection window is open."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    text = models.TextField(_("objection"), max_length=5000)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(name="objection_has_contact", condition=~Q(email="") | ~Q(phone="")),
            models.CheckConstraint(
                name="objection_answered_has_answer", condition=Q(answered_at__isnull=True) | ~Q(answer="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry.code}: {self.name}"


def new_verification_code() -> str:
    # 12 characters from an alphabet without look-alikes, easy to read from paper.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Certificate(TimeStampedModel):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="certificates")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Decision.Outcome.choices)
    code = models.CharField(_("verification code"), max_length=20, unique=True, default=new_verification_code)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [models.UniqueConstraint(fields=["entry", "outcome"], name="certificate_one_per_outcome")]

    def __str__(self) -> str:
        return self.code


class AuditRecord(models.Model):
    """Who did what, when: append-only; `data` holds what changed (before and after where it applies)."""

    class Action(models.TextChoices):
        EDITION_CHANGED = "edition_changed", _("Edition changed")
        RUBRIC_CHANGED = "rubric_changed", _("Rubric changed")
        ENTRY_SUBMITTED = "entry_submitted", _("Entry submitted")
        ENTRY_WITHDRAWN = "entry_withdrawn", _("Entry withdrawn")
        ADMIN_SELECTION = "admin_selection", _("Administrative selection")
        CONFLICT_DECLARED = "conflict_declared", _("Conflict of interest declared")
        ASSIGNMENT_CHANGED = "assignment_changed", _("Assignment changed")
        REVIEW_SUBMITTED = "review_submitted", _("Review submitted")
        SCORE_CHANGED = "score_changed", _("Score changed")
        DECISION = "decision", _("Decision")
        FINALISTS_ANNOUNCED = "finalists_announced", _("Finalists announced")
        OBJECTION_ANSWERED = "objection_answered", _("Objection answered")
        RESULTS_PUBLISHED = "results_published", _("Results published")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="audit_records")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_records")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    data = models.JSONField(_("what"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}"
