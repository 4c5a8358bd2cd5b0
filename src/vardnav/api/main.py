"""The JSON API at /api/v1: one NinjaAPI, one router module per domain.

Why one place: errors are mapped here, once, to application/problem+json, so
every endpoint answers mistakes the same way.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from vardnav.core.errors import DomainError

api = NinjaAPI(
    title="Vårdnav API",
    version="1",
    urls_namespace="api-v1",
    description="Vårdnav: digitala vårdtjänster. Errors are application/problem+json.",
)

PROBLEM = "application/problem+json"


def problem_response(problem: dict, status: int) -> HttpResponse:
    return HttpResponse(json.dumps(problem, ensure_ascii=False), status=status, content_type=PROBLEM)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem_response(exc.as_problem(), exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        errors.setdefault(".".join(loc) or "request", []).append(str(err.get("msg", "Ogiltigt värde.")))
    return problem_response(
        {
            "type": "https://vardnav.se/problems/validation",
            "title": "Uppgifterna är ogiltiga.",
            "status": 422,
            "code": "validation",
            "errors": errors,
        },
        422,
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        {
            "type": "https://vardnav.se/problems/unauthenticated",
            "title": "Du måste logga in.",
            "status": 401,
            "code": "unauthenticated",
        },
        401,
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(
        {
            "type": f"https://vardnav.se/problems/http-{exc.status_code}",
            "title": str(exc),
            "status": exc.status_code,
            "code": f"http-{exc.status_code}",
        },
        exc.status_code,
    )


def register_routers() -> None:
    """Each domain adds its router here (imported lazily to keep domains independent of api/)."""
    from vardnav.api import health
    from vardnav.audit.api import router as audit_router
    from vardnav.cases.api import router as cases_router
    from vardnav.catalog.api import router as catalog_router
    from vardnav.identity.api import router as identity_router
    from vardnav.organizations.api import router as organizations_router
    from vardnav.people.api import router as people_router
    from vardnav.prescriptions.api import router as prescriptions_router

    api.add_router("/", health.router)
    api.add_router("/", identity_router)
    api.add_router("/", people_router)
    api.add_router("/", organizations_router)
    api.add_router("/", audit_router)
    api.add_router("/", catalog_router)
    api.add_router("/", cases_router)
    api.add_router("/", prescriptions_router)


register_routers()
