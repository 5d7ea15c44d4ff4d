"""Forms: evidence documents and photos."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from jipp.text import CleanTextFormMixin
from jipp.uploads import size_text

from ..services.evidence import RefusedFile, evidence_check_size, evidence_detect_type, evidence_max_bytes

ACCEPT = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png,.webp,application/pdf,image/jpeg,image/png,image/webp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name. It cleans to the list of uploads and leaves each file's checks to
    `check_one`, so that the form can refuse one file and keep the others."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if not uploads:
            super().clean(None, initial)  # "This field is required."
        return uploads

    def check_one(self, upload: UploadedFile) -> UploadedFile:
        """FileField's own checks of one file (an empty file, a name too long)."""
        return super().clean(upload)


class EvidenceForm(CleanTextFormMixin, forms.Form):
    """A caption and one or more files, each checked on its own by content and size.

    A refused file does not refuse the others: they are in cleaned_data["file"], the refused ones in
    `refused` (name and reason). Only when every file is refused is the form invalid.
    """

    caption = forms.CharField(
        label=_("Caption"),
        max_length=300,
        help_text=_("What the files show or prove. When you choose several files, each gets this caption."),
    )
    file = MultipleFileField(label=_("Files"))
    # Where the operator came from (the record page or its edit page), to return there.
    back = forms.ChoiceField(choices=[("detail", "detail"), ("edit", "edit")], required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refused: list[RefusedFile] = []
        self.fields["file"].help_text = _(
            "PDF, Word (DOCX) or Excel (XLSX) documents; JPEG, PNG or WebP photos; at most %(limit)s each. "
            "You may choose several files at once."
        ) % {"limit": size_text(evidence_max_bytes())}

    def clean_file(self) -> list[UploadedFile]:
        field = cast(MultipleFileField, self.fields["file"])
        accepted = []
        for upload in self.cleaned_data["file"]:
            try:
                field.check_one(upload)
                # The size is known from the request before anything is written to the media storage.
                evidence_check_size(size=int(upload.size or 0))
                evidence_detect_type(upload=upload)
            except ValidationError as error:
                self.refused.append(RefusedFile.of(upload, error))
            else:
                accepted.append(upload)
        if not accepted:
            raise ValidationError([refusal.as_error() for refusal in self.refused])
        return accepted
