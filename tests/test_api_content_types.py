"""The API answers any body it was not built for with a 4xx problem, never a 5xx (hardening)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.sessions import log_in_client, resident_identity

pytestmark = pytest.mark.django_db

JSON_BODY = b'{"service_id": 1, "answers": {}}'


@pytest.fixture
def resident(resident_a):
    """A logged-in resident whose client enforces CSRF like a browser's requests are checked."""
    client = log_in_client(
        Client(enforce_csrf_checks=True, raise_request_exception=False), resident_identity(resident_a)
    )
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    client.defaults["HTTP_X_CSRFTOKEN"] = token
    return client


@pytest.mark.parametrize(
    ("content_type", "status", "code"),
    [
        ("multipart/form-data", 400, "malformed-multipart"),  # no boundary: was a 500
        ("multipart/form-data; boundary=xyz", 415, "unsupported-media-type"),  # JSON under a boundary: was a 500
        ("application/x-www-form-urlencoded", 415, "unsupported-media-type"),
    ],
)
def test_a_json_operation_refuses_other_content_types_as_problem_json(resident, content_type, status, code):
    response = resident.generic("POST", "/api/v1/cases", JSON_BODY, content_type=content_type)

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == code
    assert status == 400 or "application/json" in problem["title"]


def test_an_upload_operation_refuses_a_multipart_body_without_a_boundary(resident):
    response = resident.generic(
        "POST", "/api/v1/cases/1/attachments", b'{"not": "multipart"}', content_type="multipart/form-data"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "malformed-multipart"


def test_an_upload_with_a_boundary_but_no_parts_gets_the_operations_own_answer(resident):
    response = resident.generic(
        "POST",
        "/api/v1/cases/1/attachments",
        b"garbage",
        content_type="multipart/form-data; boundary=nothing-like-this",
    )

    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "application/json; charset=latin-1"])
def test_a_json_operation_answers_other_bodies_with_a_4xx_problem(resident, content_type):
    response = resident.generic("POST", "/api/v1/cases", b"<a>1</a>", content_type=content_type)

    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"


def test_an_operation_without_a_body_refuses_a_form_body(resident):
    response = resident.generic("POST", "/api/v1/auth/logout", b"a=1", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported-media-type"


def test_a_json_body_still_reaches_the_operation(resident):
    response = resident.generic("POST", "/api/v1/cases", JSON_BODY, content_type="application/json")

    assert response.status_code in (404, 422)  # the operation's own answer about service 1
    assert response["Content-Type"] == "application/problem+json"


def test_an_operation_without_a_body_accepts_an_empty_form(resident):
    """Many clients (and Django's test client) send an empty multipart form with a bare POST."""
    response = resident.post("/api/v1/auth/logout")

    assert response.status_code == 204
