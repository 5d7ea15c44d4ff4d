"""Upload handling shared by the views that take files (evidence, replication agreements)."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest


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
    request.upload_handlers = [UploadSizeLimitHandler(request, limit=limit), *request.upload_handlers]
