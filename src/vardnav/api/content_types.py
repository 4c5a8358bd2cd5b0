"""Request bodies of the JSON API: only the content types an operation declares.

Why a middleware: the first code to read a body is not ours. The CSRF check in
the session authentication reads request.POST, which makes Django parse any
multipart body; a multipart request without a boundary then raised
MultiPartParserError, and one with a boundary but a JSON body raised
RawPostDataException later, both as 500s. Checked here, before any of that
runs, a form body (multipart or urlencoded) sent to an operation that takes
JSON is a 415 and a multipart body that cannot be parsed is a 400, both as
application/problem+json with a Swedish message. Other bodies reach the
operation's own JSON parser, which answers 400 after authentication.

What each operation declares comes from the API's own OpenAPI document (the
requestBody content types), so a new endpoint is covered without a list to keep.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError

from vardnav.api.main import api
from vardnav.core.errors import CoreError, DomainError

API_PREFIX = "/api/v1"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON = "application/json"
MULTIPART = "multipart/form-data"
FORM_TYPES = frozenset({MULTIPART, "application/x-www-form-urlencoded"})


def _template_to_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$")


@cache
def declared_content_types() -> tuple[tuple[re.Pattern[str], str, frozenset[str]], ...]:
    """(path pattern, method, declared request content types) for every operation, from the OpenAPI document."""
    table = []
    for template, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            declared = frozenset((operation.get("requestBody") or {}).get("content", {}))
            table.append((_template_to_regex(template), method.upper(), declared))
    return tuple(table)


def _declared_for(path: str, method: str) -> frozenset[str] | None:
    for pattern, operation_method, declared in declared_content_types():
        if operation_method == method and pattern.match(path):
            return declared
    return None  # no such operation: ninja answers 404/405 itself


def _has_body(request: HttpRequest) -> bool:
    length = request.META.get("CONTENT_LENGTH") or "0"
    return (length.isdigit() and int(length) > 0) or "HTTP_TRANSFER_ENCODING" in request.META


def _problem(error: DomainError) -> HttpResponse:
    return JsonResponse(error.as_problem(), status=error.status, content_type="application/problem+json")


class ApiContentTypeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in BODY_METHODS and request.path_info.startswith(API_PREFIX + "/"):
            refusal = check_request_body(request)
            if refusal is not None:
                return _problem(refusal)
        return self.get_response(request)


def check_request_body(request: HttpRequest) -> DomainError | None:
    """None when the body is acceptable for the operation; otherwise the refusal."""
    declared = _declared_for(request.path_info, request.method or "")
    if declared is None or not _has_body(request):
        return None
    content_type = (request.content_type or "").lower()
    if content_type not in FORM_TYPES:
        # Any other body reaches the operation, whose JSON parser answers 400 itself, so
        # authentication still answers first (401 before anything about the body).
        return None
    # Form bodies are the ones Django parses on its own (the CSRF check reads request.POST),
    # before authentication and before the operation: parse now, while a failure can still
    # be answered properly, and refuse a form with content unless the operation takes forms.
    try:
        has_content = bool(request.POST) or bool(request.FILES)
    except MultiPartParserError:
        return CoreError.MALFORMED_MULTIPART.error()
    # An operation that takes a JSON body would read the raw body after this parse (an
    # error); one that takes no body ignores an empty form, as clients often send one.
    if content_type not in declared and (declared or has_content):
        accepted = ", ".join(sorted(declared or {JSON}))
        return CoreError.UNSUPPORTED_MEDIA_TYPE.error(content_type=content_type, accepted=accepted)
    return None
