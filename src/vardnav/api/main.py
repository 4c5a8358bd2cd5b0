"""The JSON API at /api/v1: one NinjaAPI, one router module per domain.

Why one place: errors are mapped here, once, to application/problem+json, so
every endpoint answers mistakes the same way.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from vardnav.core.errors import CoreError, DomainError, problem_body

PROBLEM = "application/problem+json"
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; `code` is stable, `title` is for people.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["type", "title", "status"],
}


class VardnavAPI(NinjaAPI):
    """Our NinjaAPI, whose OpenAPI document says what every error really is.

    Why: the handlers below answer every error as application/problem+json, for
    any operation (401 from auth, 404 from access helpers, 422 from validation,
    429 from rate limits); the document must say so, or clients and the API
    fuzzer (tests/test_api_fuzz.py) are told application/json.
    """

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, response in responses.items():
                    if code != "default" and int(code) >= 400:
                        content = response.get("content") or {}
                        response["content"] = {PROBLEM: content.get("application/json", problem[PROBLEM])}
                responses.setdefault("default", {"description": "Fel (application/problem+json)", "content": problem})
        return schema


class ObjectBodyParser(Parser):
    """Every request body of this API is a JSON object; anything else is refused.

    Why: ninja would read a bare `null` or `1171` as "no fields given" and let an
    all-optional body through, so a garbled request could still change state.
    """

    def parse_body(self, request: HttpRequest) -> dict:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data


api = VardnavAPI(
    parser=ObjectBodyParser(),
    title="Vårdnav API",
    version="1",
    urls_namespace="api-v1",
    description="Vårdnav: digitala vårdtjänster. Errors are application/problem+json.",
)


def problem_response(error: DomainError) -> HttpResponse:
    """The one mapping of a DomainError to application/problem+json."""
    response = HttpResponse(
        json.dumps(error.as_problem(), ensure_ascii=False), status=error.status, content_type=PROBLEM
    )
    for name, value in error.headers.items():
        response[name] = value
    return response


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem_response(exc)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        errors.setdefault(".".join(loc) or "request", []).append(str(err.get("msg", _("Ogiltigt värde."))))
    return problem_response(CoreError.VALIDATION.error(errors=errors))


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(CoreError.UNAUTHENTICATED.error())


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals keep their status, in the same problem shape.

    The one ninja raises for a request is "Cannot parse request body" (400); it gets our
    Swedish message. Any other status is answered with its standard phrase.
    """
    if exc.status_code == 400:
        return problem_response(CoreError.MALFORMED_BODY.error())
    problem = problem_body(
        code=f"http-{exc.status_code}", title=HTTPStatus(exc.status_code).phrase, status=exc.status_code
    )
    return HttpResponse(json.dumps(problem, ensure_ascii=False), status=exc.status_code, content_type=PROBLEM)


@api.exception_handler(Exception)
def _unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug inside an operation: logged without its message, answered as a generic 500 problem.

    Why not ninja's default: it re-raises to Django's HTML 500 page, or in DEBUG
    answers the traceback as text. Neither belongs in an API answer.
    """
    from vardnav.api.problems import internal_error, log_unhandled

    # Django's refusals of a request (raised when the body is first read) keep their 4xx meaning.
    if isinstance(exc, RequestDataTooBig):
        return problem_response(CoreError.BODY_TOO_LARGE.error())
    if isinstance(exc, SuspiciousOperation | BadRequest):
        return problem_response(CoreError.MALFORMED_BODY.error())
    if isinstance(exc, DjangoPermissionDenied):
        return problem_response(CoreError.FORBIDDEN.error())
    log_unhandled(exc)
    return problem_response(internal_error(request))


def register_routers() -> None:
    """Each domain adds its router here (imported lazily to keep domains independent of api/)."""
    from vardnav.api import health
    from vardnav.audit.api import router as audit_router
    from vardnav.billing.api import router as billing_router
    from vardnav.bookings.api import router as bookings_router
    from vardnav.bookings.settings_api import router as booking_settings_router
    from vardnav.cases.api import router as cases_router
    from vardnav.cases.attachment_api import router as case_attachments_router
    from vardnav.catalog.api import router as catalog_router
    from vardnav.certificates.api import router as certificates_router
    from vardnav.complaints.api import router as complaints_router
    from vardnav.help.api import router as help_router
    from vardnav.identity.api import router as identity_router
    from vardnav.integrations.api import router as integrations_router
    from vardnav.organizations.api import router as organizations_router
    from vardnav.people.api import router as people_router
    from vardnav.prescriptions.api import router as prescriptions_router
    from vardnav.records.api import router as records_router
    from vardnav.vaccinations.api import router as vaccinations_router
    from vardnav.visits.api import router as visits_router

    api.add_router("/", health.router)
    api.add_router("/", identity_router)
    api.add_router("/", people_router)
    api.add_router("/", organizations_router)
    api.add_router("/", audit_router)
    api.add_router("/", catalog_router)
    api.add_router("/", cases_router)
    api.add_router("/", case_attachments_router)
    api.add_router("/", prescriptions_router)
    api.add_router("/", integrations_router)
    api.add_router("/", records_router)
    api.add_router("/", bookings_router)
    api.add_router("/", booking_settings_router)
    api.add_router("/", help_router)
    api.add_router("/", billing_router)
    api.add_router("/", visits_router)
    api.add_router("/", certificates_router)
    api.add_router("/", vaccinations_router)
    api.add_router("/", complaints_router)
    from vardnav.labs.api import router as labs_router

    api.add_router("/", labs_router)
    from vardnav.quality.api import router as quality_router

    api.add_router("/", quality_router)
    from vardnav.quality.survey_api import router as survey_router  # QA-2, next to the quality router

    api.add_router("/", survey_router)

    from vardnav.quality.stats_api import router as quality_stats_router

    api.add_router("/", quality_stats_router)


register_routers()
