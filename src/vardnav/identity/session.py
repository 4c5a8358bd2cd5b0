"""The logged-in identity kept in the Django session, and the Actor built from it.

Why one module: resident (BankID) and staff (OIDC) logins end the same way — a
fresh session id, the identity stored server-side, timestamps for the idle and
absolute timeouts — and every view gets its Actor from `get_actor`, never from
request.user directly.

Session layout (all server-side; the cookie holds only the session id):
    session["identity"] = {
        "kind": "resident" | "staff",
        "person_id": int | None,      # resident (or guardian) logged in
        "acting_for_id": int | None,  # the child a guardian acts for (None = themself)
        "staff_id": int | None,
        "unit_id": int | None,        # unit the staff member works in now
        "role": str | None,           # role at that unit (receiver/handler/unit_admin)
        "provider_id": int | None,
        "auth_method": "bankid" | "oidc",
        "authenticated_at": float,    # epoch seconds (absolute timeout)
        "last_seen_at": float,        # epoch seconds (idle timeout)
        "journal_only": bool,         # REC-8 early access: a child of 13–15 reaches the journal pages only
    }
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind

SESSION_KEY = "identity"


def start_session(
    request: HttpRequest,
    *,
    kind: ActorKind,
    auth_method: str,
    person_id: int | None = None,
    staff_id: int | None = None,
    provider_id: int | None = None,
    journal_only: bool = False,
) -> None:
    """Begin a logged-in session with a new session id (no fixation).

    `journal_only`: a child of 13–15 with early access (REC-8); the middleware keeps the session to the journal.
    """
    request.session.flush()
    request.session.cycle_key()
    stamp = clock.now().timestamp()
    request.session[SESSION_KEY] = {
        "kind": str(kind),
        "person_id": person_id,
        "acting_for_id": None,
        "staff_id": staff_id,
        "unit_id": None,
        "role": None,
        "provider_id": provider_id,
        "auth_method": auth_method,
        "authenticated_at": stamp,
        "last_seen_at": stamp,
        "journal_only": journal_only,
    }


def update_session(request: HttpRequest, **changes: Any) -> None:
    """Change acting-for, unit or role; only known keys."""
    identity = dict(request.session.get(SESSION_KEY) or {})
    if not identity:
        raise RuntimeError("no identity in session")
    unknown = set(changes) - {"acting_for_id", "unit_id", "role", "last_seen_at"}
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} in a session")
    identity.update(changes)
    request.session[SESSION_KEY] = identity


def end_session(request: HttpRequest, *, reason: str | None = None) -> None:
    """Forget the identity and the session id; `reason` survives for the login page's message."""
    request.session.flush()
    if reason:
        request.session[LOGOUT_REASON_KEY] = reason


LOGOUT_REASON_KEY = "logout_reason"
EARLY_ACCESS_ENDED = "early_access_ended"  # REC-8: a journal-only session whose early access was withdrawn
# Touching the session costs a write; a few seconds of slack in the idle timeout is harmless.
TOUCH_INTERVAL_SECONDS = 15


def expired_reason(identity: dict[str, Any], now: float) -> str | None:
    """ "absolute" past SESSION_COOKIE_AGE since login, "idle" past SESSION_IDLE_SECONDS unused, else None."""
    if now - float(identity.get("authenticated_at", 0)) >= settings.SESSION_COOKIE_AGE:
        return "absolute"
    if now - float(identity.get("last_seen_at", 0)) >= settings.SESSION_IDLE_SECONDS:
        return "idle"
    return None


def enforce_timeouts(request: HttpRequest) -> str | None:
    """End an expired session (returning why) or record that it is in use.

    Why from our own timestamps rather than the cookie's expiry: the cookie age
    slides with every write, so it cannot express "12 hours after login at the
    latest"; and the server, not the browser, must decide.
    """
    identity = get_identity(request)
    if not identity:
        return None
    now = clock.now().timestamp()
    reason = expired_reason(identity, now)
    if reason:
        end_session(request, reason=reason)
        return reason
    if now - float(identity.get("last_seen_at", 0)) >= TOUCH_INTERVAL_SECONDS:
        update_session(request, last_seen_at=now)
        # Saved here, and not marked modified, so the response sets no new cookie:
        # the cookie keeps the expiry it got at login (the absolute timeout).
        request.session.save()
        request.session.modified = False
    return None


def pop_logout_reason(request: HttpRequest) -> str | None:
    return request.session.pop(LOGOUT_REASON_KEY, None) if hasattr(request, "session") else None


def get_identity(request: HttpRequest) -> dict[str, Any] | None:
    return request.session.get(SESSION_KEY) if hasattr(request, "session") else None


def get_actor(request: HttpRequest) -> Actor:
    identity = get_identity(request)
    if not identity:
        return Actor.anonymous()
    return Actor(
        kind=ActorKind(identity["kind"]),
        person_id=identity.get("person_id"),
        acting_for_id=identity.get("acting_for_id"),
        staff_id=identity.get("staff_id"),
        unit_id=identity.get("unit_id"),
        role=identity.get("role"),
        provider_id=identity.get("provider_id"),
        user_id=request.user.pk if getattr(request, "user", None) and request.user.is_authenticated else None,
    )
