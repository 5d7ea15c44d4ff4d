"""Forms: entering an innovation into an edition, and filtering the entries list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from innovations.models import Innovation
from jipp.text import CleanTextFormMixin

from ..models import Edition, EditionCategory, Entry


class InnovationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Innovation) -> str:
        return f"{obj.title} ({obj.institution})"


class EntryForm(CleanTextFormMixin, forms.Form):
    innovation = InnovationChoiceField(
        label=_("Innovation"),
        queryset=Innovation.objects.none(),
        empty_label=_("Choose…"),
        help_text=_("A published record. What reviewers read is the record as it is now, frozen on submission."),
        error_messages={
            "required": _("Choose the innovation to enter."),
            "invalid_choice": _("Choose one of the listed innovations."),
        },
    )
    group = forms.ChoiceField(label=_("Group"), choices=(), widget=forms.RadioSelect)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=EditionCategory.objects.none(),
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose a category."),
            "invalid_choice": _("Choose one of the listed categories."),
        },
    )

    def __init__(self, *args: Any, edition: Edition, innovations: QuerySet[Innovation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["innovation"].queryset = innovations
        self.fields["group"].choices = [(group.group, group.get_group_display()) for group in edition.groups.all()]
        self.fields["group"].error_messages["required"] = _("Choose a group.")
        self.fields["category"].queryset = edition.categories.order_by("code")


class EntryFilterForm(CleanTextFormMixin, forms.Form):
    edition = forms.TypedChoiceField(label=_("Edition"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, editions: QuerySet[Edition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = [("", _("All editions")), *((e.year, str(e)) for e in editions)]
        self.fields["status"].choices = [("", _("All statuses")), *Entry.Status.choices]

    def filter(self, entries: QuerySet[Entry]) -> QuerySet[Entry]:
        if not self.is_valid():
            return entries
        if self.cleaned_data.get("edition"):
            entries = entries.filter(edition__year=self.cleaned_data["edition"])
        if self.cleaned_data.get("status"):
            entries = entries.filter(status=self.cleaned_data["status"])
        return entries
