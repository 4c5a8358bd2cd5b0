"""Property-based fuzzing of every /api/v1 operation from its OpenAPI document (schemathesis).

Each operation is called with generated valid and invalid input, once per
persona (anonymous, a resident, a guardian acting for a child, a receiver, a
handler, a provider administrator and an integration token), through the real
WSGI app, and every response must pass all of schemathesis' checks: no 5xx,
status codes, content types, headers and bodies as documented, invalid input
rejected, valid input accepted, and `ignored_auth` (an operation that declares
a security scheme must refuse the same request without, or with invalid,
credentials).

Beyond single calls: stateful sequences (schemathesis' state machine over the
links it infers from the document: create a case, then read, answer and close
it) per persona, and every operation with bodies no schema describes
(undeclared content types, malformed and oversized bodies, deep nesting).

Examples per operation and persona: 10 by default; raise with VARDNAV_FUZZ_EXAMPLES.
The examples are the same on every run; VARDNAV_FUZZ_RANDOM=1 draws new ones.
A failure here is a bug in the endpoint or in its documented schema, never a
reason to drop a check.

Adding a persona: one line in FUZZ_PERSONAS naming a persona of tests/personas.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import ignored_auth

from tests.sessions import csrf_token, resident_identity, session_cookie, staff_identity
from vardnav.wsgi import application

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("VARDNAV_FUZZ_EXAMPLES", "10"))
# Scenarios per persona in the stateful test, and steps per scenario.
STATEFUL_SCENARIOS = int(os.environ.get("VARDNAV_FUZZ_SCENARIOS", "8"))
STATEFUL_STEPS = 6
# The same examples on every run, so CI is repeatable; VARDNAV_FUZZ_RANDOM=1 explores anew.
DERANDOMIZE = os.environ.get("VARDNAV_FUZZ_RANDOM") != "1"
# A WSGI server always tells the app the client's address (rate limits key on it);
# werkzeug's test client, which schemathesis uses in-process, does not.
WSGI_ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}


@dataclass(frozen=True)
class Credentials:
    """What a persona's client sends: a session cookie (browser personas) or a bearer token (an integration)."""

    session: str | None = None
    bearer: str | None = None


def _session(identity: dict[str, Any]) -> Credentials:
    return Credentials(session=session_cookie(identity)[django_settings.SESSION_COOKIE_NAME])


def _integration(request: pytest.FixtureRequest) -> Credentials:
    from vardnav.core.actor import Actor
    from vardnav.integrations.actions import do_create_integration_token

    _, secret = do_create_integration_token(Actor.system(), request.getfixturevalue("provider"), name="Fuzz")
    return Credentials(bearer=secret)


# Persona name → how to log it in from the fixtures of tests/fixtures.py (None: anonymous).
FUZZ_PERSONAS: dict[str, Callable[[pytest.FixtureRequest], Credentials] | None] = {
    "anonymous": None,
    "resident": lambda r: _session(resident_identity(r.getfixturevalue("resident_a"))),
    "guardian_for_child": lambda r: _session(
        resident_identity(r.getfixturevalue("guardian"), acting_for=r.getfixturevalue("child_8"))
    ),
    "receiver": lambda r: _session(staff_identity(r.getfixturevalue("receiver_x"))),
    "handler": lambda r: _session(staff_identity(r.getfixturevalue("handler_x"))),
    "provider_admin": lambda r: _session(staff_identity(r.getfixturevalue("provider_admin_other"))),
    "integration": _integration,
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

# The persona's credentials for the running test; read by PersonaSession below.
_current: dict[str, Credentials | None] = {"credentials": None}


def apply_credentials(case: Any, credentials: Credentials | None) -> None:
    if credentials is None:
        return
    if credentials.session is not None:
        case.cookies = {**(case.cookies or {}), django_settings.SESSION_COOKIE_NAME: credentials.session}
    if credentials.bearer is not None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {credentials.bearer}"}


@schema.auth(refresh_interval=None)
class PersonaSession:
    """Sends the persona's session cookie (or bearer token) as *the* credential of the document's security scheme.

    Why an auth provider rather than a plain cookie: schemathesis then knows the
    credential is real, so `ignored_auth` repeats each successful request
    without it and with a forged one and demands a refusal. For the anonymous
    persona it supplies nothing and the generated (random) cookie is sent.
    """

    def get(self, case: Any, context: Any) -> Credentials | None:
        return _current["credentials"]

    def set(self, case: Any, data: Credentials, context: Any) -> None:
        apply_credentials(case, data)


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
    log_in = FUZZ_PERSONAS[request.param]
    _current["credentials"] = log_in(request) if log_in else None
    try:
        yield csrf_token()
    finally:
        _current["credentials"] = None


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


# --- stateful sequences ----------------------------------------------------------------------

PersonaStateMachine = schema.as_state_machine()


def test_stateful_sequences_survive_for_each_persona(persona: tuple[dict[str, str], dict[str, str]]) -> None:
    """Chains of calls along the links schemathesis infers (a created case's id fed to the next calls)."""
    csrf_cookie, csrf_header = persona
    credentials = _current["credentials"]

    class Machine(PersonaStateMachine):  # type: ignore[misc, valid-type]
        def before_call(self, case: Any) -> None:
            case.cookies = {**(case.cookies or {}), **csrf_cookie}
            case.headers = {**(case.headers or {}), **csrf_header}
            apply_credentials(case, credentials)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"environ_base": WSGI_ENVIRON}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            # The credentials are set above, which schemathesis takes for generated ones; whether
            # each operation refuses missing or forged credentials is checked per operation above.
            case.validate_response(response, excluded_checks=[ignored_auth], transport_kwargs=kwargs)

    Machine.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            derandomize=DERANDOMIZE,
            suppress_health_check=list(HealthCheck),
        )
    )


# --- bodies no schema describes ------------------------------------------------------------


def _operations() -> list[tuple[str, str, bool]]:
    """(method, concrete path, takes a body) of every writing operation in the document; path parameters 1."""
    import re

    document = schema.raw_schema
    found = []
    for template, operations in document["paths"].items():
        for method, operation in operations.items():
            if method.upper() in {"POST", "PUT", "PATCH", "DELETE"}:
                path = re.sub(r"\{[^}]+\}", "1", template)
                found.append((method.upper(), path, "requestBody" in operation))
    return found


NESTED = b"[" * 100_000 + b"]" * 100_000
HOSTILE_BODIES: list[tuple[str, str, bytes]] = [
    ("text-plain", "text/plain", b'{"service_id": 1}'),
    ("xml", "application/xml", b"<case><service_id>1</service_id></case>"),
    ("multipart-no-boundary", "multipart/form-data", b'{"service_id": 1}'),
    ("multipart-json", "multipart/form-data; boundary=zz", b'{"service_id": 1}'),
    ("urlencoded", "application/x-www-form-urlencoded", b"service_id=1&answers=%ff%fe"),
    ("truncated-json", "application/json", b'{"service_id": 1, "answers": {'),
    ("invalid-utf8", "application/json", b'{"text": "\xff\xfe\xfd"}'),
    ("json-array", "application/json", b"[1, 2, 3]"),
    ("deep-nesting", "application/json", NESTED),
    ("nan", "application/json", b'{"service_id": NaN, "answers": {"a": Infinity}}'),
    ("huge-number", "application/json", b'{"service_id": 1' + b"0" * 5000 + b"}"),
    ("oversized", "application/json", b'{"text": "' + b"a" * (3 * 1024 * 1024) + b'"}'),
    ("bad-charset", "application/json; charset=utf-99", b'{"service_id": 1}'),
]


def test_every_operation_answers_bodies_no_schema_describes_with_a_4xx_problem(
    persona: tuple[dict[str, str], dict[str, str]],
) -> None:
    """Every writing operation × every body above, for this persona (one demo world for all of them)."""
    from django.test import Client

    csrf_cookie, csrf_header = persona
    credentials = _current["credentials"]
    client = Client(raise_request_exception=False)
    for cookie, value in csrf_cookie.items():
        client.cookies[cookie] = value
    if credentials is not None and credentials.session is not None:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = credentials.session
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in csrf_header.items()}
    if credentials is not None and credentials.bearer is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {credentials.bearer}"
    failures = []
    for name, content_type, body in HOSTILE_BODIES:
        for method, path, takes_body in _operations():
            response = client.generic(method, path, body, content_type=content_type, REMOTE_ADDR="127.0.0.1", **headers)
            cache.clear()
            status = response.status_code
            is_problem = response.get("Content-Type", "").startswith("application/problem+json")
            # An operation that takes a body must refuse this one; one without a body may ignore it.
            # Never a 5xx, and every refusal is a problem.
            refused_as_it_must = 400 <= status < 500 and is_problem
            if status >= 500 or (takes_body and not refused_as_it_must) or (status >= 400 and not is_problem):
                failures.append(f"{name}: {method} {path}: {status} {response.get('Content-Type')}")
            elif is_problem:
                json.loads(response.content)  # a problem body is JSON
    assert not failures, "\n".join(failures)
