"""Forms: evidence documents and photos."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from jipp.text import CleanTextFormMixin

from ..services.evidence import evidence_check_size, evidence_detect_type, evidence_max_bytes, size_text


class EvidenceForm(CleanTextFormMixin, forms.Form):
    caption = forms.CharField(label=_("Caption"), max_length=300, help_text=_("What the file shows or proves."))
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png,.webp,application/pdf,image/jpeg,image/png,image/webp"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, Word (DOCX) or Excel (XLSX) documents; JPEG, PNG or WebP photos; at most %(limit)s."
        ) % {"limit": size_text(evidence_max_bytes())}

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        # The size is known from the request before anything is written to the media storage.
        evidence_check_size(size=int(upload.size or 0))
        evidence_detect_type(upload=upload)
        return upload
