"""Refuse an over-long request body before anything reads it (ATT-2, ASVS 5.2.1).

The limit matches the largest message: ATTACHMENT_MAX_FILES_STAFF files of
ATTACHMENT_MAX_BYTES each plus the form. The reverse proxy should say the same
(nginx `client_max_body_size 202m`; README). Bodies without a Content-Length
are counted by the upload handler instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape

TOO_LARGE = "Förfrågan är för stor. Varje fil får vara högst 20 MB och ett meddelande får ha högst 10 filer."


def too_large_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        problem = {
            "type": "https://vardnav.se/problems/request-too-large",
            "title": TOO_LARGE,
            "status": 413,
            "code": "request-too-large",
        }
        return HttpResponse(
            json.dumps(problem, ensure_ascii=False), status=413, content_type="application/problem+json"
        )
    # A plain page: this answer comes before sessions and login, so no layout can be rendered.
    page = (
        '<!doctype html><html lang="sv"><meta charset="utf-8"><title>För stor förfrågan – Vårdnav</title>'
        f'<h1>För stor förfrågan</h1><p>{escape(TOO_LARGE)}</p><p><a href="/">Till startsidan</a></p></html>'
    )
    return HttpResponse(page, status=413)


class UploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.ATTACHMENT_MAX_REQUEST_BYTES:
            return too_large_response(request)
        return self.get_response(request)
