"""External intake (CASE-7, CASE-10): another channel or a phone contact registers a case for a resident.

The integration authenticates with its provider's bearer token; the case then
belongs to the resident, who reads it in "Mina ärenden" and continues the
dialogue there (tested through the resident API).
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.personas import make_service, make_staff
from tests.sessions import log_in_client, resident_identity
from vardnav.audit.models import AuditEntry
from vardnav.cases.models import Case, Channel, MessageKind
from vardnav.catalog.actions import do_offer_service
from vardnav.catalog.models import ServiceKind
from vardnav.core.actor import Actor
from vardnav.demo import identities as ids
from vardnav.integrations.actions import do_create_integration_token, do_revoke_integration_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/integrations/cases"
ANSWERS = {"subject": "Provsvar", "details": "Ringde om mitt provsvar från i tisdags, vill ha svar skriftligt."}
# A valid test personal number (Skatteverket's list) that the demo population register does not hold.
NOT_IN_REGISTER = "197001239297"


@pytest.fixture
def secret(provider):
    _, secret = do_create_integration_token(Actor.system(), provider, name="1177 e-tjänster")
    return secret


def post(body: dict, secret: str | None, **headers) -> object:
    if secret is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return Client().post(URL, data=json.dumps(body), content_type="application/json", **headers)


def body(unit, **overrides) -> dict:
    return {
        "personal_number": ids.RESIDENT_A,
        "service_kind": ServiceKind.CONTACT_UNIT,
        "unit_hsa_id": unit.hsa_id,
        "answers": ANSWERS,
        "channel": "external",
        **overrides,
    }


def resident_client(person) -> Client:
    return log_in_client(Client(), resident_identity(person))


@pytest.mark.rule("CASE-7")
def test_case_7_an_external_case_reaches_the_residents_inbox_and_the_dialogue_continues_there(
    secret, unit_x, resident_a
):
    response = post(body(unit_x), secret)

    assert response.status_code == 201, response.content
    created = response.json()
    case = Case.objects.get(pk=created["id"])
    assert case.channel == Channel.EXTERNAL
    assert case.subject_id == case.submitted_by_id == resident_a.pk
    assert case.unit_id == unit_x.pk and case.registered_by_staff_id is None
    assert case.answers == ANSWERS and case.due_at > case.submitted_at
    entry = AuditEntry.objects.get(action="case.register_external", object_id=str(case.pk))
    assert entry.actor_kind == "integration" and entry.provider_id == unit_x.provider_id

    resident = resident_client(resident_a)
    mine = resident.get("/api/v1/cases").json()["items"]
    assert [(item["number"], item["unread"]) for item in mine] == [(created["number"], True)]
    detail = resident.get(f"/api/v1/cases/{case.pk}").json()
    assert detail["answers"] == ANSWERS
    reply = resident.post(
        f"/api/v1/cases/{case.pk}/messages",
        data=json.dumps({"body": "Jag kan också nås på mejl."}),
        content_type="application/json",
    )
    assert reply.status_code == 201, reply.content
    assert list(case.messages.values_list("kind", flat=True)) == [
        MessageKind.SUBMISSION,
        MessageKind.RESIDENT_MESSAGE,
    ]


@pytest.mark.rule("CASE-7")
def test_case_7_a_phone_contact_names_the_staff_member_who_took_the_call(secret, unit_x, handler_x, resident_a):
    missing = post(body(unit_x, channel="phone"), secret)
    assert missing.status_code == 422
    assert missing["Content-Type"] == "application/problem+json"
    assert "registered_by_hsa_id" in missing.json()["errors"]
    assert not Case.objects.exists()

    response = post(body(unit_x, channel="phone", registered_by_hsa_id=handler_x.hsa_id), secret)

    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert case.channel == Channel.PHONE
    assert case.registered_by_staff_id == handler_x.pk
    assert case.submitted_by_id == resident_a.pk


@pytest.mark.rule("CASE-7")
def test_case_7_staff_of_another_provider_cannot_be_named_as_the_one_who_took_the_call(secret, unit_x, other_provider):
    outsider = make_staff(other_provider, "SE2321000017-HO1", "Otto", "doctor")
    response = post(body(unit_x, channel="phone", registered_by_hsa_id=outsider.hsa_id), secret)
    assert response.status_code == 422
    assert not Case.objects.exists()


@pytest.mark.rule("CASE-7")
def test_case_7_a_listing_bound_case_goes_to_the_residents_listed_unit(secret, unit_x, unit_y, contact, resident_a):
    assert contact.listing_bound
    response = post(body(unit_y, service_kind=ServiceKind.CONTACT_UNIT), secret)

    assert response.status_code == 201, response.content
    assert response.json()["unit_hsa_id"] == unit_x.hsa_id
    assert Case.objects.get(pk=response.json()["id"]).unit_id == unit_x.pk


@pytest.mark.rule("CASE-7")
def test_case_7_invalid_answers_are_checked_by_the_questionnaire_and_save_nothing(secret, unit_x):
    response = post(body(unit_x, answers={"subject": "Provsvar"}), secret)
    assert response.status_code == 422
    assert response.json()["errors"]["details"] == ["Fyll i ”Beskriv”."]
    assert not Case.objects.exists()


@pytest.mark.rule("CASE-7")
def test_case_7_a_unit_of_another_provider_is_not_found(secret, other_provider, other_unit):
    """The other provider's unit offers the service asked for, but the token is this provider's."""
    do_offer_service(Actor.system(), other_unit, make_service(other_provider, ServiceKind.CONTACT_UNIT))
    response = post(body(other_unit, personal_number=ids.RESIDENT_B), secret)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert not Case.objects.exists()


@pytest.mark.rule("CASE-7")
def test_case_7_a_service_the_unit_does_not_offer_is_not_found(other_provider, other_unit):
    """The other provider offers services per unit, and its unit offers none."""
    _, secret = do_create_integration_token(Actor.system(), other_provider, name="Journalsystem")
    response = post(body(other_unit, personal_number=ids.RESIDENT_B, service_kind=ServiceKind.COMPLAINT), secret)
    assert response.status_code == 404
    assert not Case.objects.exists()


@pytest.mark.rule("CASE-7")
@pytest.mark.parametrize("number", [NOT_IN_REGISTER, "197001239290"])
def test_case_7_a_person_not_in_the_population_register_is_refused(secret, unit_x, number):
    response = post(body(unit_x, personal_number=number), secret)
    assert response.status_code == 422
    assert "personal_number" in response.json()["errors"]
    assert not Case.objects.exists()


@pytest.mark.rule("CASE-7")
def test_case_7_unknown_revoked_and_missing_tokens_get_401_problem_json(provider, unit_x):
    token, secret = do_create_integration_token(Actor.system(), provider, name="Gammalt system")
    do_revoke_integration_token(Actor.system(), token)
    for credential in (secret, "vnv_" + "x" * 43, None):
        response = post(body(unit_x), credential)
        assert response.status_code == 401, credential
        assert response["Content-Type"] == "application/problem+json"
    assert not Case.objects.exists()


@pytest.mark.rule("CASE-7")
def test_case_7_a_residents_session_is_no_integration_credential(unit_x, resident_a):
    response = resident_client(resident_a).post(URL, data=json.dumps(body(unit_x)), content_type="application/json")
    assert response.status_code == 401
    assert not Case.objects.exists()


@pytest.mark.rule("CASE-6")
@pytest.mark.rule("CASE-7")
def test_case_7_a_repeated_idempotency_key_returns_the_first_case(secret, unit_x):
    first = post(body(unit_x), secret, HTTP_IDEMPOTENCY_KEY="1177-request-0001")
    again = post(body(unit_x), secret, HTTP_IDEMPOTENCY_KEY="1177-request-0001")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Case.objects.count() == 1
    other = post(
        body(unit_x, answers={**ANSWERS, "subject": "Annat"}), secret, HTTP_IDEMPOTENCY_KEY="1177-request-0001"
    )
    assert other.status_code == 409


@pytest.mark.rule("CASE-6")
@pytest.mark.rule("CASE-7")
def test_case_6_the_same_request_from_the_web_and_the_integration_is_a_probable_duplicate(secret, unit_x, resident_a):
    from vardnav.catalog.models import Service

    service = Service.objects.get(provider=unit_x.provider, kind=ServiceKind.CONTACT_UNIT)
    web = resident_client(resident_a).post(
        "/api/v1/cases",
        data=json.dumps({"service_id": service.pk, "unit_id": unit_x.pk, "answers": ANSWERS}),
        content_type="application/json",
    )
    assert web.status_code == 201, web.content

    response = post(body(unit_x, service_kind=None, service_id=service.pk), secret)

    assert response.status_code == 201, response.content
    assert response.json()["probable_duplicate_of"] == web.json()["number"]
    case = Case.objects.get(pk=response.json()["id"])
    assert case.duplicate_of_id == web.json()["id"]
    assert "probable_duplicate" in set(case.flags.values_list("code", flat=True))


@pytest.mark.parametrize("services", [{"service_id": 1}, {"service_kind": None}])
def test_service_id_and_service_kind_are_one_or_the_other(secret, unit_x, services):
    """Both or neither is a 400 with its own code: the schema allows each alone, so 422 would contradict it."""
    response = post(body(unit_x, **services), secret)
    assert response.status_code == 400
    assert response.json()["code"] == "one-service"
    assert "service_kind" in response.json()["errors"]["service_id"][0]
    assert not Case.objects.exists()


def test_an_external_case_checks_the_units_offer_once(secret, unit_x, monkeypatch):
    """The offer (ORG-2) is looked up once per submission, after routing, and not again below
    (access_offer's query, or access_offer_of's compiled one for the service already read)."""
    from vardnav.catalog import access as catalog_access

    calls = []
    original = catalog_access.services_offered_at

    def counting(unit):
        calls.append(unit.pk)
        return original(unit)

    monkeypatch.setattr(catalog_access, "services_offered_at", counting)
    for compiled in catalog_access._OFFERED_QUESTIONNAIRE.values():

        def counting_first(*, _first=compiled.first, **values):
            calls.append(values["unit_id"])
            return _first(**values)

        monkeypatch.setattr(compiled, "first", counting_first)
    assert post(body(unit_x), secret, HTTP_IDEMPOTENCY_KEY="1177-request-0009").status_code == 201
    assert calls == [Case.objects.get().unit_id]
