"""Forms: assigning scorers by hand, automatically or from a file; declaring conflicts of interest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jipp.models import Institution, User
from jipp.text import CleanTextFormMixin

from ..models import Entry

IMPORT_MAX_BYTES = 2 * 1024 * 1024


def scorer_label(user: User) -> str:
    # Names repeat; the username tells two reviewers apart.
    name = f"{user.get_full_name()} · {user.username}" if user.get_full_name() else user.username
    return f"{name} ({user.institution})" if user.institution_id else name


class ScorerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return scorer_label(obj)


class ScorerMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return scorer_label(obj)


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Entry) -> str:
        return f"{obj.code}: {obj.title}"


class AssignForm(forms.Form):
    reviewer = ScorerChoiceField(
        label=_("Reviewer"),
        queryset=User.objects.none(),
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose who scores the entry."),
            "invalid_choice": _("Choose one of the listed reviewers."),
        },
    )

    def __init__(self, *args: Any, scorers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = scorers


class AutoAssignForm(forms.Form):
    per_entry = forms.IntegerField(
        label=_("Reviewers per entry"),
        min_value=1,
        max_value=20,
        error_messages={"required": _("Say how many reviewers each entry gets.")},
    )
    reviewers = ScorerMultipleChoiceField(
        label=_("Reviewers to use"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: everyone who scores this stage."),
    )

    def __init__(self, *args: Any, scorers: QuerySet[User], per_entry: int, **kwargs: Any) -> None:
        super().__init__(*args, initial={"per_entry": per_entry}, **kwargs)
        self.fields["reviewers"].queryset = scorers


class AssignmentImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "At most 2 MB. Columns “entry” (e.g. KIPP-2026-0042, or its number) and “reviewer” (username or e-mail)."
        ),
        error_messages={"required": _("Choose the file to upload."), "empty": _("The file is empty.")},
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        if not (upload.name or "").lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class ConflictForm(CleanTextFormMixin, forms.Form):
    reviewer = ScorerChoiceField(
        label=_("Reviewer or panelist"),
        queryset=User.objects.none(),
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose whose conflict it is."),
            "invalid_choice": _("Choose one of the listed reviewers and panelists."),
        },
    )
    entry = EntryChoiceField(
        label=_("Entry"),
        queryset=Entry.objects.none(),
        required=False,
        empty_label=_("Choose…"),
        error_messages={"invalid_choice": _("Choose one of the listed entries.")},
    )
    institution = forms.ModelChoiceField(
        label=_("Or an institution (and the institutions under it)"),
        queryset=Institution.objects.order_by("name"),
        required=False,
        empty_label=_("Choose…"),
        error_messages={"invalid_choice": _("Choose one of the listed institutions.")},
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    def __init__(self, *args: Any, scorers: QuerySet[User], entries: QuerySet[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = scorers
        self.fields["entry"].queryset = entries

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("entry")) == bool(cleaned.get("institution")):
            raise forms.ValidationError(_("Choose either one entry or one institution."))
        return cleaned


class SelfConflictForm(CleanTextFormMixin, forms.Form):
    """A reviewer declaring a conflict with the entry in front of them."""

    reason = forms.CharField(
        label=_("Why you cannot score this entry"),
        max_length=300,
        error_messages={"required": _("Say briefly why, for the secretariat.")},
    )
