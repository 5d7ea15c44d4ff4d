"""Forms: the administrative selection, one entry at a time or many at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jipp.text import CleanTextFormMixin

from ..models import AdminReason, Entry


class Outcome:
    PASSED = "passed"
    FAILED = "failed"
    CHOICES = ((PASSED, _("Passes")), (FAILED, _("Fails")))


class SelectionForm(CleanTextFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Outcome.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the entry passes or fails.")},
    )
    reasons = forms.MultipleChoiceField(
        label=_("Reasons (for a failed entry)"),
        choices=AdminReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("outcome") == Outcome.FAILED and not cleaned.get("reasons"):
            self.add_error("reasons", _("Tick at least one reason why the entry fails."))
        return cleaned

    @property
    def passed(self) -> bool:
        return self.cleaned_data["outcome"] == Outcome.PASSED


class BulkSelectionForm(SelectionForm):
    entries = forms.ModelMultipleChoiceField(
        label=_("Entries"),
        queryset=Entry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the entries to mark.")},
    )

    def __init__(self, *args: Any, entries: QuerySet[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = entries
