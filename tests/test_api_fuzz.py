"""Property-based fuzzing of every /api/v1 operation from its OpenAPI document (schemathesis).

Each operation is called with generated valid and invalid input, once per
persona (anonymous, a resident, a guardian, a staff member), through the real
WSGI app, and every response must pass all of schemathesis' checks: no 5xx,
status codes, content types, headers and bodies as documented, invalid input
rejected, valid input accepted, and `ignored_auth` (an operation that declares
a security scheme must refuse the same request without, or with invalid,
credentials).

Examples per operation and persona: 25 by default; raise with VARDNAV_FUZZ_EXAMPLES.
The examples are the same on every run; VARDNAV_FUZZ_RANDOM=1 draws new ones.
A failure here is a bug in the endpoint or in its documented schema, never a
reason to drop a check.

Adding a persona: one line in FUZZ_PERSONAS naming a persona of tests/personas.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from tests.sessions import csrf_token, identity_for, session_cookie
from vardnav.wsgi import application

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("VARDNAV_FUZZ_EXAMPLES", "25"))
# The same examples on every run, so CI is repeatable; VARDNAV_FUZZ_RANDOM=1 explores anew.
DERANDOMIZE = os.environ.get("VARDNAV_FUZZ_RANDOM") != "1"
# A WSGI server always tells the app the client's address (rate limits key on it);
# werkzeug's test client, which schemathesis uses in-process, does not.
WSGI_ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}

# Persona name → the fixture of tests/fixtures.py that returns it (None: not logged in).
FUZZ_PERSONAS = {
    "anonymous": None,
    "resident": "resident_a",
    "guardian": "guardian",
    "staff": "handler_x",
}

# Our error contract (vardnav.api.main): 422 when input does not fit the documented
# schema, 400 with a stable problem `code` when well-formed input breaks a domain
# rule no schema can state (an opaque cursor that is not ours, "choose at least
# one"). So a schema-valid request may be answered 400; it must never get 422
# (the document and the endpoint disagree) or 5xx. Everything else is the default.
POSITIVE_DATA_STATUSES = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": POSITIVE_DATA_STATUSES}}}
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)

# The persona's session id for the running test; read by PersonaSession below.
_current_session: dict[str, str | None] = {"id": None}


@schema.auth(refresh_interval=None)
class PersonaSession:
    """Sends the logged-in persona's session cookie as *the* credential of the document's security scheme.

    Why an auth provider rather than a plain cookie: schemathesis then knows the
    credential is real, so `ignored_auth` repeats each successful request
    without it and with a forged one and demands a refusal. For the anonymous
    persona it supplies nothing and the generated (random) cookie is sent.
    """

    def get(self, case: Any, context: Any) -> str | None:
        return _current_session["id"]

    def set(self, case: Any, data: str, context: Any) -> None:
        case.cookies = {**(case.cookies or {}), django_settings.SESSION_COOKIE_NAME: data}


@pytest.fixture(autouse=True)
def _real_services(bankid_simulator: Any) -> Iterator[None]:
    """The login operations talk to the BankID simulator over mutual TLS, as in the demo.

    Rate-limit counters live in the cache; clearing it keeps one operation's
    examples from using up another's allowance.
    """
    cache.clear()
    # Like django.test.Client: a request must not close the test's database
    # connection (schemathesis calls the WSGI app directly, which would).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        cache.clear()


@pytest.fixture(params=list(FUZZ_PERSONAS))
def persona(request: pytest.FixtureRequest) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """Log the persona in for this test; yields the CSRF cookie and header its browser would send."""
    fixture_name = FUZZ_PERSONAS[request.param]
    identity = identity_for(request.getfixturevalue(fixture_name)) if fixture_name else None
    _current_session["id"] = session_cookie(identity).get(django_settings.SESSION_COOKIE_NAME)
    try:
        yield csrf_token()
    finally:
        _current_session["id"] = None


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    # The persona's session lives for the whole test; every example may reuse it.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_api_operation_survives_generated_input_for_each_persona(case, persona):
    """call_and_validate raises when any of schemathesis' checks fails; the 5xx check is also spelled out here."""
    csrf_cookie, csrf_header = persona
    response = case.call_and_validate(cookies=csrf_cookie, headers=csrf_header, environ_base=WSGI_ENVIRON)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"
