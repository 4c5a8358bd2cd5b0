"""The public catalogue: which e-services a unit offers and their current questionnaires."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from vardnav.catalog.access import (
    access_offered_service,
    attachments_allowed,
    current_questionnaire,
    services_offered_at,
)
from vardnav.catalog.errors import CatalogError
from vardnav.core.errors import NotFound
from vardnav.organizations.access import access_unit

router = Router(tags=["catalog"])


class ServiceOut(Schema):
    id: int
    kind: str
    name: str
    description: str
    listing_bound: bool
    handling_time_value: int
    handling_time_unit: str
    # Who may use the service (ages in whole years, both included; sex "", "female" or "male"): a client
    # tells the resident before anything is typed; a submission outside them is refused (409).
    min_age: int | None
    max_age: int | None
    sex: str


class QuestionnaireOut(Schema):
    service_id: int
    version: int
    title: str
    attachments_allowed: bool
    items: list[dict[str, Any]]


@router.get("/units/{unit_id}/services", response=list[ServiceOut], auth=None, summary="E-services a unit offers")
def unit_services(request: HttpRequest, unit_id: int) -> list:
    return list(services_offered_at(access_unit(unit_id)))


@router.get(
    "/units/{unit_id}/services/{service_id}/questionnaire",
    response=QuestionnaireOut,
    auth=None,
    summary="The current questionnaire of a service at a unit",
)
def service_questionnaire(request: HttpRequest, unit_id: int, service_id: int) -> dict:
    unit = access_unit(unit_id)
    service = access_offered_service(unit, service_id)
    questionnaire = current_questionnaire(service)
    if questionnaire is None:
        raise NotFound(CatalogError.SERVICE_NOT_OFFERED)
    return {
        "service_id": service.pk,
        "version": questionnaire.version,
        "title": questionnaire.title,
        "attachments_allowed": attachments_allowed(unit, service),
        "items": questionnaire.items,
    }
