"""The cases API: same rules as the actions, problem+json for mistakes, idempotent POSTs (CASE-5, CASE-6)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.cases.api import StaffCaseOut
from vardnav.cases.models import Case, Message

ANSWERS = {"subject": "Fråga om provsvar", "details": "Jag undrar över mitt provsvar från förra veckan."}


def client_for(identity) -> Client:
    return log_in_client(Client(), identity)


def post(client, path, payload, **headers):
    return client.post(path, data=json.dumps(payload), content_type="application/json", **headers)


@pytest.fixture
def resident(world):
    return client_for(resident_identity(world.resident_a))


def submit(client, world, **headers):
    return post(client, "/api/v1/cases", {"service_id": world.contact.pk, "answers": ANSWERS}, **headers)


def test_a_resident_submits_and_reads_the_case(world, resident):
    response = submit(resident, world)
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    listing = resident.get("/api/v1/cases").json()
    assert [item["number"] for item in listing["items"]] == [number]
    detail = resident.get(f"/api/v1/cases/{response.json()['id']}").json()
    assert detail["answers"] == ANSWERS
    assert [m["kind"] for m in detail["messages"]] == ["submission"]


@pytest.mark.rule("CASE-6")
def test_a_created_case_and_message_answer_in_the_documented_shape_with_utc_moments(world, resident):
    """The write answers are rendered from the idempotency record's body without ninja validating them
    again, so they must already be what the schema documents: plain values, moments in UTC with "Z"."""
    created = submit(resident, world, HTTP_IDEMPOTENCY_KEY="shape-key-0001")
    assert created.status_code == 201
    assert created["Content-Type"].startswith("application/json")
    body = created.json()
    case = Case.objects.get(pk=body["id"])
    assert body == {
        "id": case.pk,
        "number": case.number,
        "status": "new",
        "due_at": case.due_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "probable_duplicate_of": None,
    }
    assert body["due_at"].endswith("Z")
    message = post(resident, f"/api/v1/cases/{case.pk}/messages", {"body": "En fråga till."})
    assert message.status_code == 201
    written = Message.objects.get(pk=message.json()["id"])
    assert message.json() == {
        "id": written.pk,
        "kind": "resident_message",
        "created_at": written.created_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
    }
    assert submit(resident, world, HTTP_IDEMPOTENCY_KEY="shape-key-0001").json() == body


def test_missing_answers_are_problem_json_in_swedish_and_save_nothing(world, resident):
    response = post(resident, "/api/v1/cases", {"service_id": world.contact.pk, "answers": {"subject": ""}})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"]["details"] == ["Fyll i ”Beskriv”."]
    assert not Case.objects.exists()


def test_an_unknown_service_is_a_404(world, resident):
    response = post(resident, "/api/v1/cases", {"service_id": 999999, "answers": ANSWERS})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.rule("CASE-6")
def test_the_same_idempotency_key_returns_the_first_response_and_creates_nothing(world, resident):
    first = submit(resident, world, HTTP_IDEMPOTENCY_KEY="retry-key-0001")
    again = submit(resident, world, HTTP_IDEMPOTENCY_KEY="retry-key-0001")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Case.objects.count() == 1
    other = post(
        resident,
        "/api/v1/cases",
        {"service_id": world.contact.pk, "answers": {**ANSWERS, "subject": "Något annat"}},
        HTTP_IDEMPOTENCY_KEY="retry-key-0001",
    )
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency-key-reused"


def test_a_refused_submission_does_not_burn_the_idempotency_key(world, resident):
    bad = post(
        resident,
        "/api/v1/cases",
        {"service_id": world.contact.pk, "answers": {}},
        HTTP_IDEMPOTENCY_KEY="retry-key-0002",
    )
    assert bad.status_code == 422
    assert submit(resident, world, HTTP_IDEMPOTENCY_KEY="retry-key-0002").status_code == 201


def test_another_residents_case_is_404(world, resident):
    case_id = submit(resident, world).json()["id"]
    other = client_for(resident_identity(world.resident_b))
    assert other.get(f"/api/v1/cases/{case_id}").status_code == 404
    assert post(other, f"/api/v1/cases/{case_id}/messages", {"body": "Hej"}).status_code == 404


def test_anonymous_callers_get_401(world):
    response = Client().get("/api/v1/cases")
    assert response.status_code == 401


@pytest.mark.rule("CASE-5")
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_no_api_path_edits_or_deletes_a_case_or_a_message(world, resident, method):
    case_id = submit(resident, world).json()["id"]
    message_id = Message.objects.get(case_id=case_id).pk
    staff = client_for(staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))
    for client, path in [
        (resident, f"/api/v1/cases/{case_id}"),
        (resident, f"/api/v1/cases/{case_id}/messages"),
        (resident, f"/api/v1/cases/{case_id}/messages/{message_id}"),
        (staff, f"/api/v1/staff/cases/{case_id}"),
    ]:
        response = getattr(client, method)(path, data="{}", content_type="application/json")
        assert response.status_code in (404, 405), (method, path, response.status_code)
    assert Case.objects.filter(pk=case_id).exists()
    assert Message.objects.filter(pk=message_id).exists()


def test_the_whole_dialogue_through_the_api(world, resident):
    case_id = submit(resident, world).json()["id"]
    receiver = client_for(staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))
    handler = client_for(staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    inbox = receiver.get("/api/v1/staff/inbox").json()
    assert [item["id"] for item in inbox["items"]] == [case_id] and inbox["counts"]["new"] == 1
    assert handler.get("/api/v1/staff/inbox").json()["items"] == []
    distributed = post(receiver, f"/api/v1/staff/cases/{case_id}/distribute", {"handler_id": world.handler_x.pk})
    assert distributed.status_code == 200, distributed.content
    assert post(handler, f"/api/v1/staff/cases/{case_id}/questions", {"body": "Vilket datum?"}).status_code == 201
    assert post(resident, f"/api/v1/cases/{case_id}/messages", {"body": "Den 12 november."}).status_code == 201
    replied = post(
        handler, f"/api/v1/staff/cases/{case_id}/replies", {"answers": {"reply": "Allt ser bra ut."}, "close": True}
    )
    assert replied.status_code == 201, replied.content
    detail = resident.get(f"/api/v1/cases/{case_id}").json()
    assert detail["status"] == "closed"
    assert [m["kind"] for m in detail["messages"]] == ["submission", "question", "resident_message", "reply"]


def test_the_staff_case_view_answers_exactly_what_its_schema_documents(world, resident):
    """The case view renders plain values without ninja validating them again: they must already be
    StaffCaseOut, key for key, moments in UTC with "Z", labels as text."""
    case_id = submit(resident, world).json()["id"]
    assert post(resident, f"/api/v1/cases/{case_id}/messages", {"body": "Den 12 november."}).status_code == 201
    receiver = client_for(staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))
    response = receiver.get(f"/api/v1/staff/cases/{case_id}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert StaffCaseOut.model_validate(body).model_dump(mode="json") == body
    assert body["status_label"] == "Ny" and body["due_at"].endswith("Z")
    assert [(m["kind"], m["author"]) for m in body["messages"]] == [
        ("submission", "Invånaren"),
        ("resident_message", "Invånaren"),
    ]
    assert body["answers"] == ANSWERS and body["reply_form"]


def test_a_handler_at_another_unit_cannot_open_the_case(world, resident):
    case_id = submit(resident, world).json()["id"]
    other = client_for(staff_identity(world.handler_y, unit=world.unit_y, role="handler"))
    assert other.get(f"/api/v1/staff/cases/{case_id}").status_code == 404


def test_a_resident_cannot_use_the_staff_api(world, resident):
    assert resident.get("/api/v1/staff/inbox").status_code == 401


@pytest.mark.rule("CASE-6")
def test_a_staff_reply_retried_with_the_same_idempotency_key_is_stored_once(world, resident):
    """Why: a handler's client that lost the answer (a restart of the database mid-request) retries safely."""
    case_id = submit(resident, world).json()["id"]
    receiver = client_for(staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))
    handler = client_for(staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    post(receiver, f"/api/v1/staff/cases/{case_id}/distribute", {"handler_id": world.handler_x.pk})
    body = {"answers": {"reply": "Provsvaret är normalt."}, "close": False}
    path = f"/api/v1/staff/cases/{case_id}/replies"

    first = post(handler, path, body, HTTP_IDEMPOTENCY_KEY="reply-key-0001")
    again = post(handler, path, body, HTTP_IDEMPOTENCY_KEY="reply-key-0001")
    other = post(handler, path, {**body, "answers": {"reply": "Annat."}}, HTTP_IDEMPOTENCY_KEY="reply-key-0001")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert other.status_code == 409
    assert Message.objects.filter(case_id=case_id, kind="reply").count() == 1
