"""Forms: the decision table's filters, the cut and the outcome it gives, publishing a result."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from jipp.text import CleanTextFormMixin

from ..models import Decision, Edition, EditionCategory, Stage
from ..services.decisions import Cut, CutMode, outcomes_for


class DecisionFilterForm(forms.Form):
    """The ranked table of one group and one category (both optional)."""

    group = forms.ChoiceField(label=_("Group"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=EditionCategory.objects.none(), required=False, empty_label=_("All categories")
    )

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = edition.groups.all()
        self.fields["group"].choices = [("", _("All groups")), *((g.group, g.get_group_display()) for g in groups)]
        self.fields["category"].queryset = edition.categories.order_by("code")

    def values(self) -> tuple[str, int | None]:
        """The group and category id asked for; nothing filtered when the filters are not valid."""
        if not self.is_valid():
            return "", None
        category = self.cleaned_data.get("category")
        return self.cleaned_data.get("group") or "", category.pk if category else None


class Mode:
    TICKED = "ticked"
    CHOICES = (
        (CutMode.TOP, _("The first N entries shown")),
        (CutMode.GRADE, _("Every entry shown at or above a passing grade")),
        (TICKED, _("Only the ticked entries")),
    )


class Action:
    PREVIEW = "preview"
    CONFIRM = "confirm"


class DecisionForm(CleanTextFormMixin, forms.Form):
    """Which entries of the table get which outcome: a cut (Top N, passing grade) or ticked rows."""

    mode = forms.ChoiceField(
        label=_("Which entries"),
        choices=Mode.CHOICES,
        initial=CutMode.TOP,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which entries get the outcome.")},
    )
    top = forms.IntegerField(
        label=_("N (the first N entries)"),
        required=False,
        min_value=1,
        max_value=10000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    grade = forms.DecimalField(
        label=_("Passing grade"),
        required=False,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Of 100; the score the ranking goes by (calibrated where the stage is)."),
    )
    entries = forms.TypedMultipleChoiceField(label=_("Entries"), coerce=int, required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome to give.")},
    )
    rest_eliminated = forms.BooleanField(
        label=_("Mark the other entries shown as not continued"),
        required=False,
        help_text=_("Only with a cut: the entries below it."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, stage: Stage, entry_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(o, Decision.Outcome(o).label) for o in outcomes_for(stage)]
        self.fields["entries"].choices = [(pk, pk) for pk in entry_ids]
        self.fields["grade"].initial = stage.edition.passing_grade

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        mode = cleaned.get("mode")
        if mode == CutMode.TOP and not cleaned.get("top"):
            self.add_error("top", _("Give N, the number of entries from the top."))
        elif mode == CutMode.GRADE and cleaned.get("grade") is None:
            self.add_error("grade", _("Give the passing grade."))
        elif mode == Mode.TICKED:
            if not cleaned.get("entries"):
                self.add_error("entries", _("Tick the entries to mark."))
            if cleaned.get("rest_eliminated"):
                self.add_error("rest_eliminated", _("Marking the rest needs a cut, not ticked entries."))
        return cleaned

    @property
    def cut(self) -> Cut | None:
        """The cut asked for, or None when the ticked entries are marked."""
        mode = self.cleaned_data["mode"]
        if mode == Mode.TICKED:
            return None
        return Cut(mode=mode, top=self.cleaned_data.get("top"), grade=self.cleaned_data.get("grade"))
