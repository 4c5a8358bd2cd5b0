"""The settings API, /api/v1/staff/settings/… (issue 11, item 13): what the settings pages do, for provider
administrators and heads of unit, through the same actions; problem+json at the field when input is wrong."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.sessions import log_in_client, staff_identity
from vardnav.catalog.models import Questionnaire, QuestionnaireStatus
from vardnav.organizations.models import RoleGrant, Staff
from vardnav.prescriptions.actions import get_renewal_policy
from vardnav.prescriptions.models import NarcoticsPolicy

pytestmark = pytest.mark.django_db
API = "/api/v1/staff/settings"


def client_for(staff, unit=None, role=None) -> Client:
    return log_in_client(Client(), staff_identity(staff, unit=unit, role=role))


def send(client: Client, method: str, path: str, body: dict | None = None):
    payload = "" if body is None else json.dumps(body)
    return client.generic(method, f"{API}{path}", payload, content_type="application/json")


@pytest.mark.rule("ORG-4")
def test_the_head_of_unit_grants_and_revokes_a_role_through_the_api(unit_admin_x, unit_x, handler_y):
    head = client_for(unit_admin_x, unit_x, "unit_admin")
    assert [unit["id"] for unit in send(head, "GET", "/units").json()] == [unit_x.pk]

    created = send(head, "POST", f"/units/{unit_x.pk}/roles", {"staff_id": handler_y.pk, "role": "receiver"})

    assert created.status_code == 201, created.content
    grant = RoleGrant.objects.get(staff=handler_y, unit=unit_x, role="receiver")
    assert created.json()["id"] == grant.pk
    assert any(row["id"] == grant.pk for row in send(head, "GET", f"/units/{unit_x.pk}/roles").json())
    assert send(head, "DELETE", f"/units/{unit_x.pk}/roles/{grant.pk}").status_code == 204
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_a_bad_role_is_a_problem_at_its_field(unit_admin_x, unit_x, handler_y):
    head = client_for(unit_admin_x, unit_x, "unit_admin")

    response = send(head, "POST", f"/units/{unit_x.pk}/roles", {"staff_id": handler_y.pk, "role": "kung"})

    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/problem+json")
    assert "role" in response.json()["errors"]


@pytest.mark.rule("ORG-5")
def test_other_information_through_the_api_is_sanitised_like_the_editors(unit_admin_x, unit_x):
    head = client_for(unit_admin_x, unit_x, "unit_admin")

    response = send(
        head,
        "PUT",
        f"/units/{unit_x.pk}/other-information",
        {"html": '<h2>Parkering</h2><p onclick="x()">Gratis <script>alert(1)</script><strong>två</strong> timmar</p>'},
    )

    assert response.status_code == 200
    saved = response.json()["other_information_html"]
    assert "<h2>Parkering</h2>" in saved and "<strong>två</strong>" in saved
    assert "script" not in saved and "onclick" not in saved


def test_opening_hours_through_the_api(unit_admin_x, unit_x):
    head = client_for(unit_admin_x, unit_x, "unit_admin")

    response = send(head, "PUT", f"/units/{unit_x.pk}/opening-hours", {"rows": [{"days": "mån–fre", "hours": "08–17"}]})

    assert response.status_code == 200
    unit_x.refresh_from_db()
    assert unit_x.opening_hours == [{"days": "mån–fre", "hours": "08–17"}]


def test_the_administrator_sets_an_age_limit_and_a_bad_one_is_a_problem_at_its_field(provider_admin, open_service):
    admin = client_for(provider_admin)
    assert any(row["id"] == open_service.pk for row in send(admin, "GET", "/services").json())

    response = send(admin, "PATCH", f"/services/{open_service.pk}", {"min_age": 18, "sex": "female"})
    assert response.status_code == 200
    assert (response.json()["min_age"], response.json()["sex"]) == (18, "female")

    refused = send(admin, "PATCH", f"/services/{open_service.pk}", {"max_age": 12})
    assert refused.status_code == 422 and refused.json()["code"] == "age-limits-order"
    assert "max_age" in refused.json()["errors"]
    open_service.refresh_from_db()
    assert (open_service.min_age, open_service.max_age) == (18, None)


def test_a_conditional_questionnaire_is_saved_and_published_as_a_new_version(provider_admin, open_service):
    admin = client_for(provider_admin)
    before = send(admin, "GET", f"/services/{open_service.pk}/questionnaire").json()
    items = [
        {"linkId": "fever", "type": "boolean", "text": "Har du feber?", "required": True},
        {
            "linkId": "degrees",
            "type": "string",
            "text": "Hur hög?",
            "required": True,
            "enableWhen": [{"question": "fever", "operator": "=", "answer": True}],
        },
    ]

    saved = send(admin, "PUT", f"/services/{open_service.pk}/questionnaire", {"title": "Intyg", "items": items})
    assert saved.status_code == 200, saved.content
    assert saved.json()["draft"]["items"][1]["enableWhen"][0]["question"] == "fever"

    published = send(admin, "POST", f"/services/{open_service.pk}/questionnaire/publish")
    assert published.status_code == 200
    assert published.json()["published"]["version"] == before["published"]["version"] + 1
    assert published.json()["draft"] is None
    assert Questionnaire.objects.filter(service=open_service, status=QuestionnaireStatus.RETIRED).exists()
    again = send(admin, "POST", f"/services/{open_service.pk}/questionnaire/publish")
    assert again.status_code == 409


@pytest.mark.rule("RX-5")
def test_the_administrator_sets_the_narcotics_policy_through_the_api(provider_admin, provider):
    admin = client_for(provider_admin)
    wanted = next(value for value in NarcoticsPolicy.values if value != get_renewal_policy(provider.pk).narcotics)

    response = send(admin, "PATCH", "/policies", {"narcotics": wanted})

    assert response.status_code == 200 and response.json()["narcotics"] == wanted
    assert get_renewal_policy(provider.pk).narcotics == wanted
    assert send(admin, "PATCH", "/policies", {"narcotics": "alltid"}).status_code in (400, 422)
    assert get_renewal_policy(provider.pk).narcotics == wanted


def test_the_administrator_adds_a_staff_member(provider_admin, provider):
    admin = client_for(provider_admin)
    body = {"given_name": "Sara", "surname": "Nilsson", "hsa_id": "SE2321000016-NS02", "profession": "nurse"}

    response = send(admin, "POST", "/staff", body)

    assert response.status_code == 201
    assert Staff.objects.get(hsa_id="SE2321000016-NS02").provider_id == provider.pk
    taken = send(admin, "POST", "/staff", body)
    assert taken.status_code == 400 and "hsa_id" in taken.json()["errors"]  # the HSA-id is taken now
    assert Staff.objects.filter(hsa_id="SE2321000016-NS02").count() == 1


def test_who_may_use_the_settings_api(handler_x, unit_x, unit_admin_x, provider_admin_other, open_service, unit_y):
    handler = client_for(handler_x, unit_x, "handler")
    assert send(handler, "GET", "/units").status_code == 403
    head = client_for(unit_admin_x, unit_x, "unit_admin")
    assert send(head, "GET", "/policies").status_code == 403
    assert send(head, "GET", f"/units/{unit_y.pk}/roles").status_code == 404
    other = client_for(provider_admin_other)
    assert send(other, "PATCH", f"/services/{open_service.pk}", {"min_age": 1}).status_code == 404
    assert send(other, "GET", f"/units/{unit_x.pk}/roles").status_code == 404
