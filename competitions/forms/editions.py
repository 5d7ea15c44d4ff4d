"""Forms: an edition (groups with their eligibility rules, categories), its stages, and a stage's rubric."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jipp.text import CleanTextFormMixin

from ..models import SCORING_KINDS, AuditRecord, Criterion, Edition, EntryGroup, Stage
from ..services.editions import STAGE_SEQUENCE, CategoryInput, CriterionInput, GroupRules, StageInput

# Eligibility rules an edition starts with (KIPP 2021: 2 years in operation, 1 for replications;
# at most 10 general and 5 replication entries per institution).
DEFAULT_GROUP_RULES: dict[str, tuple[bool, int, int | None]] = {
    EntryGroup.GENERAL: (True, 24, 10),
    EntryGroup.REPLICATION: (True, 12, 5),
    EntryGroup.SPECIAL: (False, 24, None),
}
LEVEL_LABELS_MAX = 10
DATETIME_WIDGET = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=forms.DateTimeInput(attrs=DATETIME_WIDGET, format=DATETIME_FORMAT),
        help_text=_("Local time (WITA)."),
    )


def categories_text(categories: list[CategoryInput]) -> str:
    return "\n".join(
        f"{category.name_id} | {category.name_en}" if category.name_en else category.name_id for category in categories
    )


class EditionForm(CleanTextFormMixin, forms.ModelForm):
    """The edition, the groups it offers with their rules, and its categories (one per line)."""

    categories = forms.CharField(
        label=_("Categories of the year"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One per line, in the ministry's order: the Indonesian name, then “|” and the English name."),
        error_messages={"required": _("Give at least one category.")},
    )

    class Meta:
        model = Edition
        fields = ["year", "theme", "passing_grade", "objection_window_days", "exclude_past_winners"]

    def __init__(self, *args: Any, rules_frozen: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules_frozen = rules_frozen
        existing = {}
        if self.instance.pk is not None:
            existing = {group.group: group for group in self.instance.groups.all()}
            self.fields["categories"].initial = categories_text(
                [CategoryInput(c.code, c.name_id, c.name_en) for c in self.instance.categories.order_by("code")]
            )
        for value, label in EntryGroup.choices:
            offered, months, limit = DEFAULT_GROUP_RULES[value]
            if self.instance.pk is not None:
                current = existing.get(value)
                offered = current is not None
                if current is not None:
                    months, limit = current.min_months_in_operation, current.max_entries_per_institution
            self.fields[f"{value}_offered"] = forms.BooleanField(
                label=format_lazy(_("Offer the {} group"), label), required=False, initial=offered
            )
            self.fields[f"{value}_min_months"] = forms.IntegerField(
                label=_("Minimum months in operation"), min_value=0, max_value=240, initial=months, required=False
            )
            self.fields[f"{value}_max_entries"] = forms.IntegerField(
                label=_("Maximum entries per institution"),
                min_value=1,
                max_value=1000,
                initial=limit,
                required=False,
                help_text=_("Empty: no limit."),
            )
        # Each group repeats the same labels: the error summary names the group too.
        for value, label in EntryGroup.choices:
            for part in ("offered", "min_months", "max_entries"):
                field = self.fields[f"{value}_{part}"]
                field.summary_label = format_lazy("{}: {}", label, field.label)
        if rules_frozen:
            for name in [*self.group_field_names(), "categories"]:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Registration has opened: this can no longer change.")

    @staticmethod
    def group_field_names() -> list[str]:
        return [f"{value}_{part}" for value in EntryGroup.values for part in ("offered", "min_months", "max_entries")]

    def group_rows(self) -> list[dict[str, Any]]:
        """The groups as the template shows them: one fieldset each."""
        return [
            {
                "label": label,
                "fields": [self[f"{value}_{part}"] for part in ("offered", "min_months", "max_entries")],
            }
            for value, label in EntryGroup.choices
        ]

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if Edition.objects.filter(year=year).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("An edition of %(year)s exists already.") % {"year": year})
        return year

    def clean_categories(self) -> list[CategoryInput]:
        categories = []
        for number, line in enumerate(
            (line.strip() for line in self.cleaned_data["categories"].splitlines() if line.strip()), start=1
        ):
            name_id, _separator, name_en = line.partition("|")
            if not name_id.strip():
                raise forms.ValidationError(_("Line %(number)s has no Indonesian name.") % {"number": number})
            if len(name_id.strip()) > 200 or len(name_en.strip()) > 200:
                raise forms.ValidationError(_("Line %(number)s is longer than 200 characters.") % {"number": number})
            categories.append(CategoryInput(code=number, name_id=name_id.strip(), name_en=name_en.strip()))
        if not categories:
            raise forms.ValidationError(_("Give at least one category."))
        return categories

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        offered = [value for value in EntryGroup.values if cleaned.get(f"{value}_offered")]
        if not offered:
            self.add_error(f"{EntryGroup.GENERAL}_offered", _("Offer at least one group."))
        for value in offered:
            if cleaned.get(f"{value}_min_months") is None and f"{value}_min_months" not in self.errors:
                self.add_error(f"{value}_min_months", _("Give the minimum months in operation."))
        return cleaned

    def groups(self) -> list[GroupRules]:
        return [
            GroupRules(
                group=value,
                min_months_in_operation=self.cleaned_data[f"{value}_min_months"],
                max_entries_per_institution=self.cleaned_data[f"{value}_max_entries"],
            )
            for value in EntryGroup.values
            if self.cleaned_data.get(f"{value}_offered")
        ]

    def edition_values(self) -> dict[str, Any]:
        return {
            "year": self.cleaned_data["year"],
            "theme": self.cleaned_data["theme"],
            "passing_grade": self.cleaned_data["passing_grade"],
            "objection_window_days": self.cleaned_data["objection_window_days"],
            "exclude_past_winners": self.cleaned_data["exclude_past_winners"],
            "groups": self.groups(),
            "categories": self.cleaned_data["categories"],
        }


SCORING_OPTIONS = (
    "blind",
    "hide_reviews_until_submitted",
    "aggregation",
    "calibrated",
    "spread_threshold",
    "reviewers_per_entry",
)


class StagesForm(CleanTextFormMixin, forms.Form):
    """Every kind of stage in its order: whether the edition holds it, its dates and, for scoring
    stages, how they are scored."""

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edition = edition
        existing = {stage.kind: stage for stage in edition.stages.all()}
        self.opened = {kind for kind, stage in existing.items() if stage.has_opened()}
        for kind in STAGE_SEQUENCE:
            stage = existing.get(kind)
            label = Stage.Kind(kind).label
            self.fields[f"{kind}_included"] = forms.BooleanField(
                label=format_lazy(_("Hold: {}"), label), required=False, initial=stage is not None
            )
            self.fields[f"{kind}_opens_at"] = _datetime_field(_("Opens"))
            self.fields[f"{kind}_closes_at"] = _datetime_field(_("Closes"))
            if stage is not None:
                self.fields[f"{kind}_opens_at"].initial = timezone.localtime(stage.opens_at)
                self.fields[f"{kind}_closes_at"].initial = timezone.localtime(stage.closes_at)
            if kind in self.opened:
                self.fields[f"{kind}_included"].disabled = True
                self.fields[f"{kind}_opens_at"].disabled = True
            if kind in SCORING_KINDS:
                defaults = stage or Stage(kind=kind)
                self.fields[f"{kind}_blind"] = forms.BooleanField(
                    label=_("Blind: scorers see no institution, region or names"),
                    required=False,
                    initial=defaults.blind if stage else kind == Stage.Kind.DESK,
                )
                self.fields[f"{kind}_hide_reviews_until_submitted"] = forms.BooleanField(
                    label=_("Other reviews hidden until one's own is submitted"),
                    required=False,
                    initial=defaults.hide_reviews_until_submitted,
                )
                self.fields[f"{kind}_aggregation"] = forms.ChoiceField(
                    label=_("Entry score"), choices=Stage.Aggregation.choices, initial=defaults.aggregation
                )
                self.fields[f"{kind}_calibrated"] = forms.BooleanField(
                    label=_("Calibrated ranking (reviewers' totals as z-scores)"),
                    required=False,
                    initial=defaults.calibrated,
                )
                self.fields[f"{kind}_spread_threshold"] = forms.DecimalField(
                    label=_("Flag a spread of totals above (points)"),
                    min_value=Decimal(0),
                    max_value=Decimal(100),
                    max_digits=5,
                    decimal_places=2,
                    initial=defaults.spread_threshold,
                )
                self.fields[f"{kind}_reviewers_per_entry"] = forms.IntegerField(
                    label=_("Reviewers per entry"), min_value=1, max_value=20, initial=defaults.reviewers_per_entry
                )

        # Each stage repeats the same labels: the error summary names the stage too.
        for kind in STAGE_SEQUENCE:
            for name, field in self.fields.items():
                if name.startswith(f"{kind}_") and name != f"{kind}_included":
                    field.summary_label = format_lazy("{}: {}", Stage.Kind(kind).label, field.label)

    def rows(self) -> list[dict[str, Any]]:
        """One fieldset per kind of stage, for the template."""
        rows = []
        for kind in STAGE_SEQUENCE:
            names = ["included", "opens_at", "closes_at"]
            if kind in SCORING_KINDS:
                names += list(SCORING_OPTIONS)
            rows.append(
                {
                    "kind": kind,
                    "label": Stage.Kind(kind).label,
                    "opened": kind in self.opened,
                    "fields": [self[f"{kind}_{name}"] for name in names],
                }
            )
        return rows

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for kind in STAGE_SEQUENCE:
            if not cleaned.get(f"{kind}_included"):
                continue
            opens, closes = cleaned.get(f"{kind}_opens_at"), cleaned.get(f"{kind}_closes_at")
            if opens is None and f"{kind}_opens_at" not in self.errors:
                self.add_error(f"{kind}_opens_at", _("Give the date the stage opens."))
            if closes is None and f"{kind}_closes_at" not in self.errors:
                self.add_error(f"{kind}_closes_at", _("Give the date the stage closes."))
            if opens and closes and closes <= opens:
                self.add_error(f"{kind}_closes_at", _("A stage must close after it opens."))
        if not any(cleaned.get(f"{kind}_included") for kind in STAGE_SEQUENCE):
            self.add_error(f"{STAGE_SEQUENCE[0]}_included", _("Hold at least the registration stage."))
        return cleaned

    def stages(self) -> list[StageInput]:
        result = []
        for kind in STAGE_SEQUENCE:
            if not self.cleaned_data.get(f"{kind}_included"):
                continue
            options: dict[str, Any] = {}
            if kind in SCORING_KINDS:
                options = {name: self.cleaned_data[f"{kind}_{name}"] for name in SCORING_OPTIONS}
            result.append(
                StageInput(
                    kind=kind,
                    opens_at=self.cleaned_data[f"{kind}_opens_at"],
                    closes_at=self.cleaned_data[f"{kind}_closes_at"],
                    **options,
                )
            )
        return result


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class CriterionForm(CleanTextFormMixin, forms.ModelForm):
    criterion_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    labels_id = forms.CharField(
        label=_("Level labels (Indonesian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a short scale such as 1-5: one label per level, lowest first."),
    )
    labels_en = forms.CharField(
        label=_("Level labels (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Criterion
        fields = [
            "name_id",
            "name_en",
            "guidance_id",
            "guidance_en",
            "weight",
            "scale_min",
            "scale_max",
            "counts_to_total",
        ]
        widgets = {
            "guidance_id": forms.Textarea(attrs={"rows": 2}),
            "guidance_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None:
            if low >= high:
                self.add_error("scale_max", _("The highest score must be above the lowest."))
                return cleaned
            levels = high - low + 1
            for name in ("labels_id", "labels_en"):
                lines = _lines(cleaned.get(name, ""))
                if lines and levels > LEVEL_LABELS_MAX:
                    self.add_error(
                        name, _("Labels are for short scales of at most %(max)s levels.") % {"max": LEVEL_LABELS_MAX}
                    )
                elif lines and len(lines) != levels:
                    self.add_error(
                        name,
                        _("Give %(levels)s labels, one per level from %(low)s to %(high)s.")
                        % {"levels": levels, "low": low, "high": high},
                    )
        return cleaned

    def criterion(self) -> CriterionInput:
        data = self.cleaned_data
        ids, ens = _lines(data.get("labels_id", "")), _lines(data.get("labels_en", ""))
        labels: dict[str, dict[str, str]] = {}
        for offset, value in enumerate(range(data["scale_min"], data["scale_max"] + 1)):
            label = {"id": ids[offset] if offset < len(ids) else "", "en": ens[offset] if offset < len(ens) else ""}
            if label["id"] or label["en"]:
                labels[str(value)] = label
        return CriterionInput(
            pk=data.get("criterion_id"),
            name_id=data["name_id"],
            name_en=data["name_en"],
            guidance_id=data.get("guidance_id", ""),
            guidance_en=data.get("guidance_en", ""),
            weight=data["weight"],
            scale_min=data["scale_min"],
            scale_max=data["scale_max"],
            level_labels=labels,
            counts_to_total=data.get("counts_to_total", False),
        )


class BaseCriterionFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        kept = [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]
        if not kept:
            raise forms.ValidationError(_("A rubric needs at least one criterion."))
        if not any(form.cleaned_data.get("counts_to_total") for form in kept):
            raise forms.ValidationError(_("At least one criterion must count to the total."))

    def criteria(self) -> list[CriterionInput]:
        return [form.criterion() for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]


# absolute_max: Django's default (max_num + 1000) let one POST claiming 1,000 rows build them all.
CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=1, can_delete=True, max_num=30, absolute_max=30
)


def criterion_initial(stage: Stage) -> list[dict[str, Any]]:
    initial = []
    for criterion in stage.criteria.order_by("order", "pk"):
        levels = range(criterion.scale_min, criterion.scale_max + 1)
        labels = criterion.level_labels or {}
        initial.append(
            {
                "criterion_id": criterion.pk,
                "name_id": criterion.name_id,
                "name_en": criterion.name_en,
                "guidance_id": criterion.guidance_id,
                "guidance_en": criterion.guidance_en,
                "weight": criterion.weight,
                "scale_min": criterion.scale_min,
                "scale_max": criterion.scale_max,
                "counts_to_total": criterion.counts_to_total,
                "labels_id": "\n".join(labels.get(str(v), {}).get("id", "") for v in levels) if labels else "",
                "labels_en": "\n".join(labels.get(str(v), {}).get("en", "") for v in levels) if labels else "",
            }
        )
    return initial


class AuditFilterForm(forms.Form):
    """The edition's audit trail, of one kind of action or all."""

    action = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Everything")), *AuditRecord.Action.choices]
    )
