"""Uploaded files, for every app: their type read from the content (never the name or the browser's
declared type), their size limited, and the limit enforced while the request body is read.

`detect_type` says what a file really is; each app decides which of those types it keeps. The hub's
own files (activity attachments, maturity evidence, notice attachments) are only stored and offered
for download, never decoded, so `checked_upload` (size and type) suffices for them; the innovations
app adds its own checks of photos. Limit of the hub's files: EVIDENCE_MAX_BYTES, as for evidence.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class StoredType:
    content_type: str
    extension: str


PDF = StoredType("application/pdf", "pdf")
DOCX = StoredType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = StoredType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
PPTX = StoredType("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx")
# The part only a document of that kind has: Office documents are zip containers like any other zip.
OFFICE = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
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


def size_text(size: int) -> str:
    """A size limit as people say it: "10 MB" rather than "10.0 MB"."""
    megabyte = 1024 * 1024
    if size >= megabyte and size % megabyte == 0:
        return gettext("%s MB") % number_format(size // megabyte)
    return filesizeformat(size)


def file_too_large(*, limit: int) -> ValidationError:
    # Never the file's size: reading an oversized upload stops at the limit (UploadSizeLimitHandler),
    # so it is not known.
    return ValidationError(
        _("The file is larger than %(limit)s, the largest allowed.") % {"limit": size_text(limit)},
        code="too_large",
    )


def office_type(handle: IO[bytes]) -> StoredType | None:
    """DOCX, XLSX or PPTX, told apart from any other zip by what is inside; None for anything else."""
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((stored for marker, stored in OFFICE.items() if marker in names), None)


def detect_type(upload: IO[bytes]) -> StoredType | None:
    """What the content of `upload` is among the known types (PDF, Office documents, JPEG, PNG, WebP),
    or None. The file is read from its start and left there."""
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
            return office_type(upload)
    finally:
        upload.seek(0)
    return None


# Marks that change the direction text is shown in: "denah\u202egnp.exe" shows as "denahexe.png".
_BIDI_MARKS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def download_name(original: str, extension: str, *, fallback: str) -> str:
    """The uploader's file name to download a stored file under: without folders, control characters or
    direction marks, and with the extension of the type its content was detected as (a PDF named
    undangan.html is undangan.pdf: saved as .html, a PDF/HTML polyglot would open as a web page)."""
    from .text import clean_text

    name = clean_text(_BIDI_MARKS.sub("", original)).replace("\\", "/").rsplit("/", 1)[-1]
    stem = PurePosixPath(name).stem.strip() or fallback
    return f"{stem}.{extension.lstrip('.')}"


def checked_upload(upload: File) -> StoredType:
    """The type `upload` really is, or ValidationError (too large, or not an allowed type)."""
    if (upload.size or 0) > max_bytes():
        raise file_too_large(limit=max_bytes())
    detected = detect_type(upload)
    if detected is None:
        raise ValidationError(REFUSED_TYPE_MESSAGE, code="type")
    return detected


# --- The size limit while the request is read -----------------------------------------------------


class OversizedUpload(UploadedFile):
    """Stands in for a file that passed the size limit while it was read: nothing of it is kept.

    Forms and services see its name and a size over the limit and refuse it with their usual message.
    """

    def __init__(self, name: str, size: int, content_type: str | None) -> None:
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=size)


class UploadSizeLimitHandler(FileUploadHandler):
    """Stops keeping an uploaded file as soon as it passes `limit` bytes; the rest is only counted.

    Without it an oversized upload would first be written whole to a temporary file. It must come
    first among the request's handlers, before the body is read (so before the CSRF check): see
    `limit_upload_size`.
    """

    def __init__(self, request: HttpRequest, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            self.exceeded = True
        # None: the handlers after this one (memory, temporary file) receive nothing more of it.
        return None if self.exceeded else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.exceeded:
            return None
        return OversizedUpload(self.file_name or "", file_size, self.content_type)


def limit_upload_size(request: HttpRequest, *, limit: int) -> None:
    """Files of this request beyond `limit` bytes are counted, not kept. Call it before the body is read:
    in a view exempt from the CSRF middleware, which then checks the token itself (csrf_protect)."""
    request.upload_handlers = [UploadSizeLimitHandler(request, limit=limit), *request.upload_handlers]
