"""Forms: a review, one score (or abstention) and comment per criterion of the stage's rubric."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jipp.text import CleanTextFormMixin

from ..models import Criterion, Score
from ..services.reviews import ScoreInput

COMMENT_MAX = 3000


class ReviewForm(CleanTextFormMixin, forms.Form):
    """Fields value_<id>, abstain_<id> and comment_<id> for each criterion, in the rubric's order.

    A short scale with a label per level is chosen from its levels; a wide one is typed (two
    decimals at most). Whether every criterion is scored is the service's question on submission:
    a draft may leave any empty.
    """

    def __init__(self, *args: Any, criteria: Sequence[Criterion], scores: Sequence[Score] = (), **kwargs: Any) -> None:
        existing = {score.criterion_id: score for score in scores}
        initial = {}
        for criterion_id, score in existing.items():
            value = score.value
            if value is not None and value == value.to_integral_value():
                value = value.quantize(Decimal(1))
            initial[f"value_{criterion_id}"] = value
            initial[f"abstain_{criterion_id}"] = score.abstained
            initial[f"comment_{criterion_id}"] = score.comment
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"value_{criterion.pk}"] = self._value_field(criterion)
            self.fields[f"abstain_{criterion.pk}"] = forms.BooleanField(
                label=_("Abstain on “%(criterion)s”") % {"criterion": criterion}, required=False
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s” (optional)") % {"criterion": criterion},
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    @staticmethod
    def _value_field(criterion: Criterion) -> forms.Field:
        between = _("Between %(min)s and %(max)s.") % {"min": criterion.scale_min, "max": criterion.scale_max}
        # The fieldset's legend names the criterion; the label says what to fill in, and names the
        # criterion again for the error summary, which lists labels.
        label = _("Score for “%(criterion)s”") % {"criterion": criterion}
        if criterion.level_labels:
            levels = range(criterion.scale_min, criterion.scale_max + 1)
            return forms.TypedChoiceField(
                label=label,
                required=False,
                coerce=Decimal,
                empty_value=None,
                widget=forms.RadioSelect,
                choices=[
                    (str(level), f"{level}: {label}" if (label := criterion.level_label(level)) else str(level))
                    for level in levels
                ],
                error_messages={"invalid_choice": _("Choose one of the levels.")},
            )
        return forms.DecimalField(
            label=label,
            required=False,
            min_value=criterion.scale_min,
            max_value=criterion.scale_max,
            max_digits=6,
            decimal_places=2,
            help_text=between,
            error_messages={
                "min_value": between,
                "max_value": between,
                "invalid": _("Type a number, e.g. 85 or 72.5."),
                "max_decimal_places": _("At most two decimals."),
                "max_digits": between,
            },
            widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for criterion in self.criteria:
            if cleaned.get(f"abstain_{criterion.pk}") and cleaned.get(f"value_{criterion.pk}") is not None:
                self.add_error(f"value_{criterion.pk}", _("Leave the score empty to abstain, or untick “abstain”."))
        return cleaned

    def rows(self) -> list[dict[str, Any]]:
        """Each criterion with its three bound fields, for the template."""
        return [
            {
                "criterion": criterion,
                "value": self[f"value_{criterion.pk}"],
                "abstain": self[f"abstain_{criterion.pk}"],
                "comment": self[f"comment_{criterion.pk}"],
            }
            for criterion in self.criteria
        ]

    def scores(self) -> list[ScoreInput]:
        return [
            ScoreInput(
                criterion_id=criterion.pk,
                value=self.cleaned_data.get(f"value_{criterion.pk}"),
                abstained=bool(self.cleaned_data.get(f"abstain_{criterion.pk}")),
                comment=self.cleaned_data.get(f"comment_{criterion.pk}", ""),
            )
            for criterion in self.criteria
        ]
