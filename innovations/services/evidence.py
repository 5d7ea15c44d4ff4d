"""Writes: evidence documents and photos of a record.

The type of a file is read from its content (jipp.uploads.detect_type), never from its name or the
browser's declared type.
A photo is only measured while the upload is handled (its header gives width and height); its
preview is drawn afterwards by the worker (task innovations.make_evidence_preview), because decoding
is what costs memory.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image

from jipp.broker import enqueue_on_commit
from jipp.models import User
from jipp.permissions import ensure_can
from jipp.services.audit import Action, audit_record
from jipp.uploads import DOCX, IMAGES, PDF, XLSX, StoredType, detect_type, file_too_large

from ..models import Evidence, Innovation

logger = logging.getLogger(__name__)

# Pillow's own guard for any image opened in this process, the web's and the worker's: above the
# limit Image.open warns (which _pixel_guard turns into a refusal), above twice the limit it refuses.
Image.MAX_IMAGE_PIXELS = settings.EVIDENCE_MAX_PIXELS

PREVIEW_MAX_PIXELS = 800


@dataclass(frozen=True)
class RefusedFile:
    """A file of an upload that was not added, and why."""

    name: str
    reason: str
    code: str | None = None

    @classmethod
    def of(cls, upload: File, error: ValidationError) -> RefusedFile:
        return cls(name=upload.name or "", reason=" ".join(error.messages), code=error.code)

    def as_error(self) -> ValidationError:
        return ValidationError(
            _("“%(name)s” was not added: %(reason)s") % {"name": self.name, "reason": self.reason}, code=self.code
        )


# What a record's evidence may be (a PowerPoint file, which the hub's own files accept, is not), by
# content type as detected and stored: what a stored file is named and served as.
FILE_TYPES = {stored.content_type: stored for stored in (PDF, DOCX, XLSX, *IMAGES.values())}
REFUSED_TYPE_MESSAGE = _(
    "This file is not a PDF, Word (DOCX) or Excel (XLSX) document, nor a JPEG, PNG or WebP photo. "
    "Its content was checked, not its name: save it in one of these formats and try again."
)


def evidence_max_bytes() -> int:
    return int(settings.EVIDENCE_MAX_BYTES)


def evidence_check_size(*, size: int) -> None:
    if size > evidence_max_bytes():
        raise file_too_large(limit=evidence_max_bytes())


def evidence_detect_type(*, upload: File) -> StoredType:
    """The allowed type the content of `upload` really is; ValidationError for anything else."""
    detected = detect_type(upload)
    if detected is None or detected.content_type not in FILE_TYPES:
        raise ValidationError(REFUSED_TYPE_MESSAGE, code="type")
    if detected.content_type in IMAGES:
        _check_image(upload)
    return detected


def evidence_max_pixels() -> int:
    return int(settings.EVIDENCE_MAX_PIXELS)


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _(
            "This photo has more than %(limit)s megapixels. Save it at a smaller size "
            "(for example 4000 × 3000 pixels) and try again."
        )
        % {"limit": f"{evidence_max_pixels() / 1_000_000:g}"},
        code="pixels",
    )


# What Pillow raises on a malformed or truncated image varies with the format.
_UNREADABLE = (OSError, SyntaxError, ValueError, EOFError)


@contextmanager
def _pixel_guard() -> Iterator[None]:
    """Pillow's decompression-bomb warning becomes a refusal, and an image that is only opened (not
    yet decoded) is checked against the configured limit."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise _too_many_pixels() from error


def _ensure_pixels_allowed(image: Image.Image) -> None:
    width, height = image.size
    if width * height > evidence_max_pixels():
        raise _too_many_pixels()


def _check_image(upload: File) -> None:
    """Refuses a photo whose header declares too many pixels, or whose structure Pillow cannot read.

    Only the header is parsed and the chunks checked (verify); no pixel is decoded here.
    """
    try:
        with _pixel_guard(), Image.open(upload) as image:
            _ensure_pixels_allowed(image)
            image.verify()
    except _UNREADABLE as error:
        raise ValidationError(_("This photo could not be read; it may be damaged."), code="image") from error
    finally:
        upload.seek(0)


def _draw_preview(evidence: Evidence) -> ContentFile:
    with evidence.file.open("rb") as handle, _pixel_guard(), Image.open(handle) as image:
        _ensure_pixels_allowed(image)
        image.thumbnail((PREVIEW_MAX_PIXELS, PREVIEW_MAX_PIXELS))
        output = io.BytesIO()
        image.convert("RGB").save(output, format="WEBP", quality=80)
    return ContentFile(output.getvalue())


def evidence_make_preview(*, evidence_id: int) -> None:
    """Draw the WebP preview of a photo, at most PREVIEW_MAX_PIXELS on its longer side.

    Idempotent: a removed file, a document or a photo that already has its preview is left as it is.
    A photo that cannot be decoded keeps no preview; the pages show a placeholder instead.
    """
    with transaction.atomic():
        evidence = Evidence.objects.select_for_update().filter(pk=evidence_id, kind=Evidence.Kind.PHOTO).first()
        if evidence is None or evidence.preview:
            return
        try:
            preview = _draw_preview(evidence)
        except (ValidationError, *_UNREADABLE):
            logger.warning("No preview for evidence %s: the photo could not be decoded", evidence_id, exc_info=True)
            return
        evidence.preview.save("preview.webp", preview, save=False)
        evidence.save(update_fields=["preview", "updated_at"])


@transaction.atomic
def evidence_add(*, innovation: Innovation, by: User, upload: File, caption: str) -> Evidence:
    """Attach a document or photo to a record the operator may still edit."""
    innovation = Innovation.objects.select_for_update().get(pk=innovation.pk)
    ensure_can(by, "innovations.change_innovation", innovation)
    size = int(upload.size or 0)
    evidence_check_size(size=size)
    detected = evidence_detect_type(upload=upload)
    evidence = Evidence(
        innovation=innovation,
        kind=Evidence.Kind.PHOTO if detected.content_type in IMAGES else Evidence.Kind.DOCUMENT,
        caption=caption.strip(),
        original_name=(getattr(upload, "name", "") or "")[:255],
        content_type=detected.content_type,
        size=size,
        uploaded_by=by,
    )
    evidence.file.save(f"upload.{detected.extension}", upload, save=False)
    evidence.save()
    audit_record(
        action=Action.EVIDENCE_ADDED,
        by=by,
        target=innovation,
        data={"evidence": evidence.pk, "name": evidence.original_name, "size": size},
    )
    if evidence.kind == Evidence.Kind.PHOTO:
        from ..tasks import make_evidence_preview  # the tasks module imports this one

        # The file is stored whatever happens to the broker (enqueue gives up within a second or two);
        # the page shows a placeholder and the beat sweeper asks for a lost preview again.
        enqueue_on_commit(make_evidence_preview, evidence_id=evidence.pk)
    return evidence


def evidence_add_files(
    *, innovation: Innovation, by: User, uploads: Sequence[File], caption: str
) -> tuple[list[Evidence], list[RefusedFile]]:
    """Attach several files with one caption, each in its own transaction: a refused file is returned
    with its reason and does not refuse the others."""
    added: list[Evidence] = []
    refused: list[RefusedFile] = []
    for upload in uploads:
        try:
            added.append(evidence_add(innovation=innovation, by=by, upload=upload, caption=caption))
        except ValidationError as error:
            refused.append(RefusedFile.of(upload, error))
    return added, refused


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: User) -> None:
    """Remove a document or photo from a record the operator may still edit, and its stored files."""
    evidence = Evidence.objects.select_for_update().select_related("innovation").get(pk=evidence.pk)
    ensure_can(by, "innovations.change_innovation", evidence.innovation)
    names = [name for name in (evidence.file.name, evidence.preview.name) if name]
    storage = evidence.file.storage
    audit_record(
        action=Action.EVIDENCE_REMOVED,
        by=by,
        target=evidence.innovation,
        data={"evidence": evidence.pk, "name": evidence.original_name, "size": evidence.size},
    )
    evidence.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
