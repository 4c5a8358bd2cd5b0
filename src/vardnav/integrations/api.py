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
from ninja.params.functions import Path
from ninja.responses import Status
from ninja.security import HttpBearer

from vardnav.cases.errors import CaseError
from vardnav.cases.intake import do_register_external_case
from vardnav.catalog.access import access_provider_service
from vardnav.catalog.models import ServiceKind
from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError, PermissionDenied
from vardnav.core.hsa import HSA_ID_MAX_LENGTH
from vardnav.core.http import ApiRequest
from vardnav.core.idempotency import Outcome, run_idempotent
from vardnav.core.ids import MAX_ID
from vardnav.identity.api_auth import staff_auth
from vardnav.integrations import access as token_access
from vardnav.integrations.actions import (
    authenticate_integration_token,
    do_create_integration_token,
    do_revoke_integration_token,
    integration_actor,
)
from vardnav.integrations.errors import IntegrationError
from vardnav.integrations.models import IntegrationScope
from vardnav.organizations import access
from vardnav.organizations.access import access_provider_unit_by_hsa, active_staff_by_hsa
from vardnav.organizations.models import Staff
from vardnav.people.actions import do_sync_person_from_register

router = Router(tags=["integrations"])


class IntegrationTokenAuth(HttpBearer):
    """Bearer-token authentication for one scope: `request.auth` is the integration's Actor.

    An unknown or revoked token is a 401, a token without the scope a 403, both
    problem+json. Routes receive the same ApiRequest as session-authenticated
    ones; the Actor names the provider and the token (`token_id`).
    """

    def __init__(self, scope: IntegrationScope) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> Actor:
        found = authenticate_integration_token(token)
        if found is None:
            raise IntegrationError.INVALID_TOKEN.error()
        if self.scope not in found.scopes:
            raise PermissionDenied(IntegrationError.SCOPE_MISSING)
        return integration_actor(found)


cases_register_auth = IntegrationTokenAuth(IntegrationScope.CASES_REGISTER)


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


def _person(personal_number: str):
    """The resident from folkbokföringen, refreshed; 422 for a number it does not know."""
    try:
        return do_sync_person_from_register(personal_number)
    except DomainError as error:
        if error.code in ("invalid-personal-number", "not-in-population-register"):
            raise DomainError(error.code, field="personal_number") from None
        raise


def _registered_by(provider_id: int, hsa_id: str | None) -> Staff | None:
    """The staff member who took a phone call, by HSA-id; an unknown one is a mistake in the body (422)."""
    if not hsa_id:
        return None
    staff = active_staff_by_hsa(provider_id, hsa_id)
    if staff is None:
        raise CaseError.UNKNOWN_STAFF.error(field="registered_by_hsa_id")
    return staff


@router.post(
    "/integrations/cases",
    response={201: ExternalCaseOut},
    auth=cases_register_auth,
    summary="Register a case from another channel or a phone contact (CASE-7)",
    description="The resident then finds the case in Mina ärenden and continues the dialogue there. "
    "Supports Idempotency-Key: the same key and body return the first response and create nothing new.",
)
def register_external_case(
    request: ApiRequest,
    payload: ExternalCaseIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    actor = request.auth
    assert actor.provider_id is not None  # integration_actor always names the token's provider
    provider_id = actor.provider_id
    unit = access_provider_unit_by_hsa(provider_id, payload.unit_hsa_id)
    # Exactly one of the two: a rule the JSON schema does not state, so a 400 with its own code
    # (a schema-valid body must never get 422; the API fuzzer checks that).
    if (payload.service_id is None) == (payload.service_kind is None):
        raise IntegrationError.ONE_SERVICE.error(field="service_id")
    service = access_provider_service(provider_id, service_id=payload.service_id, kind=payload.service_kind)
    registered_by = _registered_by(provider_id, payload.registered_by_hsa_id)

    def register() -> Outcome:
        case = do_register_external_case(
            actor,
            person=_person(payload.personal_number),
            service=service,
            unit=unit,
            answers=payload.answers,
            channel=payload.channel,
            registered_by=registered_by,
            via=f"integration {actor.token_id}",
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

    result = run_idempotent(actor, idempotency_key, "integrations.register_case", payload.dict(), register)
    return Status(result.status, result.body)


# --- the staff settings area's tokens (issue 11, item 13): the same actions as its page --------------


class SettingsTokenOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class SettingsTokenCreatedOut(SettingsTokenOut):
    secret: str = Field(description="Shown this once; only a hash is stored")


class SettingsTokenIn(Schema):
    name: str = Field(..., max_length=200)
    scopes: list[str] = Field(..., max_length=10)


def _settings_provider(request: ApiRequest) -> Any:
    if not access.may_keep_settings(request.auth):
        raise PermissionDenied()
    return access.access_administered_provider(request.auth)


def _token(token: Any, secret: str | None = None) -> dict[str, Any]:
    out = {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "scopes": list(token.scopes),
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }
    return out if secret is None else {**out, "secret": secret}


@router.get(
    "/staff/settings/integration-tokens",
    response=list[SettingsTokenOut],
    auth=staff_auth,
    summary="The provider's integration tokens, without secrets (CASE-7)",
)
def settings_tokens(request: ApiRequest) -> list[dict[str, Any]]:
    return [_token(token) for token in token_access.provider_tokens(_settings_provider(request).pk)]


@router.post(
    "/staff/settings/integration-tokens",
    response={201: SettingsTokenCreatedOut},
    auth=staff_auth,
    summary="Make an integration token; the secret is in this answer only (CASE-7)",
)
def settings_create_token(request: ApiRequest, payload: SettingsTokenIn) -> Status[dict[str, Any]]:
    provider = _settings_provider(request)
    token, secret = do_create_integration_token(request.auth, provider, name=payload.name, scopes=payload.scopes)
    return Status(201, _token(token, secret))


@router.delete(
    "/staff/settings/integration-tokens/{token_id}",
    response={204: None},
    auth=staff_auth,
    summary="Revoke an integration token at once (CASE-7)",
)
def settings_revoke_token(request: ApiRequest, token_id: int = Path(..., ge=1, le=MAX_ID)) -> Status[None]:
    provider = _settings_provider(request)
    do_revoke_integration_token(request.auth, token_access.access_provider_token(provider.pk, token_id))
    return Status(204, None)
