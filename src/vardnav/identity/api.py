"""The identity app's part of /api/v1 (registered in vardnav/api/main.py).

Same flow and same actions as the pages: BankID login into a cookie session
(ID-1, ID-2), acting for a child (ID-3, ID-4), the profile (ID-6, PRIV-1) and
consent to share contact details (PRIV-6). Every unsafe request carries the
CSRF token in X-CSRFToken (GET /auth/csrf hands it out); see api_auth.py.
"""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from ninja import Field, Router, Schema

from vardnav.core.actor import Actor
from vardnav.core.http import ApiRequest
from vardnav.core.ids import MAX_ID
from vardnav.identity import login as login_flow
from vardnav.identity.access import (
    access_acting_for,
    access_active_contact_consent,
    access_child_for_guardian,
    access_own_person,
    children_for_choice,
)
from vardnav.identity.actions import (
    do_choose_acting_for,
    do_give_contact_sharing_consent,
    do_logout,
    do_set_message_language,
    do_update_profile,
    do_withdraw_contact_sharing_consent,
)
from vardnav.identity.api_auth import require_csrf, resident_auth, session_auth
from vardnav.identity.checks import FROM_16_EXPLANATION
from vardnav.identity.session import end_session, update_session
from vardnav.people.models import Person

router = Router(tags=["identity"])


# --- schemas -------------------------------------------------------------------


PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}


def _problems(*statuses: int) -> dict:
    """OpenAPI entries for the application/problem+json answers an operation can give."""
    return {
        "responses": {
            status: {
                "description": HTTPStatus(status).phrase,
                "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
            }
            for status in statuses
        }
    }


_INPUT = (400, 422)
_SESSION = (401, 403)
_BANKID = (409, 429, 502, 503, 504)


class CsrfOut(Schema):
    csrf_token: str


class BankIdStartOut(Schema):
    order_ref: str
    auto_start_token: str


class QrOut(Schema):
    qr_content: str


class CollectOut(Schema):
    status: str
    hint_code: str | None = None
    message: str
    next: str | None = None


class PersonOut(Schema):
    id: int
    given_name: str
    surname: str
    personal_number: str


class ChildOut(Schema):
    id: int
    given_name: str
    age: int
    selectable: bool
    reason: str | None = None


class MeOut(Schema):
    kind: str
    person: PersonOut
    acting_for: PersonOut | None
    children: list[ChildOut]


class ActingForIn(Schema):
    person_id: int | None = Field(None, ge=1, le=MAX_ID)


class ProfileOut(Schema):
    given_name: str
    surname: str
    personal_number: str
    protected_identity: bool
    contact_details_allowed: bool
    email: str
    email_confirmed: bool
    phone: str
    preferred_language: str  # e-mail and SMS: "sv" or "en" (issue 11, item 15)


class ProfilePatch(Schema):
    email: str | None = None
    phone: str | None = None
    preferred_language: str | None = Field(None, max_length=10)


class ContactSharingIn(Schema):
    share_email: bool = False
    share_phone: bool = False


class ContactSharingOut(Schema):
    active: bool
    share_email: bool
    share_phone: bool
    given_at: datetime | None = None


def _person_out(person: Person) -> PersonOut:
    return PersonOut(
        id=person.pk,
        given_name=person.given_name,
        surname=person.surname,
        personal_number=person.number.formatted,
    )


def _me(actor: Actor) -> MeOut:
    me = access_own_person(actor)
    acting_for = access_acting_for(actor) if actor.acting_for_id is not None else None
    return MeOut(
        kind=str(actor.kind),
        person=_person_out(me),
        acting_for=_person_out(acting_for) if acting_for is not None else None,
        children=[
            ChildOut(
                id=choice.person.pk,
                given_name=choice.person.given_name,
                age=choice.age,
                selectable=choice.selectable,
                reason=None if choice.selectable else FROM_16_EXPLANATION,
            )
            for choice in children_for_choice(actor)
        ],
    )


def _profile_out(person: Person) -> ProfileOut:
    return ProfileOut(
        given_name=person.given_name,
        surname=person.surname,
        personal_number=person.number.formatted,
        protected_identity=person.protected_identity,
        contact_details_allowed=not person.protected_identity,
        email=person.email,
        email_confirmed=person.email_confirmed_at is not None,
        phone=person.phone,
        preferred_language=person.preferred_language,
    )


# --- login ---------------------------------------------------------------------------


@router.get("/auth/csrf", response=CsrfOut, summary="CSRF token for cookie-session requests")
def csrf_token(request: HttpRequest) -> CsrfOut:
    return CsrfOut(csrf_token=get_token(request))


@router.post(
    "/auth/bankid",
    response={201: BankIdStartOut},
    openapi_extra=_problems(*_INPUT, 403, *_BANKID),
    summary="Start a BankID login (ID-1)",
)
def start_bankid(request: HttpRequest) -> tuple[int, BankIdStartOut]:
    """The order is kept in this session; qrStartSecret never leaves the server."""
    require_csrf(request)
    order = login_flow.begin_order(request)
    return 201, BankIdStartOut(order_ref=order["order_ref"], auto_start_token=order["auto_start_token"])


@router.get(
    "/auth/bankid/{order_ref}/qr",
    response={200: QrOut},
    openapi_extra=_problems(*_INPUT, 404),
    summary="Current animated QR content",
)
def bankid_qr(request: HttpRequest, order_ref: str) -> QrOut:
    return QrOut(qr_content=login_flow.current_qr_content(request, order_ref))


@router.post(
    "/auth/bankid/{order_ref}/collect",
    response={200: CollectOut},
    openapi_extra=_problems(*_INPUT, 403, 404, 410, *_BANKID),
    summary="Collect; logs in when complete",
)
def collect_bankid(request: HttpRequest, order_ref: str, qr_flow: bool = True) -> CollectOut:
    """Pending and failed answer 200 with a Swedish message; under 16 (ID-2) answers 403."""
    require_csrf(request)
    outcome = login_flow.poll(request, order_ref, qr_flow=qr_flow)
    return CollectOut(
        status=outcome.status, hint_code=outcome.hint_code, message=outcome.message, next=outcome.redirect
    )


@router.post(
    "/auth/bankid/{order_ref}/cancel",
    response={204: None},
    openapi_extra=_problems(*_INPUT, 403, 404),
    summary="Cancel the login",
)
def cancel_bankid(request: HttpRequest, order_ref: str) -> tuple[int, None]:
    require_csrf(request)
    login_flow.cancel_order(request, order_ref)
    return 204, None


@router.post(
    "/auth/logout",
    response={204: None},
    openapi_extra=_problems(*_INPUT, *_SESSION),
    auth=session_auth,
    summary="Log out (this session only)",
)
def logout(request: ApiRequest) -> tuple[int, None]:
    do_logout(request.auth)
    end_session(request)
    return 204, None


# --- who am I, acting for ------------------------------------------------------


@router.get(
    "/me",
    response={200: MeOut},
    openapi_extra=_problems(*_INPUT, *_SESSION, 404),
    auth=resident_auth,
    summary="Who is logged in, acting for whom",
)
def me(request: ApiRequest) -> MeOut:
    return _me(request.auth)


@router.post(
    "/me/acting-for",
    response={200: MeOut},
    openapi_extra=_problems(*_INPUT, *_SESSION, 404),
    auth=resident_auth,
    summary="Act for a child under 16, or self",
)
def choose_acting_for(request: ApiRequest, payload: ActingForIn) -> MeOut:
    """404 for anyone who is not the guardian's child under 16 (ID-3); register mismatch 400 (ID-4)."""
    actor: Actor = request.auth
    child = None if payload.person_id is None else access_child_for_guardian(actor, payload.person_id)
    acting_for_id = do_choose_acting_for(actor, child)
    update_session(request, acting_for_id=acting_for_id)
    return _me(Actor(kind=actor.kind, person_id=actor.person_id, acting_for_id=acting_for_id))


# --- profile and consent ---------------------------------------------------------


@router.get(
    "/me/profile",
    response={200: ProfileOut},
    openapi_extra=_problems(*_INPUT, *_SESSION, 404),
    auth=resident_auth,
    summary="The resident's own profile",
)
def get_profile(request: ApiRequest) -> ProfileOut:
    return _profile_out(access_own_person(request.auth))


@router.patch(
    "/me/profile",
    response={200: ProfileOut},
    openapi_extra=_problems(*_INPUT, *_SESSION, 404, 409),
    auth=resident_auth,
    summary="Edit e-mail, mobile (ID-6) and the language of e-mail and SMS (issue 11, item 15)",
)
def patch_profile(request: ApiRequest, payload: ProfilePatch) -> ProfileOut:
    """Omitted fields stay; an empty string removes. Protected identity is refused (PRIV-1) with 409."""
    actor: Actor = request.auth
    person = access_own_person(actor)
    if payload.preferred_language is not None and payload.email is None and payload.phone is None:
        # Only the language (issue 11, item 15): allowed with protected identity too, it stores no way to reach anyone.
        return _profile_out(do_set_message_language(actor, payload.preferred_language))
    person = do_update_profile(
        actor,
        email=person.email if payload.email is None else payload.email,
        phone=person.phone if payload.phone is None else payload.phone,
        confirmation_link=lambda token: request.build_absolute_uri(reverse("identity:confirm_email", args=[token])),
    )
    if payload.preferred_language is not None:
        person = do_set_message_language(actor, payload.preferred_language)
    return _profile_out(person)


def _consent_out(actor: Actor) -> ContactSharingOut:
    consent = access_active_contact_consent(actor)
    if consent is None:
        return ContactSharingOut(active=False, share_email=False, share_phone=False)
    return ContactSharingOut(
        active=True, share_email=consent.share_email, share_phone=consent.share_phone, given_at=consent.given_at
    )


@router.get(
    "/me/contact-sharing",
    response={200: ContactSharingOut},
    openapi_extra=_problems(*_INPUT, *_SESSION, 404),
    auth=resident_auth,
    summary="Consent (PRIV-6)",
)
def get_contact_sharing(request: ApiRequest) -> ContactSharingOut:
    return _consent_out(request.auth)


@router.put(
    "/me/contact-sharing",
    response={200: ContactSharingOut},
    openapi_extra=_problems(*_INPUT, *_SESSION, 404, 409),
    auth=resident_auth,
    summary="Give consent (PRIV-6)",
)
def give_contact_sharing(request: ApiRequest, payload: ContactSharingIn) -> ContactSharingOut:
    do_give_contact_sharing_consent(request.auth, share_email=payload.share_email, share_phone=payload.share_phone)
    return _consent_out(request.auth)


@router.delete(
    "/me/contact-sharing",
    response={200: ContactSharingOut},
    openapi_extra=_problems(*_INPUT, *_SESSION, 404),
    auth=resident_auth,
    summary="Withdraw (PRIV-6)",
)
def withdraw_contact_sharing(request: ApiRequest) -> ContactSharingOut:
    do_withdraw_contact_sharing_consent(request.auth)
    return _consent_out(request.auth)
