"""Every error under /api/v1 is application/problem+json, never an HTML page or a traceback (hardening)."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client

from vardnav.api import health
from vardnav.core.logging import JsonFormatter

pytestmark = pytest.mark.django_db

SECRET = "ont i bröstet sedan i går"  # stands for the health data an exception's message may quote


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["code"] == code
    body = response.content.decode()
    for leak in ("Traceback", 'File "', "/src/", "site-packages", "urlpatterns", "<html", SECRET):
        assert leak not in body
    return problem


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v1/cases/1/no-such-thing", "/api/v1/"])
def test_an_unknown_api_path_is_a_404_problem(client, path):
    assert_problem(client.get(path), 404, "not-found")


def test_an_unknown_api_path_is_a_problem_in_debug_mode_too(client, settings):
    settings.DEBUG = True  # Django would list the URL map here

    problem = assert_problem(client.get("/api/v1/no-such-thing"), 404, "not-found")

    assert "api/v1" not in json.dumps(problem)


def test_an_unknown_method_on_a_known_api_path_is_a_405_problem_with_allow(client):
    response = client.delete("/api/v1/health")

    assert_problem(response, 405, "method-not-allowed")
    assert "GET" in response["Allow"]


class _BrokenConnection:
    def cursor(self):
        raise RuntimeError(f"lost the database while saving {SECRET!r}")


@pytest.mark.parametrize("debug", [False, True])
def test_an_exception_inside_an_operation_is_a_generic_500_problem_logged_without_its_message(
    monkeypatch, settings, caplog, debug
):
    settings.DEBUG = debug
    monkeypatch.setattr(health, "connection", _BrokenConnection())
    client = Client(raise_request_exception=False)

    with caplog.at_level(logging.ERROR):
        response = client.get("/api/v1/health", HTTP_X_REQUEST_ID="req-abcdef-ghijkl")

    problem = assert_problem(response, 500, "internal")
    assert "req-abcdef-ghijkl" in problem["title"]  # the reference support searches the logs for
    logged = [r for r in caplog.records if r.name == "vardnav.api"]
    assert logged and logged[0].exception_type == "builtins.RuntimeError"
    assert SECRET not in caplog.text


class ExplodingMiddleware:
    """A middleware below the API's own error handling that fails (stands for any such bug)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raise RuntimeError(f"middleware failed on {SECRET!r}")


def test_an_exception_outside_any_operation_is_a_500_problem_too(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_api_errors.ExplodingMiddleware"]
    client = Client(raise_request_exception=False)

    assert_problem(client.get("/api/v1/health"), 500, "internal")
    # pages keep their HTML 500 page
    page = client.get("/")
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


def test_a_logged_traceback_names_the_exception_and_frames_but_withholds_its_message():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("vardnav.test.traceback")
    logger.handlers = [handler]
    logger.propagate = False
    try:
        try:
            raise KeyError(SECRET)
        except KeyError as inner:
            raise ValueError(f"could not save {SECRET}") from inner
    except ValueError:
        logger.error("saving failed", exc_info=sys.exc_info())

    line = json.loads(stream.getvalue())
    assert SECRET not in stream.getvalue()
    assert "builtins.ValueError: [message withheld]" in line["exc_info"]
    assert "builtins.KeyError: [message withheld]" in line["exc_info"]
    assert "test_a_logged_traceback" in line["exc_info"]


def test_a_body_above_djangos_limit_is_a_413_problem_not_a_500(settings, provider):
    """Found by the fuzzer: RequestDataTooBig raised inside an operation became a 500."""
    from vardnav.core.actor import Actor
    from vardnav.integrations.actions import do_create_integration_token

    _, secret = do_create_integration_token(Actor.system(), provider, name="Test")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = Client(raise_request_exception=False)

    response = client.post(
        "/api/v1/integrations/cases",
        b'{"text": "' + b"a" * 2000 + b'"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )

    assert_problem(response, 413, "body-too-large")


def test_no_two_api_schemas_share_a_name():
    """The OpenAPI document keys its components by class name: two routers' `DecisionIn` would
    become one schema, and clients (and the fuzzer) would send one endpoint the other's body."""
    from collections import Counter

    from ninja import Schema

    from vardnav.api.main import api

    api.get_openapi_schema()  # imports every router's schemas

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = Counter(cls.__name__ for cls in subclasses(Schema) if cls.__module__.startswith("vardnav."))
    assert not [name for name, count in names.items() if count > 1]
