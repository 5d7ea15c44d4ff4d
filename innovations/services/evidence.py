"""Writes: evidence documents and photos of a record.

The type of a file is read from its content, never from its name or the browser's declared type.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from jipp.permissions import ensure_can

from ..models import Evidence, Innovation

PREVIEW_MAX_PIXELS = 800


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str
    extension: str


PDF = FileType(Evidence.Kind.DOCUMENT, "application/pdf", "pdf")
DOCX = FileType(
    Evidence.Kind.DOCUMENT, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
)
XLSX = FileType(Evidence.Kind.DOCUMENT, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
IMAGES = {
    "image/jpeg": FileType(Evidence.Kind.PHOTO, "image/jpeg", "jpg"),
    "image/png": FileType(Evidence.Kind.PHOTO, "image/png", "png"),
    "image/webp": FileType(Evidence.Kind.PHOTO, "image/webp", "webp"),
}
REFUSED_TYPE_MESSAGE = _(
    "This file is not a PDF, Word (DOCX) or Excel (XLSX) document, nor a JPEG, PNG or WebP photo. "
    "Its content was checked, not its name: save it in one of these formats and try again."
)


def _office_type(handle: IO[bytes]) -> FileType | None:
    """DOCX and XLSX are zip containers; what is inside tells them apart from any other zip."""
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def evidence_max_bytes() -> int:
    return int(settings.EVIDENCE_MAX_BYTES)


def evidence_check_size(*, size: int) -> None:
    limit = evidence_max_bytes()
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def evidence_detect_type(*, upload: File) -> FileType:
    """The allowed type the content of `upload` really is; ValidationError for anything else."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    try:
        if guess is not None and guess.mime == "application/pdf":
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


def _preview(upload: File) -> ContentFile | None:
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.thumbnail((PREVIEW_MAX_PIXELS, PREVIEW_MAX_PIXELS))
            output = io.BytesIO()
            image.convert("RGB").save(output, format="WEBP", quality=80)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This photo could not be read; it may be damaged."), code="image") from error
    finally:
        upload.seek(0)
    return ContentFile(output.getvalue())


@transaction.atomic
def evidence_add(*, innovation: Innovation, by: Any, upload: File, caption: str) -> Evidence:
    """Attach a document or photo to a record the operator may still edit."""
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    ensure_can(by, "innovations.change_innovation", innovation)
    size = int(upload.size or 0)
    evidence_check_size(size=size)
    detected = evidence_detect_type(upload=upload)
    preview = _preview(upload) if detected.kind == Evidence.Kind.PHOTO else None
    evidence = Evidence(
        innovation=innovation,
        kind=detected.kind,
        caption=caption.strip(),
        original_name=(getattr(upload, "name", "") or "")[:255],
        content_type=detected.content_type,
        size=size,
        uploaded_by=by,
    )
    evidence.file.save(f"upload.{detected.extension}", upload, save=False)
    if preview is not None:
        evidence.preview.save("preview.webp", preview, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: Any) -> None:
    """Remove a document or photo from a record the operator may still edit, and its stored files."""
    evidence = Evidence.objects.select_for_update().select_related("innovation").get(pk=evidence.pk)
    ensure_can(by, "innovations.change_innovation", evidence.innovation)
    names = [name for name in (evidence.file.name, evidence.preview.name) if name]
    storage = evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
