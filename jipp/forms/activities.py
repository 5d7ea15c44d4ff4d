"""Forms of a hub's activities: planning, attendance and minutes, attachments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Activity, ActivityAttendance, Institution
from ..text import CleanTextFormMixin
from ..uploads import max_bytes
from .hub import institution_label


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class InstitutionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Institution) -> str:
        return institution_label(obj)


class ActivityForm(CleanTextFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    mode = forms.ChoiceField(label=_("Mode"), choices=Activity.Mode.choices)
    place = forms.CharField(label=_("Place"), max_length=300, required=False, help_text=_("For an activity on site."))
    link = forms.URLField(
        label=_("Link"),
        max_length=500,
        required=False,
        help_text=_("For an online activity; shown only to the invited institutions."),
        assume_scheme="https",
    )
    invited = InstitutionsField(
        label=_("Invited institutions"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invited"].queryset = members

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at < starts_at:
            self.add_error("ends_at", _("The end must not be before the start."))
        return data


class ReportForm(CleanTextFormMixin, forms.Form):
    """Minutes, and for each institution whether it attended and who came."""

    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(
        self, *args: Any, institutions: list[Institution], recorded: dict[int, ActivityAttendance], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.institutions = institutions
        for institution in institutions:
            line = recorded.get(institution.pk)
            self.fields[f"attended_{institution.pk}"] = forms.BooleanField(
                label=_("%(institution)s attended") % {"institution": institution.name},
                required=False,
                initial=line.attended if line else False,
            )
            self.fields[f"names_{institution.pk}"] = forms.CharField(
                label=_("Who came from %(institution)s") % {"institution": institution.name},
                required=False,
                initial=line.names if line else "",
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("One name a line."),
            )

    def rows(self) -> list[tuple[Institution, forms.BoundField, forms.BoundField]]:
        return [(i, self[f"attended_{i.pk}"], self[f"names_{i.pk}"]) for i in self.institutions]


class AttachmentForm(CleanTextFormMixin, forms.Form):
    file = forms.FileField(label=_("File"))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, Word, Excel, PowerPoint or a photo, at most %(limit)s MB.") % {
            "limit": max_bytes() // (1024 * 1024)
        }
