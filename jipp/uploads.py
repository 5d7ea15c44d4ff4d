"""Files the hub keeps (activity attachments, maturity evidence): type read from the content, size limited.

The hub's files are only stored and offered for download, never decoded or previewed, so checking
what the content is and how large it is suffices. Limit: EVIDENCE_MAX_BYTES, as for evidence.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class StoredType:
    content_type: str
    extension: str


PDF = StoredType("application/pdf", "pdf")
OFFICE = {
    "word/document.xml": StoredType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/workbook.xml": StoredType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/presentation.xml": StoredType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"
    ),
}
IMAGES = {
    "image/jpeg": StoredType("image/jpeg", "jpg"),
    "image/png": StoredType("image/png", "png"),
    "image/webp": StoredType("image/webp", "webp"),
}
REFUSED_TYPE_MESSAGE = _(
    "This file is not a PDF, Word, Excel or PowerPoint document, nor a JPEG, PNG or WebP photo. "
    "Its content was checked, not its name: save it in one of these formats and try again."
)


def max_bytes() -> int:
    return int(settings.EVIDENCE_MAX_BYTES)


def _office_type(handle: IO[bytes]) -> StoredType | None:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((stored for marker, stored in OFFICE.items() if marker in names), None)


def checked_upload(upload: File) -> StoredType:
    """The type `upload` really is, or ValidationError (too large, or not an allowed type)."""
    if (upload.size or 0) > max_bytes():
        raise ValidationError(
            _("The file is larger than %(limit)s, the largest allowed.") % {"limit": filesizeformat(max_bytes())},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    try:
        if guess is not None and guess.mime == PDF.content_type:
            return PDF
        if guess is not None and guess.mime in IMAGES:
            return IMAGES[guess.mime]
        if head.startswith(b"PK\x03\x04"):
            office = _office_type(upload)
            if office is not None:
                return office
    finally:
        upload.seek(0)
    raise ValidationError(REFUSED_TYPE_MESSAGE, code="type")
