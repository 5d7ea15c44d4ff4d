"""Forms of dissemination notices: writing one (with its recipients and attachments), sending or
scheduling it, choosing whose copy to preview, and the hub's settings for automatic notices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import HubSettings, Institution, Notice, Region
from ..services.notices import NoticeData
from ..text import CleanTextFormMixin
from ..uploads import max_bytes
from .activities import DateTimeInput, InstitutionsField
from .hub import institution_label


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); each is checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class RegionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class NoticeForm(CleanTextFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of notice"), choices=[c for c in Notice.Kind.choices if c[0] != Notice.Kind.DIGEST]
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: **bold**, *italic*, lists starting with “- ”, links as [text](https://…)."),
    )
    link_url = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    link_title = forms.CharField(
        label=_("Link title"), max_length=200, required=False, help_text=_("What the recipients click.")
    )
    audience = forms.ChoiceField(
        label=_("Recipients"), choices=Notice.Audience.choices, widget=forms.RadioSelect, initial="all_members"
    )
    audience_regions = RegionsField(
        label=_("Regencies"), queryset=Region.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    audience_kinds = forms.MultipleChoiceField(
        label=_("Kinds of institution"),
        choices=Institution.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience_institutions = InstitutionsField(
        label=_("Institutions"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, members: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audience_institutions"].queryset = members
        self.fields["audience_regions"].queryset = regions
        self.fields["attachments"].help_text = _(
            "PDF, Word, Excel, PowerPoint or photos, at most %(limit)s MB each. E-mails carry a link to them."
        ) % {"limit": max_bytes() // (1024 * 1024)}

    @classmethod
    def initial_for(cls, notice: Notice) -> dict[str, Any]:
        return {
            "kind": notice.kind,
            "subject": notice.subject,
            "body": notice.body,
            "link_url": notice.link_url,
            "link_title": notice.link_title,
            "audience": notice.audience,
            "audience_regions": list(notice.audience_regions.all()),
            "audience_kinds": notice.audience_kinds,
            "audience_institutions": list(notice.audience_institutions.all()),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("link_url") and not data.get("link_title"):
            self.add_error("link_title", _("Give the link a title: it is what the recipients click."))
        choice = {
            Notice.Audience.REGENCIES: ("audience_regions", _("Choose at least one regency.")),
            Notice.Audience.KINDS: ("audience_kinds", _("Choose at least one kind of institution.")),
            Notice.Audience.INSTITUTIONS: ("audience_institutions", _("Choose at least one institution.")),
        }.get(data.get("audience", ""))
        if choice and not data.get(choice[0]):
            self.add_error(choice[0], choice[1])
        return data

    def notice_data(self) -> NoticeData:
        data = self.cleaned_data
        return NoticeData(
            kind=data["kind"],
            subject=data["subject"],
            body=data["body"],
            link_title=data["link_title"],
            link_url=data["link_url"],
            audience=data["audience"],
            audience_kinds=data["audience_kinds"],
            regions=list(data["audience_regions"]),
            institutions=list(data["audience_institutions"]),
        )


class SendForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Send now")), ("later", _("Send at a chosen time"))],
        widget=forms.RadioSelect,
        initial="now",
    )
    scheduled_at = forms.DateTimeField(
        label=_("Send at"), required=False, widget=DateTimeInput(), help_text=_("Time in WITA.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("when") == "later":
            at = data.get("scheduled_at")
            if at is None:
                self.add_error("scheduled_at", _("Choose when to send it."))
            elif at <= timezone.now():
                self.add_error("scheduled_at", _("Choose a time in the future."))
        return data


class RecipientField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Institution) -> str:
        return institution_label(obj)


class PreviewForm(forms.Form):
    institution = RecipientField(label=_("Show the copy of"), queryset=Institution.objects.none(), required=False)

    def __init__(self, *args: Any, audience: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = audience


class HubNoticeSettingsForm(forms.ModelForm):
    class Meta:
        model = HubSettings
        fields = ["publish_notice", "reminder_after_days", "max_reminders"]
        widgets = {"publish_notice": forms.RadioSelect}
