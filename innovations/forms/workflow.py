"""Forms: the innovation record (grouped in sections), its awards, and the hub's return comment."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from jipp.models import Institution, Region
from jipp.text import CleanTextFormMixin, clean_text

from ..models import SDG, SECTION_LIMITS, Award, Category, Innovation, State
from ..parsing import parse_rupiah
from ..services.workflow import REQUIRED_FOR_SUBMISSION, REQUIRED_SDG_MESSAGE
from ..validators import validate_video_url

# The form's sections: (anchor, title, field names). The page shows them as fieldsets with a table
# of contents and how many fields of each are filled.
SECTIONS: list[tuple[str, Any, tuple[str, ...]]] = [
    ("identity", _("Name and summary"), ("title", "unit", "summary")),
    ("profile", _("Profile"), ("stage", "kind", "form", "initiator", "government_affair")),
    ("dates", _("Dates and budget"), ("trial_date", "implementation_date", "budget", "budget_source")),
    ("goals", _("SDG goals and categories"), ("sdgs", "categories")),
    ("background", _("Background and goals"), ("background", "goals")),
    ("method", _("Novelty and implementation"), ("novelty", "implementation")),
    ("impact", _("Impact and replication"), ("significance", "adaptability")),
    ("continuity", _("Resources, sustainability and collaboration"), ("resources", "sustainability", "collaboration")),
    ("media", _("Video"), ("video_url",)),
]


# What each section of the record should say, after the structure of a KIPP proposal.
SECTION_HELP: dict[str, Any] = {
    "summary": _(
        "In a few sentences: what the innovation is, the problem it solves and its main result. "
        "The public catalogue shows this text."
    ),
    "background": _(
        "The problem before the innovation, with figures if you have them (waiting time, cost, coverage), "
        "and who suffered from it."
    ),
    "goals": _("What the innovation sets out to achieve, as measurable targets where possible."),
    "novelty": _("What is new compared with how the service worked before, or with similar services elsewhere."),
    "implementation": _(
        "How it was put into practice: the decision that established it, the steps taken, who does what, "
        "and since when."
    ),
    "significance": _("Results and impact with evidence: figures before and after, satisfaction surveys, evaluations."),
    "adaptability": _(
        "Whether others can adopt it: documented steps, replications already made, what a replicating "
        "institution needs."
    ),
    "resources": _("The people, budget, equipment and technology it uses, and where they come from."),
    "sustainability": _("What keeps it running: the regulation, the yearly budget or the institutional arrangement."),
    "collaboration": _("The partners involved (agencies, villages, community groups, companies) and what each does."),
}


def _choose_first(form: forms.BaseForm) -> None:
    """Say "Choose…" on the empty option of every select, instead of Django's dashes."""
    for field in form.fields.values():
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] == "":
                field.choices = [("", _("Choose…")), *choices[1:]]


class RupiahField(forms.DecimalField):
    """An amount of whole rupiah, typed as officials write it ("175.000.000", "Rp. 75.000.000,00")."""

    # Not type=number, which would refuse the dots officials type between thousands.
    widget = forms.TextInput
    default_error_messages = {"invalid": _("Enter an amount in rupiah, for example 175.000.000.")}

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        amount = parse_rupiah(str(value))
        if amount is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int):
            return formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
        return value


def _error_link(field: forms.BoundField, message: Any, label: Any = None) -> dict[str, Any]:
    # A group of checkboxes has no element of its own to focus: the link goes to its first box.
    return {
        "anchor": field.id_for_label or f"{field.auto_id}_0",
        "label": label or field.label,
        "message": message,
    }


class InnovationForm(CleanTextFormMixin, forms.ModelForm):
    """The whole record. A draft may be incomplete; with `for_submission` the essentials are required."""

    video_url = forms.URLField(
        label=_("video link"),
        required=False,
        assume_scheme="https",
        validators=[validate_video_url],
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    budget = RupiahField(
        label=_("budget (Rp)"),
        required=False,
        max_digits=15,
        decimal_places=0,
        help_text=_("Whole rupiah; dots between thousands are fine, for example 175.000.000."),
    )

    class Meta:
        model = Innovation
        fields = [
            "title",
            "unit",
            *SECTION_LIMITS.keys(),
            "stage",
            "kind",
            "form",
            "initiator",
            "government_affair",
            "trial_date",
            "implementation_date",
            "budget",
            "budget_source",
            "sdgs",
            "categories",
            "video_url",
        ]
        widgets = {
            "trial_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "implementation_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sdgs": forms.CheckboxSelectMultiple,
            "categories": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, for_submission: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.for_submission = for_submission
        self.fields["sdgs"].queryset = SDG.objects.order_by("number")
        self.fields["categories"].queryset = Category.objects.order_by("name_id")
        for name, limit in SECTION_LIMITS.items():
            field = self.fields[name]
            # The browser's own maxlength would silently cut pasted text; the counter warns instead.
            field.widget.attrs.pop("maxlength", None)
            field.widget.attrs.update({"data-maxlength": str(limit), "rows": 6})
            field.limit = limit  # type: ignore[attr-defined]
            field.help_text = SECTION_HELP[name]
        # Labels as the error summary names them, before the essentials get their star.
        self.plain_labels = {name: field.label for name, field in self.fields.items()}
        for name in (*REQUIRED_FOR_SUBMISSION, "sdgs"):
            self.fields[name].label = format_lazy("{} *", self.fields[name].label)
        _choose_first(self)
        self.fields["title"].widget.attrs.update(
            {
                "autocomplete": "off",
                "hx-get": reverse("innovations:similar"),
                "hx-trigger": "input changed delay:600ms",
                "hx-target": "#similar-results",
                "hx-include": "#id_summary, #similar-exclude",
            }
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        trial, implementation = cleaned.get("trial_date"), cleaned.get("implementation_date")
        if trial and implementation and implementation < trial:
            self.add_error("implementation_date", _("The implementation date cannot be earlier than the trial date."))
        if self.for_submission:
            for name in REQUIRED_FOR_SUBMISSION:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed before the record is sent to the hub."))
            if not cleaned.get("sdgs") and "sdgs" not in self.errors:
                self.add_error("sdgs", REQUIRED_SDG_MESSAGE)
        return cleaned

    @classmethod
    def checked_for_submission(cls, instance: Innovation) -> InnovationForm:
        """The saved record as a form checked for submission: its errors say what the record still lacks."""
        saved = cls(instance=instance)
        form = cls({name: saved[name].value() for name in saved.fields}, instance=instance, for_submission=True)
        form.is_valid()
        return form

    def error_links(self) -> list[dict[str, Any]]:
        """Each error with the field it belongs to, in the order of the page, for the summary on top."""
        return [
            _error_link(self[name], message, capfirst(self.plain_labels[name]))
            for _anchor, _title, names in SECTIONS
            for name in names
            for message in self[name].errors
        ]

    def content_fields(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name not in {"sdgs", "categories"}}

    def sections(self) -> list[dict[str, Any]]:
        """The fieldsets with their fields and how many are filled (from what was typed, if bound)."""
        result = []
        for anchor, title, names in SECTIONS:
            fields = [self[name] for name in names]
            filled = sum(1 for field in fields if _has_value(field.value()))
            result.append(
                {
                    "anchor": anchor,
                    "title": title,
                    "fields": fields,
                    "filled": filled,
                    "total": len(fields),
                    "has_errors": any(field.errors for field in fields),
                }
            )
        return result


def _has_value(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return any(str(item).strip() for item in value)
    return value is not None and str(value).strip() != ""


class AwardForm(CleanTextFormMixin, forms.ModelForm):
    class Meta:
        model = Award
        fields = ["year", "competition", "rank", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The blank extra row may stay blank; the browser must not insist on it.
        self.use_required_attribute = False
        _choose_first(self)


class BaseAwardFormSet(forms.BaseFormSet):
    """The record's awards that its institution may edit; `locked` are the record's locked awards
    (Award.locked), shown beside the rows, which a row may not repeat."""

    def __init__(self, *args: Any, locked: Sequence[Award] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locked = list(locked)

    def clean(self) -> None:
        seen = {(award.year, award.competition, award.rank) for award in self.locked}
        locked = set(seen)
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or self._should_delete_form(form):
                continue
            key = (form.cleaned_data.get("year"), form.cleaned_data.get("competition"), form.cleaned_data.get("rank"))
            if key in locked:
                form.add_error(None, _("This award is already on the record from a published competition result."))
            elif key in seen:
                form.add_error(None, _("This award is listed twice."))
            seen.add(key)

    def error_links(self) -> list[dict[str, Any]]:
        """Each error of an award row, linked to the field it names or else to the row's first field."""
        links = []
        for number, form in enumerate(self.forms, start=1):
            row = _("Award %(number)s") % {"number": number}
            for message in form.non_field_errors():
                links.append(_error_link(form["year"], message, row))
            for field in form:
                label = format_lazy("{}, {}", row, field.label)
                links.extend(_error_link(field, message, label) for message in field.errors)
        return links

    def awards(self) -> list[dict[str, Any]]:
        return [
            {name: form.cleaned_data[name] for name in ("year", "competition", "rank", "note")}
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


# absolute_max: Django's default (max_num + 1000) let one POST claiming 1,000 rows build and render them
# all, seconds of a worker for every such request.
AwardFormSet = forms.formset_factory(
    AwardForm, formset=BaseAwardFormSet, extra=1, can_delete=True, max_num=30, absolute_max=30
)


def award_initial(innovation: Innovation | None) -> list[dict[str, Any]]:
    """The rows of the awards form: the record's awards but the locked ones."""
    if innovation is None or innovation.pk is None:
        return []
    return list(
        innovation.awards.filter(locked=False)
        .order_by("-year", "competition", "pk")
        .values("year", "competition", "rank", "note")
    )


def awards_locked(innovation: Innovation | None) -> list[Award]:
    """The record's awards that a published competition result set: shown, never edited."""
    if innovation is None or innovation.pk is None:
        return []
    return list(innovation.awards.filter(locked=True).order_by("-year", "competition", "pk"))


class ReturnForm(CleanTextFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("What should the institution change?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Say what the institution should change.")},
    )


class DecisionForm(CleanTextFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Shown only when a pending change would empty fields of its published record.
    empty_fields = forms.BooleanField(label=_("Yes, empty these fields of the published record"), required=False)


class SubmissionKind(models.TextChoices):
    NEW = "new", _("New records")
    CHANGE = "change", _("Changes of published records")


class _StaffRecordFilter(django_filters.FilterSet):
    """What the staff lists share: words of the title or institution, region, institution, new or change."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_words")
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.order_by("bps_code"),
        to_field_name="bps_code",
        empty_label=_("All regions"),
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"), queryset=Institution.objects.order_by("name"), empty_label=_("All institutions")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of submission"),
        choices=SubmissionKind.choices,
        empty_label=_("New records and changes"),
        method="filter_kind",
    )

    def filter_words(self, queryset: QuerySet[Innovation], name: str, value: str) -> QuerySet[Innovation]:
        # Every word must appear, in the title or in the institution's name.
        for word in clean_text(value).split()[:8]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(institution__name__icontains=word))
        return queryset

    def filter_kind(self, queryset: QuerySet[Innovation], name: str, value: str) -> QuerySet[Innovation]:
        return queryset.filter(revision_of__isnull=value == SubmissionKind.NEW)


class InnovationFilter(_StaffRecordFilter):
    """The staff list: an operator's institution's records, or all records for the hub."""

    state = django_filters.ChoiceFilter(label=_("State"), choices=State.choices, empty_label=_("All states"))

    class Meta:
        model = Innovation
        fields = ["q", "state", "region", "institution", "kind"]


class QueueFilter(_StaffRecordFilter):
    """The verification queue: everything in it is waiting, so there is no state to choose."""

    class Meta:
        model = Innovation
        fields = ["q", "region", "institution", "kind"]


class SimilarQueryForm(CleanTextFormMixin, forms.Form):
    """What the record form sends while a title is typed; a part that is not understood is ignored."""

    title = forms.CharField(required=False)
    summary = forms.CharField(required=False)
    # Bounded so that no database is asked about a number no record can have.
    exclude = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def query(self) -> dict[str, Any]:
        """Keyword arguments of `innovations_similar` from whatever parts were valid."""
        valid = getattr(self, "cleaned_data", {})
        return {
            "title": (valid.get("title") or "")[:200],
            "summary": (valid.get("summary") or "")[:1500],
            "exclude_pk": valid.get("exclude"),
        }
