"""Every answer under /api/v1 is application/problem+json when it is an error.

Why a middleware: some errors never reach the API's own exception handlers. An
unknown path under /api/v1 is refused by Django's URL resolver (its HTML 404
page, in demo mode the URL map), an unknown method on a known path by ninja's
plain-text 405, and an exception raised outside an operation (in a middleware
below this one) by the HTML 500 page. A client must be able to read every
error the same way, so any such answer is rewritten here into the problem
shape, with a Swedish (or English) title and nothing from the server's inside:
no traceback, no path, no URL map.

The exception itself is logged by `log_unhandled` (type and stack only, never
its message, which may quote whatever data was being handled).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from vardnav.core.errors import CoreError, DomainError
from vardnav.core.logging import request_id_var

API_PREFIX = "/api/"
PROBLEM = "application/problem+json"

logger = logging.getLogger("vardnav.api")


def internal_error(request: HttpRequest) -> DomainError:
    """The 500 answer: a generic message and the request id support can search the logs for."""
    reference = getattr(request, "request_id", None) or request_id_var.get()
    return CoreError.INTERNAL.error(reference=reference)


def log_unhandled(exc: BaseException) -> None:
    """Log an exception by type and stack only.

    Why not logger.exception: an exception's message often quotes the values being
    handled (a form answer, a free-text message), and logs must never carry health
    data. The type and the frames are what a developer needs to find the bug.
    """
    stack = traceback.extract_tb(exc.__traceback__)
    frames = [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in stack[-8:]]
    logger.error(
        "unhandled exception in an API request",
        extra={"exception_type": f"{type(exc).__module__}.{type(exc).__qualname__}", "frames": frames},
    )


def _problem(error: DomainError) -> HttpResponse:
    # Imported here: api.main imports every router, which this module must not need at import time.
    from vardnav.api.main import problem_response

    return problem_response(error)


class ApiProblemMiddleware:
    """Rewrite a 404, 405 or 5xx under /api/ that is not yet problem+json into one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith(API_PREFIX):
            return response
        if response.get("Content-Type", "").startswith(PROBLEM):
            return response
        status = response.status_code
        if status == 404:
            return _problem(CoreError.NOT_FOUND.error())
        if status == 405:
            rewritten = _problem(CoreError.METHOD_NOT_ALLOWED.error(method=request.method or ""))
            if response.has_header("Allow"):
                rewritten["Allow"] = response["Allow"]
            return rewritten
        if status >= 500:
            return _problem(internal_error(request))
        return response
