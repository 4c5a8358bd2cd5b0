"""The platform answers: start page, health, OpenAPI, problem+json, request ids."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_start_page_is_swedish(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="sv"' in response.content.decode()


def test_health_reports_the_database(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_the_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Vårdnav API"


def test_every_response_carries_a_request_id(client):
    response = client.get("/", HTTP_X_REQUEST_ID="req-abcdef-0123")
    assert response["X-Request-ID"] == "req-abcdef-0123"
    generated = client.get("/")["X-Request-ID"]
    assert len(generated) == 16


def test_an_unknown_api_path_is_not_a_server_error(client):
    response = client.get("/api/v1/does-not-exist")
    assert response.status_code == 404
