"""The resident BankID login flow, shared by the login pages and the API.

Why one module: the page (with or without JavaScript) and the API start,
animate, poll and cancel the same order the same way. The order lives in the
server-side session only (the cookie holds the session id); qrStartSecret never
leaves the server: the browser gets QR images or QR content strings computed
here each second. Only the session that started an order can see its QR or
complete it, so a leaked orderRef is worth nothing.

ID-1: this is the only way a resident session is started.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme

from vardnav.core import clock
from vardnav.core.actor import ActorKind
from vardnav.core.errors import DomainError
from vardnav.identity.access import children_for_choice
from vardnav.identity.actions import do_login_resident
from vardnav.identity.bankid.client import COMPLETE, FAILED, PENDING, BankIdError, get_bankid_client
from vardnav.identity.bankid.messages import message_for
from vardnav.identity.bankid.qr import qr_content, qr_seconds
from vardnav.identity.checks import JOURNAL_ONLY_HOME, OWN_BANKID_AGE
from vardnav.identity.errors import IdentityError, bankid_error_code
from vardnav.identity.ratelimits import (
    check_login_person_rate,
    check_login_poll_rate,
    check_login_start_rate,
    client_ip,
)
from vardnav.identity.session import get_actor, start_session

ORDER_KEY = "bankid_order"
AFTER_LOGIN_KEY = "after_login"
# BankID answers an order for about three minutes; past that it is dead even if BankID never said so.
ORDER_MAX_AGE_SECONDS = 200


# BankID errors and the HTTP status the API answers with; the Swedish text comes from bankid.messages.


@dataclass(frozen=True)
class PollOutcome:
    status: str  # "pending" | "failed" | "complete"
    message: str
    hint_code: str | None = None
    redirect: str | None = None


def bankid_error(error: BankIdError) -> DomainError:
    """A BankID refusal as our one error vocabulary: Swedish message, stable code."""
    return bankid_error_code(error.error_code).error()


def order_not_found() -> DomainError:
    return IdentityError.LOGIN_ORDER_NOT_FOUND.error()


def order_gone() -> DomainError:
    return IdentityError.LOGIN_ORDER_GONE.error()


def safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    """A same-site path to return to after login, or None (no open redirects)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _drop_order(request: HttpRequest) -> dict | None:
    return request.session.pop(ORDER_KEY, None)


def _cancel_quietly(order_ref: str) -> None:
    """Tell BankID to stop an order we no longer want; its refusal changes nothing for the user."""
    with contextlib.suppress(BankIdError):
        get_bankid_client().cancel(order_ref)


def begin_order(request: HttpRequest, *, next_url: str | None = None) -> dict:
    """Start a BankID authentication order for this browser session; return the stored order.

    A previous unfinished order of the same session is cancelled first: one
    session, one order.
    """
    check_login_start_rate(request)
    previous = _drop_order(request)
    if previous:
        _cancel_quietly(previous["order_ref"])
    try:
        order = get_bankid_client().auth(client_ip(request))
    except BankIdError as error:
        raise bankid_error(error) from None
    stored = {
        "order_ref": order.order_ref,
        "auto_start_token": order.auto_start_token,
        "qr_start_token": order.qr_start_token,
        "qr_start_secret": order.qr_start_secret,
        "started_at": order.started_at.isoformat(),
        "next": safe_next(request, next_url),
    }
    request.session[ORDER_KEY] = stored
    return stored


def current_order(request: HttpRequest, order_ref: str | None = None) -> dict:
    """This session's live order (and, if given, only when `order_ref` is it); else 404.

    An order older than BankID's lifetime is forgotten here, so the page never
    animates a QR code that can no longer be answered.
    """
    order = request.session.get(ORDER_KEY)
    if not order:
        raise order_not_found()
    if order_ref is not None and not constant_time_compare(str(order["order_ref"]), str(order_ref)):
        raise order_not_found()
    if (clock.now() - _started_at(order)).total_seconds() > ORDER_MAX_AGE_SECONDS:
        _drop_order(request)
        raise order_not_found()
    return order


def _started_at(order: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(order["started_at"])


def current_qr_content(request: HttpRequest, order_ref: str | None = None) -> str:
    """The animated QR content for this second: bankid.{token}.{seconds}.{hmac}."""
    order = current_order(request, order_ref)
    return qr_content(order["qr_start_token"], order["qr_start_secret"], qr_seconds(_started_at(order)))


def cancel_order(request: HttpRequest, order_ref: str | None = None) -> None:
    """The user gave up: BankID is told, the order forgotten; nothing else changes."""
    order = current_order(request, order_ref)
    _drop_order(request)
    _cancel_quietly(order["order_ref"])


def poll(request: HttpRequest, order_ref: str | None = None, *, qr_flow: bool = True) -> PollOutcome:
    """Collect the order once; on completion log the resident in (new session id).

    Failed, cancelled and refused orders leave nothing behind: the order is
    removed from the session and no identity is stored. Under 16 (ID-2) the
    refusal is a DomainError with the explanation of how a guardian logs in.
    """
    check_login_poll_rate(request)
    order = current_order(request, order_ref)
    try:
        result = get_bankid_client().collect(order["order_ref"])
    except BankIdError as error:
        _drop_order(request)
        if error.error_code == "invalidParameters":
            # BankID no longer knows the order: it was cancelled (say, by a cancel racing
            # this poll in another tab or request) or already collected. Not an outage.
            raise order_gone() from None
        raise bankid_error(error) from None
    if result.status == PENDING:
        return PollOutcome(PENDING, message_for(PENDING, result.hint_code, qr_flow=qr_flow), result.hint_code)
    _drop_order(request)
    if result.status == FAILED or result.user is None:
        return PollOutcome(FAILED, message_for(FAILED, result.hint_code, qr_flow=qr_flow), result.hint_code)
    check_login_person_rate(request, result.user.personal_number)
    person = do_login_resident(result.user.personal_number)
    journal_only = person.age_on(clock.today()) < OWN_BANKID_AGE  # REC-8: early access to the journal only
    start_session(
        request, kind=ActorKind.RESIDENT, auth_method="bankid", person_id=person.pk, journal_only=journal_only
    )
    if journal_only:
        return PollOutcome(COMPLETE, message_for(COMPLETE, None, qr_flow=qr_flow), redirect=reverse(JOURNAL_ONLY_HOME))
    return PollOutcome(COMPLETE, message_for(COMPLETE, None, qr_flow=qr_flow), redirect=after_login_url(request, order))


def after_login_url(request: HttpRequest, order: dict) -> str:
    """A guardian with a child under 16 first chooses whom to act for (ID-2); others go on.

    Without a page to return to, a resident lands on "Mina ärenden": their cases,
    with the way to send a new one.
    """
    destination = order.get("next") or reverse("cases:mine")
    if any(choice.selectable for choice in children_for_choice(get_actor(request))):
        request.session[AFTER_LOGIN_KEY] = destination
        return reverse("identity:choose_person")
    return destination
