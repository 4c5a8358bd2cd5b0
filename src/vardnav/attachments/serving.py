"""HTTP responses that carry a stored file: downloads and previews, never active content.

Every response says `X-Content-Type-Options: nosniff` and
`Content-Security-Policy: default-src 'none'; sandbox`, so even a file a
browser opens as a document can run nothing and reach nothing from our origin
(ASVS 5.0 5.4.1, 5.4.2; 4.0.3 12.3.4, 12.5.2). Downloads are
`Content-Disposition: attachment` with the cleaned name encoded per RFC 6266 /
RFC 5987. Previews are images only: stored images (already re-encoded) inline,
and each PDF page rendered to a PNG by PDFium on the server, so no PDF viewer
and no script from the PDF ever runs in the browser.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from vardnav.attachments.actions import open_plaintext
from vardnav.attachments.errors import AttachmentError
from vardnav.attachments.models import Attachment
from vardnav.core.errors import NotFound

FILE_CSP = "default-src 'none'; sandbox"
PREVIEW_WIDTH = 1240  # pixels: readable A4 text on a laptop screen

_Response = TypeVar("_Response", bound=HttpResponseBase)


def _disposition(as_attachment: bool, file_name: str) -> str:
    """The Content-Disposition header for a file; stored files always have a name, so Django always gives one."""
    return content_disposition_header(as_attachment, file_name) or ""


def _harden(response: _Response, disposition: str) -> _Response:
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def download_response(attachment: Attachment) -> StreamingHttpResponse:
    response = StreamingHttpResponse(open_plaintext(attachment), content_type=attachment.content_type)
    response["Content-Length"] = str(attachment.size)
    return _harden(response, _disposition(True, attachment.file_name))


def _page_number(raw: str | int | None, attachment: Attachment) -> int:
    try:
        page = int(raw or 1)
    except (TypeError, ValueError):
        raise NotFound(AttachmentError.PAGE_NOT_FOUND) from None
    if not 1 <= page <= attachment.pages:
        raise NotFound(AttachmentError.PAGE_NOT_FOUND)
    return page


def render_pdf_page(attachment: Attachment, page: int) -> bytes:
    """One page as PNG, rendered by PDFium from a decrypted temp copy that is removed at once."""
    import pypdfium2

    with tempfile.NamedTemporaryFile(suffix=".pdf", dir=settings.FILE_UPLOAD_TEMP_DIR) as plain:
        for chunk in open_plaintext(attachment):
            plain.write(chunk)
        plain.flush()
        document = pypdfium2.PdfDocument(Path(plain.name))
        try:
            pdf_page = document[page - 1]
            width = pdf_page.get_width() or 1
            bitmap = pdf_page.render(scale=min(4.0, PREVIEW_WIDTH / width))
            image = bitmap.to_pil()
            output = io.BytesIO()
            image.save(output, "PNG")
            pdf_page.close()
        finally:
            document.close()
    return output.getvalue()


def preview_response(attachment: Attachment, page: str | int | None = None) -> HttpResponseBase:
    """An image the browser shows inline: the stored image, or a PDF page rendered to PNG."""
    number = _page_number(page, attachment)
    inline = _disposition(False, attachment.file_name)
    if attachment.is_pdf:
        page_image = HttpResponse(render_pdf_page(attachment, number), content_type="image/png")
        name = attachment.file_name.rsplit(".", 1)[0] + f"-sida-{number}.png"
        return _harden(page_image, _disposition(False, name))
    if number != 1:
        raise NotFound(AttachmentError.PAGE_NOT_FOUND)
    response = StreamingHttpResponse(open_plaintext(attachment), content_type=attachment.content_type)
    response["Content-Length"] = str(attachment.size)
    return _harden(response, inline)
