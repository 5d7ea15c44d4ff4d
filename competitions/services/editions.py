"""Writes: an edition, its groups and categories, its stages and the rubric of each scoring stage.

The secretariat (ministry administrator) configures everything here. What entrants rely on freezes
in time: the groups, eligibility rules and categories once registration opens, a stage's opening
date once it has opened, and a rubric once its stage has opened (reviews keep the weights they were
scored with).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from jipp.models import User
from jipp.permissions import ensure_can

from ..models import SCORING_KINDS, AuditRecord, Criterion, Edition, EditionCategory, EditionGroup, Stage
from ..reference import kipp_categories
from .audit import audit_record

# The order stages run in; an edition uses some or all of them.
STAGE_SEQUENCE: tuple[str, ...] = tuple(Stage.Kind.values)


@dataclass(frozen=True)
class GroupRules:
    group: str
    min_months_in_operation: int
    max_entries_per_institution: int | None = None


@dataclass(frozen=True)
class CategoryInput:
    code: int
    name_id: str
    name_en: str = ""


@dataclass(frozen=True)
class StageInput:
    kind: str
    opens_at: datetime
    closes_at: datetime
    blind: bool = False
    hide_reviews_until_submitted: bool = True
    aggregation: str = Stage.Aggregation.MEAN
    calibrated: bool = False
    spread_threshold: Decimal = Decimal("20")
    reviewers_per_entry: int = 3


@dataclass(frozen=True)
class CriterionInput:
    name_id: str
    name_en: str
    weight: Decimal
    scale_min: int = 0
    scale_max: int = 100
    guidance_id: str = ""
    guidance_en: str = ""
    # {"1": {"id": "...", "en": "..."}, ...}: a label per level of a short scale.
    level_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    counts_to_total: bool = True
    # The criterion this input changes; None for a new one.
    pk: int | None = None


# The five criteria of a good innovation, PermenPANRB 91/2021, with equal weights.
PERMENPANRB_CRITERIA: tuple[CriterionInput, ...] = (
    CriterionInput(
        name_id="Kebaruan",
        name_en="Novelty",
        weight=Decimal("20"),
        guidance_id="Apa yang baru dibandingkan cara pelayanan sebelumnya atau pelayanan serupa di tempat lain.",
        guidance_en="What is new compared with how the service worked before, or with similar services elsewhere.",
    ),
    CriterionInput(
        name_id="Efektif",
        name_en="Effective",
        weight=Decimal("20"),
        guidance_id="Sejauh mana inovasi mencapai tujuannya, dibuktikan dengan data sebelum dan sesudah.",
        guidance_en="How far the innovation reaches its goals, shown with figures from before and after.",
    ),
    CriterionInput(
        name_id="Bermanfaat",
        name_en="Beneficial",
        weight=Decimal("20"),
        guidance_id="Manfaat nyata bagi masyarakat dan pemerintah: waktu, biaya, jangkauan, kepuasan.",
        guidance_en="Real benefits to the public and the government: time, cost, coverage, satisfaction.",
    ),
    CriterionInput(
        name_id="Mudah disebarkan",
        name_en="Replicable",
        weight=Decimal("20"),
        guidance_id="Apakah instansi lain dapat mereplikasinya: langkah terdokumentasi, replikasi yang sudah ada.",
        guidance_en="Whether other institutions can replicate it: documented steps, replications already made.",
    ),
    CriterionInput(
        name_id="Berkelanjutan",
        name_en="Sustainable",
        weight=Decimal("20"),
        guidance_id="Apa yang menjamin inovasi terus berjalan: regulasi, anggaran, kelembagaan.",
        guidance_en="What keeps the innovation running: regulation, budget, institutional arrangement.",
    ),
)

# Presentation and interview: 70% substance, 30% delivery.
PRESENTATION_CRITERIA: tuple[CriterionInput, ...] = (
    CriterionInput(
        name_id="Substansi",
        name_en="Substance",
        weight=Decimal("70"),
        guidance_id="Isi paparan dan jawaban wawancara: kebaruan, hasil, manfaat, keberlanjutan.",
        guidance_en="What the presentation and the answers show: novelty, results, benefits, sustainability.",
    ),
    CriterionInput(
        name_id="Penyampaian",
        name_en="Delivery",
        weight=Decimal("30"),
        guidance_id="Kejelasan, penguasaan materi dan ketepatan waktu penyajian.",
        guidance_en="Clarity, command of the subject and keeping to the time.",
    ),
)


def default_rubric(kind: str) -> tuple[CriterionInput, ...]:
    """The rubric a new scoring stage starts with."""
    if kind == Stage.Kind.PRESENTATION:
        return PRESENTATION_CRITERIA
    if kind in SCORING_KINDS:
        return PERMENPANRB_CRITERIA
    return ()


def default_categories(year: int) -> list[CategoryInput]:
    """The categories of `year` from competitions/data/kipp_categories.csv, as a starting point."""
    return [CategoryInput(code=row.code, name_id=row.name_id, name_en=row.name_en) for row in kipp_categories(year)]


def _date(moment: datetime) -> str:
    return str(formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"))


def _registration_opened(edition: Edition) -> bool:
    registration = edition.stages.filter(kind=Stage.Kind.REGISTRATION).first()
    return registration is not None and registration.has_opened()


def _groups_of(edition: Edition) -> list[GroupRules]:
    return [
        GroupRules(group.group, group.min_months_in_operation, group.max_entries_per_institution)
        for group in edition.groups.order_by("group")
    ]


def _categories_of(edition: Edition) -> list[CategoryInput]:
    return [CategoryInput(c.code, c.name_id, c.name_en) for c in edition.categories.order_by("code")]


def _check_groups_and_categories(groups: Sequence[GroupRules], categories: Sequence[CategoryInput]) -> None:
    errors: dict[str, Any] = {}
    if not groups:
        errors["groups"] = _("Offer at least one group.")
    if not categories:
        errors["categories"] = _("Give at least one category.")
    names = [category.name_id.strip().casefold() for category in categories]
    if len(set(names)) != len(names):
        errors["categories"] = _("Each category may appear only once.")
    if errors:
        raise ValidationError(errors)


def _save_groups(edition: Edition, groups: Sequence[GroupRules]) -> None:
    wanted = {rules.group: rules for rules in groups}
    edition.groups.exclude(group__in=wanted).delete()
    for rules in wanted.values():
        EditionGroup.objects.update_or_create(
            edition=edition,
            group=rules.group,
            defaults={
                "min_months_in_operation": rules.min_months_in_operation,
                "max_entries_per_institution": rules.max_entries_per_institution,
            },
        )


def _save_categories(edition: Edition, categories: Sequence[CategoryInput]) -> None:
    wanted = {category.code: category for category in categories}
    stale = edition.categories.exclude(code__in=wanted)
    if stale.filter(entries__isnull=False).exists():
        raise ValidationError({"categories": _("A category that has entries cannot be removed.")})
    stale.delete()
    # Names move between numbers when the list is reordered: clear them first so that the unique
    # name per edition holds at every step.
    existing = {category.code: category for category in edition.categories.all()}
    for category in existing.values():
        category.name_id = f"(renaming {category.pk})"
    EditionCategory.objects.bulk_update(existing.values(), ["name_id"])
    for code, values in wanted.items():
        EditionCategory.objects.update_or_create(
            edition=edition,
            code=code,
            defaults={"name_id": values.name_id.strip(), "name_en": values.name_en.strip()},
        )


@transaction.atomic
def edition_create(
    *,
    by: User,
    year: int,
    theme: str,
    passing_grade: Decimal,
    objection_window_days: int,
    exclude_past_winners: bool,
    groups: Sequence[GroupRules],
    categories: Sequence[CategoryInput],
) -> Edition:
    """Start an edition (a draft: operators do not see it until it is announced)."""
    ensure_can(by, "competitions.manage_editions")
    if Edition.objects.filter(year=year).exists():
        raise ValidationError({"year": _("An edition of %(year)s exists already.") % {"year": year}})
    _check_groups_and_categories(groups, categories)
    edition = Edition.objects.create(
        year=year,
        theme=theme,
        passing_grade=passing_grade,
        objection_window_days=objection_window_days,
        exclude_past_winners=exclude_past_winners,
        created_by=by,
    )
    _save_groups(edition, groups)
    _save_categories(edition, categories)
    audit_record(
        edition=edition,
        action=AuditRecord.Action.EDITION_CHANGED,
        by=by,
        data={"created": True, "theme": theme, "passing_grade": str(passing_grade)},
    )
    return edition


@transaction.atomic
def edition_update(
    *,
    edition: Edition,
    by: User,
    year: int,
    theme: str,
    passing_grade: Decimal,
    objection_window_days: int,
    exclude_past_winners: bool,
    groups: Sequence[GroupRules],
    categories: Sequence[CategoryInput],
) -> Edition:
    """Change an edition. Once registration has opened its groups, eligibility rules and categories stay
    as entrants read them; the year changes only while the edition is a draft."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    ensure_can(by, "competitions.manage_editions")
    _check_groups_and_categories(groups, categories)
    if year != edition.year:
        if edition.status != Edition.Status.DRAFT:
            raise ValidationError({"year": _("The year of an announced edition cannot change.")})
        if Edition.objects.filter(year=year).exists():
            raise ValidationError({"year": _("An edition of %(year)s exists already.") % {"year": year}})
    before_groups, before_categories = _groups_of(edition), _categories_of(edition)
    after_groups = sorted(groups, key=lambda rules: rules.group)
    after_categories = sorted(categories, key=lambda category: category.code)
    rules_changed = (before_groups, before_categories) != (after_groups, after_categories)
    if rules_changed and _registration_opened(edition):
        raise ValidationError(
            _("Registration has opened: the groups, eligibility rules and categories can no longer change."),
            code="rules_frozen",
        )
    before = {
        "year": edition.year,
        "theme": edition.theme,
        "passing_grade": str(edition.passing_grade),
        "objection_window_days": edition.objection_window_days,
        "exclude_past_winners": edition.exclude_past_winners,
    }
    edition.year, edition.theme, edition.passing_grade = year, theme, passing_grade
    edition.objection_window_days, edition.exclude_past_winners = objection_window_days, exclude_past_winners
    edition.save()
    if rules_changed:
        _save_groups(edition, groups)
        _save_categories(edition, categories)
    after = {
        "year": year,
        "theme": theme,
        "passing_grade": str(passing_grade),
        "objection_window_days": objection_window_days,
        "exclude_past_winners": exclude_past_winners,
    }
    data: dict[str, Any] = {"before": before, "after": after}
    if rules_changed:
        data["groups"] = [asdict(rules) for rules in after_groups]
        data["categories"] = [asdict(category) for category in after_categories]
    audit_record(edition=edition, action=AuditRecord.Action.EDITION_CHANGED, by=by, data=data)
    return edition


def edition_announce_problems(*, edition: Edition) -> list[str]:
    """What an edition still lacks before it can be announced."""
    problems = []
    stages = list(edition.stages.all())
    if not any(stage.kind == Stage.Kind.REGISTRATION for stage in stages):
        problems.append(str(_("a registration stage with its dates")))
    if not edition.groups.exists():
        problems.append(str(_("at least one group")))
    if not edition.categories.exists():
        problems.append(str(_("at least one category")))
    scored = {stage.pk for stage in stages if stage.is_scoring}
    with_criteria = set(Criterion.objects.filter(stage__in=scored).values_list("stage", flat=True))
    for stage in stages:
        if stage.pk in scored and stage.pk not in with_criteria:
            problems.append(str(_("a rubric for %(stage)s") % {"stage": stage.get_kind_display()}))
    return problems


@transaction.atomic
def edition_announce(*, edition: Edition, by: User) -> Edition:
    """Announce a draft edition: operators see it and may enter once registration opens."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    ensure_can(by, "competitions.manage_editions")
    if edition.status != Edition.Status.DRAFT:
        raise ValidationError(_("This edition has been announced already."), code="not_draft")
    problems = edition_announce_problems(edition=edition)
    if problems:
        raise ValidationError(
            _("Before announcing, the edition needs: %(missing)s.") % {"missing": ", ".join(problems)},
            code="incomplete",
        )
    edition.status = Edition.Status.OPEN
    edition.save(update_fields=["status", "updated_at"])
    audit_record(edition=edition, action=AuditRecord.Action.EDITION_CHANGED, by=by, data={"status": edition.status})
    return edition


@transaction.atomic
def edition_close(*, edition: Edition, by: User) -> Edition:
    """Close an announced edition once its work is done; nothing is removed."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    ensure_can(by, "competitions.manage_editions")
    if edition.status != Edition.Status.OPEN:
        raise ValidationError(_("Only an announced edition can be closed."), code="not_open")
    edition.status = Edition.Status.CLOSED
    edition.save(update_fields=["status", "updated_at"])
    audit_record(edition=edition, action=AuditRecord.Action.EDITION_CHANGED, by=by, data={"status": edition.status})
    return edition


def _stage_summary(stage: Stage) -> dict[str, Any]:
    return {
        "kind": stage.kind,
        "order": stage.order,
        "opens_at": stage.opens_at.isoformat(),
        "closes_at": stage.closes_at.isoformat(),
        "blind": stage.blind,
        "aggregation": stage.aggregation,
        "calibrated": stage.calibrated,
        "reviewers_per_entry": stage.reviewers_per_entry,
    }


def _check_stages(existing: dict[str, Stage], wanted: Sequence[StageInput]) -> None:
    errors: list[ValidationError] = []
    kinds = [stage.kind for stage in wanted]
    if len(set(kinds)) != len(kinds):
        errors.append(ValidationError(_("Each kind of stage may appear only once.")))
    for stage in wanted:
        label = Stage.Kind(stage.kind).label
        if stage.closes_at <= stage.opens_at:
            errors.append(ValidationError(_("%(stage)s must close after it opens.") % {"stage": label}))
        current = existing.get(stage.kind)
        if current is not None and current.has_opened() and current.opens_at != stage.opens_at:
            errors.append(
                ValidationError(
                    _("%(stage)s opened on %(date)s; its opening date can no longer change.")
                    % {"stage": label, "date": _date(current.opens_at)}
                )
            )
    for previous, stage in pairwise(wanted):
        if stage.opens_at < previous.opens_at:
            errors.append(
                ValidationError(
                    _("%(stage)s cannot open before %(previous)s.")
                    % {"stage": Stage.Kind(stage.kind).label, "previous": Stage.Kind(previous.kind).label}
                )
            )
    for kind, kept in existing.items():
        if kind in kinds:
            continue
        if kept.has_opened() or kept.assignments.exists() or kept.decisions.exists():
            errors.append(
                ValidationError(_("%(stage)s has started and cannot be removed.") % {"stage": kept.get_kind_display()})
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def stages_save(*, edition: Edition, by: User, stages: Sequence[StageInput]) -> list[Stage]:
    """Set the edition's stages (those left out are removed), in the order of STAGE_SEQUENCE.

    A new scoring stage starts with its default rubric. A stage that has opened keeps its opening
    date and cannot be removed.
    """
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    ensure_can(by, "competitions.manage_editions")
    existing = {stage.kind: stage for stage in Stage.objects.select_for_update().filter(edition=edition)}
    wanted = sorted(stages, key=lambda stage: STAGE_SEQUENCE.index(stage.kind))
    _check_stages(existing, wanted)
    before = [_stage_summary(stage) for stage in sorted(existing.values(), key=lambda stage: stage.order)]
    kinds = {stage.kind for stage in wanted}
    Stage.objects.filter(edition=edition).exclude(kind__in=kinds).delete()
    # Orders are unique per edition: move the kept stages out of the way before numbering them again.
    for offset, stage in enumerate(existing.values()):
        if stage.kind in kinds:
            Stage.objects.filter(pk=stage.pk).update(order=1000 + offset)
    saved = []
    for order, values in enumerate(wanted, start=1):
        stage = existing.get(values.kind) or Stage(edition=edition, kind=values.kind)
        is_new = stage.pk is None
        stage.order = order
        stage.opens_at, stage.closes_at = values.opens_at, values.closes_at
        stage.scorer = SCORING_KINDS.get(values.kind, "")
        if values.kind in SCORING_KINDS:
            stage.blind = values.blind
            stage.hide_reviews_until_submitted = values.hide_reviews_until_submitted
            stage.aggregation = values.aggregation
            stage.calibrated = values.calibrated
            stage.spread_threshold = values.spread_threshold
            stage.reviewers_per_entry = values.reviewers_per_entry
        stage.save()
        if is_new:
            _create_criteria(stage, default_rubric(stage.kind))
        saved.append(stage)
    audit_record(
        edition=edition,
        action=AuditRecord.Action.EDITION_CHANGED,
        by=by,
        data={"stages_before": before, "stages_after": [_stage_summary(stage) for stage in saved]},
    )
    return saved


def _create_criteria(stage: Stage, criteria: Sequence[CriterionInput]) -> None:
    Criterion.objects.bulk_create(
        [Criterion(stage=stage, order=order, **_criterion_values(values)) for order, values in enumerate(criteria)]
    )


def _criterion_values(values: CriterionInput) -> dict[str, Any]:
    return {
        "name_id": values.name_id.strip(),
        "name_en": values.name_en.strip(),
        "guidance_id": values.guidance_id,
        "guidance_en": values.guidance_en,
        "weight": values.weight,
        "scale_min": values.scale_min,
        "scale_max": values.scale_max,
        "level_labels": values.level_labels,
        "counts_to_total": values.counts_to_total,
    }


def rubric_summary(*, stage: Stage) -> list[dict[str, Any]]:
    """The rubric as the audit trail records it."""
    return [
        {
            "id": criterion.pk,
            "name_id": criterion.name_id,
            "weight": str(criterion.weight),
            "scale": [criterion.scale_min, criterion.scale_max],
            "counts_to_total": criterion.counts_to_total,
        }
        for criterion in stage.criteria.order_by("order", "pk")
    ]


def _ensure_rubric_editable(stage: Stage) -> None:
    if not stage.is_scoring:
        raise ValidationError(_("Only a scoring stage has a rubric."), code="not_scoring")
    if stage.has_opened():
        raise ValidationError(
            _("%(stage)s opened on %(date)s: its rubric and weights are frozen.")
            % {"stage": stage.get_kind_display(), "date": _date(stage.opens_at)},
            code="rubric_frozen",
        )


def _check_criteria(criteria: Sequence[CriterionInput]) -> None:
    errors: list[ValidationError] = []
    if not any(values.counts_to_total for values in criteria):
        errors.append(ValidationError(_("At least one criterion must count to the total.")))
    names = [values.name_id.strip().casefold() for values in criteria]
    if len(set(names)) != len(names):
        errors.append(ValidationError(_("Each criterion needs its own name.")))
    for values in criteria:
        if values.weight <= 0:
            errors.append(ValidationError(_("“%(name)s”: the weight must be above 0.") % {"name": values.name_id}))
        if values.scale_min >= values.scale_max:
            errors.append(
                ValidationError(_("“%(name)s”: the lowest score must be below the highest.") % {"name": values.name_id})
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def criteria_save(*, stage: Stage, by: User, criteria: Sequence[CriterionInput]) -> list[Criterion]:
    """Set a scoring stage's rubric (criteria left out are removed), in the order given.

    Refused with code "rubric_frozen" once the stage has opened.
    """
    stage = Stage.objects.select_for_update().select_related("edition").get(pk=stage.pk)
    ensure_can(by, "competitions.manage_editions")
    _ensure_rubric_editable(stage)
    _check_criteria(criteria)
    before = rubric_summary(stage=stage)
    existing = {criterion.pk: criterion for criterion in stage.criteria.all()}
    kept = {values.pk for values in criteria if values.pk is not None}
    if not kept <= existing.keys():
        raise ValidationError(_("A criterion of another stage cannot be changed here."), code="other_stage")
    stage.criteria.exclude(pk__in=kept).delete()
    # Names are unique per stage and may move between rows: clear the kept ones first.
    for criterion in existing.values():
        if criterion.pk in kept:
            Criterion.objects.filter(pk=criterion.pk).update(name_id=f"(renaming {criterion.pk})")
    saved = []
    for order, values in enumerate(criteria):
        criterion = existing[values.pk] if values.pk is not None else Criterion(stage=stage)
        for name, value in _criterion_values(values).items():
            setattr(criterion, name, value)
        criterion.order = order
        criterion.save()
        saved.append(criterion)
    audit_record(
        edition=stage.edition,
        stage=stage,
        action=AuditRecord.Action.RUBRIC_CHANGED,
        by=by,
        data={"before": before, "after": rubric_summary(stage=stage)},
    )
    return saved


@transaction.atomic
def criteria_reset_default(*, stage: Stage, by: User) -> list[Criterion]:
    """Replace a scoring stage's rubric with its default (refused once the stage has opened)."""
    return criteria_save(stage=stage, by=by, criteria=default_rubric(stage.kind))
