"""Shared set-up for the resident identity tests (login, acting-for, profile, sessions, API).

Fixtures (frozen_today, ticking_today, clean_rate_limits) are in conftest.py; people
come from the shared builders (tests.personas.make_person).
"""

from __future__ import annotations

from tests.sessions import log_in_client, resident_identity
from vardnav.people.models import Person


def logged_in(client, person: Person, *, acting_for: Person | None = None):
    """A client with a resident session of exactly the login's layout (not the subject under test)."""
    return log_in_client(client, resident_identity(person, acting_for=acting_for))


def start_login(client) -> str:
    """Press "Logga in med BankID"; the order ref from the server-side session."""
    response = client.post("/logga-in/")
    assert response.status_code == 302, response.content.decode()[:500]
    return client.session["bankid_order"]["order_ref"]


def poll_json(client, **data):
    return client.post("/logga-in/status/", data, HTTP_ACCEPT="application/json")


def log_in_with_bankid(client, simulator, personal_number: str):
    """The whole resident login through the pages and the simulator; the final status response."""
    order_ref = start_login(client)
    simulator.approve(order_ref, personal_number)
    return poll_json(client)
