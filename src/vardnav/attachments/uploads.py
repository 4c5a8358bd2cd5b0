"""Streaming uploads with the 20 MB limit enforced while the bytes arrive (ATT-2, ASVS 5.2.1).

Every file goes to a temporary file on disk in 64 KiB chunks, never whole into
memory. Once a file passes ATTACHMENT_MAX_BYTES, the handler stops keeping it
(the temp file is truncated and the rest of its bytes are read and dropped) and
hands the view an OversizedUpload, so the refusal can still name the file. The
whole body is capped too (a chunked request has no Content-Length for the
middleware to check): past ATTACHMENT_MAX_REQUEST_BYTES parsing stops and the
request is marked, and the view refuses it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import HttpRequest

from vardnav.attachments.errors import AttachmentError
from vardnav.attachments.validation import CheckedFile, check_uploads


class OversizedUpload(UploadedFile):
    """Stands in for a file that went past the limit: its name and how far it got, no content."""

    exceeded_limit = True

    def __init__(self, name: str, content_type: str, received: int) -> None:
        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=received)


class AttachmentUploadHandler(TemporaryFileUploadHandler):
    chunk_size = 64 * 1024

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = settings.ATTACHMENT_MAX_BYTES
        self.request_limit = settings.ATTACHMENT_MAX_REQUEST_BYTES
        self.total = 0
        self.received = 0
        self.oversized = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        self.total += len(raw_data)
        if self.total > self.request_limit:
            if self.request is not None:
                self.request.upload_too_large = True  # type: ignore[attr-defined]  # a flag on this request, read back by uploaded_files()
            raise StopUpload(connection_reset=True)
        if self.oversized:
            return None
        if self.received > self.limit:
            # Stop keeping this file; the first limit + 1 bytes are enough to know it is too big.
            self.oversized = True
            self.file.truncate(0)
            return None
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.oversized:
            self.file.close()
            return OversizedUpload(self.file_name or "", self.content_type or "", self.received)
        return super().file_complete(file_size)


def uploaded_files(request: HttpRequest, field_name: str = "files") -> list[UploadedFile]:
    """The files of a multipart request, or a refusal when the body went past the request limit."""
    files = request.FILES.getlist(field_name)
    if getattr(request, "upload_too_large", False):
        raise AttachmentError.REQUEST_TOO_LARGE.error(field=field_name)
    return files


@contextmanager
def checked_uploads(request: HttpRequest, *, max_files: int, field_name: str = "files") -> Iterator[list[CheckedFile]]:
    """The request's files, every one checked before anything is stored (ATT-1..3), gone from disk afterwards.

    One bad file refuses them all. The temporary copies are removed when the
    block ends, whether the write inside it succeeded or not.
    """
    files = uploaded_files(request, field_name)
    checked = check_uploads(files, max_files=max_files, field_name=field_name) if files else []
    try:
        yield checked
    finally:
        for each in checked:
            each.cleanup()
