"""Log a persona in by writing the session directly, for tests that are not about logging in.

Why not through BankID or the IdP: the access matrix, the API fuzzer and most
browser journeys test what a logged-in person may do; the logins themselves are
tested in identity/tests and in the browser login journeys. The session written
here has exactly the layout of vardnav.identity.session (start_session), so the
views cannot tell the difference.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings

from vardnav.core import clock
from vardnav.identity.session import SESSION_KEY


def resident_identity(person: Any, *, acting_for: Any = None) -> dict[str, Any]:
    """A resident (or guardian, when `acting_for` is a child) logged in with BankID."""
    stamp = clock.now().timestamp()
    return {
        "kind": "resident",
        "person_id": person.pk,
        "acting_for_id": acting_for.pk if acting_for is not None else None,
        "staff_id": None,
        "unit_id": None,
        "role": None,
        "provider_id": None,
        "auth_method": "bankid",
        "authenticated_at": stamp,
        "last_seen_at": stamp,
    }


def staff_identity(staff: Any, *, unit: Any = None, role: str | None = None) -> dict[str, Any]:
    """A staff member logged in through OIDC, working at `unit` in `role` (the first grant by default)."""
    if unit is None and role is None:
        grant = staff.role_grants.order_by("pk").first()
        if grant is not None:
            unit, role = grant.unit, grant.role
    stamp = clock.now().timestamp()
    return {
        "kind": "staff",
        "person_id": None,
        "acting_for_id": None,
        "staff_id": staff.pk,
        "unit_id": unit.pk if unit is not None else None,
        "role": role,
        "provider_id": staff.provider_id,
        "auth_method": "oidc",
        "authenticated_at": stamp,
        "last_seen_at": stamp,
    }


def identity_for(subject: Any) -> dict[str, Any] | None:
    """The session identity of a persona object: a Person, a Staff member, or None for anonymous."""
    if subject is None:
        return None
    from vardnav.organizations.models import Staff
    from vardnav.people.models import Person

    if isinstance(subject, Staff):
        return staff_identity(subject)
    if isinstance(subject, Person):
        return resident_identity(subject)
    # Persona wrappers (e.g. a dataclass with .person or .staff) from tests/fixtures.py.
    for attribute in ("staff", "person"):
        inner = getattr(subject, attribute, None)
        if inner is not None:
            return identity_for(inner)
    raise TypeError(f"cannot log in a {type(subject).__name__}")


def session_cookie(identity: dict[str, Any] | None) -> dict[str, str]:
    """Save a server-side session holding `identity`; the cookie to send (empty for anonymous)."""
    if identity is None:
        return {}
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = identity
    store.save()
    return {settings.SESSION_COOKIE_NAME: store.session_key}


def csrf_token() -> tuple[dict[str, str], dict[str, str]]:
    """A CSRF cookie and the matching X-CSRFToken header, as a browser that loaded one of our pages sends.

    Why: session-authenticated writes are CSRF-protected; a test client without a
    token would be refused with 403 before the endpoint is reached, which tests
    the CSRF middleware instead of the endpoint's own access rules.
    """
    from django.middleware.csrf import _get_new_csrf_string

    secret = _get_new_csrf_string()
    return {settings.CSRF_COOKIE_NAME: secret}, {"X-CSRFToken": secret}


def browser_credentials(identity: dict[str, Any] | None) -> tuple[dict[str, str], dict[str, str]]:
    """(cookies, headers) of a browser logged in as `identity` (anonymous: None) holding a CSRF token."""
    cookies, headers = csrf_token()
    cookies.update(session_cookie(identity))
    return cookies, headers


def log_in_client(client: Any, identity: dict[str, Any] | None) -> Any:
    """Make a django.test.Client send the session and CSRF cookies (and header) of `identity`."""
    cookies, headers = browser_credentials(identity)
    for name, value in cookies.items():
        client.cookies[name] = value
    client.defaults.update({f"HTTP_{key.upper().replace('-', '_')}": value for key, value in headers.items()})
    return client
