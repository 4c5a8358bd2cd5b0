"""Cross-cutting HTTP middleware: request ids and security headers."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from vardnav.core.logging import mask_personal_data, request_id_var

_VALID_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")

# Our pages load nothing from elsewhere; inline scripts and styles are not used.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class RequestIdMiddleware:
    """Tag every log line of a request with one id, echoed as X-Request-ID.

    Why: lets support find one request's log lines without logging who it was.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        # A caller-chosen id is kept only if it cannot smuggle personal data into the logs.
        acceptable = _VALID_ID.match(incoming) and mask_personal_data(incoming) == incoming
        request_id = incoming if acceptable else secrets.token_hex(8)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy and related headers on every response that sets none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.path.startswith(("/api/", "/konto/", "/personal/", "/admin/")):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class DomainErrorMiddleware:
    """A DomainError that escapes a page view becomes the matching error page, never a 500.

    Why: access_* helpers raise NotFound and actions raise PermissionDenied deep
    below the view; the UI answers them like Django's own 404/403, with the
    Swedish message. The API maps the same errors to problem+json itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
        from django.http import Http404
        from django.shortcuts import render

        from vardnav.core.errors import DomainError

        if not isinstance(exception, DomainError):
            return None
        if exception.status == 404:
            raise Http404(str(exception.message))
        if exception.status == 403:
            raise DjangoPermissionDenied(str(exception.message))
        response = render(request, "400.html", {"message": exception.message}, status=exception.status)
        for name, value in exception.headers.items():
            response[name] = value
        return response
