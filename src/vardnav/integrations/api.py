"""The integration API (CASE-7, CASE-10): a provider's own systems register cases.

Authenticated by `Authorization: Bearer <token>` (integrations.models), never
by a session cookie, so no CSRF applies. Every token is scoped to one care
provider: a unit, service or staff member of another provider is the same 404
as a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Header, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from vardnav.cases.errors import CaseError
from vardnav.cases.intake import do_register_external_case
from vardnav.catalog.errors import CatalogError
from vardnav.catalog.models import Service, ServiceKind
from vardnav.core.errors import DomainError, NotFound, PermissionDenied
from vardnav.core.hsa import HSA_ID_MAX_LENGTH, normalize_hsa_id
from vardnav.core.idempotency import check_idempotency_key, run_idempotent
from vardnav.integrations.actions import authenticate_integration_token, integration_actor
from vardnav.integrations.errors import IntegrationError
from vardnav.integrations.models import IntegrationScope, IntegrationToken
from vardnav.organizations.errors import OrganizationError
from vardnav.organizations.models import Staff, Unit
from vardnav.people.actions import do_sync_person_from_register

router = Router(tags=["integrations"])


class IntegrationTokenAuth(HttpBearer):
    """`request.auth` is the IntegrationToken; unknown or revoked → 401 problem+json."""

    def authenticate(self, request: HttpRequest, token: str) -> IntegrationToken:
        found = authenticate_integration_token(token)
        if found is None:
            raise IntegrationError.INVALID_TOKEN.error()
        return found


integration_auth = IntegrationTokenAuth()


class ExternalCaseIn(Schema):
    personal_number: str = Field(max_length=13, description="Personnummer or samordningsnummer, 10 or 12 digits")
    service_id: int | None = Field(None, description="The service (e-tjänst); or give service_kind")
    service_kind: ServiceKind | None = Field(None, description="The provider's service of this kind")
    unit_hsa_id: str = Field(max_length=HSA_ID_MAX_LENGTH, description="The unit's HSA-id")
    answers: dict[str, Any] = Field(default_factory=dict, description="Answers by the questionnaire's linkId")
    channel: Literal["external", "phone"]
    registered_by_hsa_id: str | None = Field(
        None, max_length=HSA_ID_MAX_LENGTH, description="The staff member who took the call; required for phone"
    )


class ExternalCaseOut(Schema):
    id: int
    number: str
    status: str
    channel: str
    unit_hsa_id: str
    due_at: dt.datetime
    probable_duplicate_of: str | None


def _service(provider_id: int, payload: ExternalCaseIn) -> Service:
    # Exactly one of the two: a rule the JSON schema does not state, so a 400 with its own code
    # (a schema-valid body must never get 422; the API fuzzer checks that).
    if (payload.service_id is None) == (payload.service_kind is None):
        raise IntegrationError.ONE_SERVICE.error(field="service_id")
    services = Service.objects.filter(provider_id=provider_id, is_active=True)
    if payload.service_id is not None:
        service = services.filter(pk=payload.service_id).first()
    else:
        service = services.filter(kind=payload.service_kind).first()
    if service is None:
        raise NotFound(CatalogError.SERVICE_NOT_OFFERED)
    return service


def _person(personal_number: str):
    """The resident from folkbokföringen, refreshed; 422 for a number it does not know."""
    try:
        return do_sync_person_from_register(personal_number)
    except DomainError as error:
        if error.code in ("invalid-personal-number", "not-in-population-register"):
            raise DomainError(error.code, field="personal_number") from None
        raise


def _staff(provider_id: int, hsa_id: str | None) -> Staff | None:
    if not hsa_id:
        return None
    staff = Staff.objects.filter(hsa_id=normalize_hsa_id(hsa_id), provider_id=provider_id, is_active=True).first()
    if staff is None:
        raise CaseError.UNKNOWN_STAFF.error(field="registered_by_hsa_id")
    return staff


class TokenRequest(HttpRequest):
    """A request authenticated by integration_auth: `auth` is the provider's token, not an Actor."""

    auth: IntegrationToken


@router.post(
    "/integrations/cases",
    response={201: ExternalCaseOut},
    auth=integration_auth,
    summary="Register a case from another channel or a phone contact (CASE-7)",
    description="The resident then finds the case in Mina ärenden and continues the dialogue there. "
    "Supports Idempotency-Key: the same key and body return the first response and create nothing new.",
)
def register_external_case(
    request: TokenRequest,
    payload: ExternalCaseIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    token = request.auth
    if IntegrationScope.CASES_REGISTER not in token.scopes:
        raise PermissionDenied(IntegrationError.SCOPE_MISSING)
    actor = integration_actor(token)
    provider_id = token.provider_id
    unit = Unit.objects.select_related("provider").filter(hsa_id=normalize_hsa_id(payload.unit_hsa_id)).first()
    if unit is None or unit.provider_id != provider_id:
        raise NotFound(OrganizationError.UNIT_NOT_FOUND)
    service = _service(provider_id, payload)
    registered_by = _staff(provider_id, payload.registered_by_hsa_id)

    def perform() -> tuple[int, dict[str, Any]]:
        person = _person(payload.personal_number)
        case = do_register_external_case(
            actor,
            person=person,
            service=service,
            unit=unit,
            answers=payload.answers,
            channel=payload.channel,
            registered_by=registered_by,
            via=f"integration {token.pk}",
        )
        return 201, {
            "id": case.pk,
            "number": case.number,
            "status": case.status,
            "channel": case.channel,
            "unit_hsa_id": case.unit.hsa_id,
            "due_at": case.due_at.isoformat(),
            "probable_duplicate_of": case.duplicate_of.number if case.duplicate_of is not None else None,
        }

    key = check_idempotency_key(idempotency_key)
    status, body, _ = run_idempotent(scope=f"integration:{token.pk}", key=key, payload=payload.dict(), perform=perform)
    return Status(status, body)
