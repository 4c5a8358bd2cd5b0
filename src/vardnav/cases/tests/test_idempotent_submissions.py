"""One idempotency helper for the web, the API and the integrations (CASE-6), and one offer check per submission.

A web form's hidden one-time key and an API client's Idempotency-Key are the
same thing to core.idempotency.run_idempotent: a repeat replays the first
answer, a key reused for other content is refused with the same registered code.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.personas import actor_for
from tests.sessions import log_in_client, resident_identity
from vardnav.cases.actions import do_submit_case
from vardnav.cases.models import Case, Message, MessageKind
from vardnav.catalog import access as catalog_access
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import CoreError, DomainError
from vardnav.core.idempotency import run_idempotent
from vardnav.core.models import IdempotencyRecord

ANSWERS = {"subject": "Fråga om provsvar", "details": "Jag undrar över mitt provsvar från förra veckan."}
REUSED = str(CoreError.IDEMPOTENCY_KEY_REUSED.message)


@pytest.fixture
def resident(world):
    return log_in_client(Client(), resident_identity(world.resident_a))


def form_url(world) -> str:
    return f"/e-tjanster/{world.unit_x.slug}/{world.contact.pk}/"


def api_submit(client: Client, world, answers: dict, key: str, *, routed: bool = False):
    """A case for the contact service at unit X, or (`routed`) wherever routing sends it (CASE-1)."""
    where = {} if routed else {"unit_id": world.unit_x.pk}
    return client.post(
        "/api/v1/cases",
        data=json.dumps({"service_id": world.contact.pk, **where, "answers": answers}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


@pytest.fixture
def offer_checks(monkeypatch):
    """Counts how often a unit's offer is looked up (access_offer's query, or access_offer_of's compiled
    one for a service already read), without changing either."""
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
    return calls


@pytest.mark.rule("CASE-6")
def test_a_web_form_key_reused_with_other_answers_is_refused_next_to_the_form_and_creates_nothing(world, resident):
    first = resident.post(form_url(world), {**ANSWERS, "submission_key": "web-key-0000001"})
    assert first.status_code == 302
    other = resident.post(form_url(world), {**ANSWERS, "subject": "Något annat", "submission_key": "web-key-0000001"})
    assert other.status_code == 422
    assert REUSED in other.content.decode()
    assert Case.objects.count() == 1


@pytest.mark.rule("CASE-6")
def test_a_resent_message_form_lands_once(world, resident):
    resident.post(form_url(world), {**ANSWERS, "submission_key": "web-key-0000002"})
    case = Case.objects.get()
    data = {"body": "Jag glömde nämna att det gäller blodprovet.", "submission_key": "web-key-0000003"}
    first = resident.post(f"/arenden/{case.pk}/", data)
    again = resident.post(f"/arenden/{case.pk}/", data)
    assert first.status_code == again.status_code == 302
    assert Message.objects.filter(case=case, kind=MessageKind.RESIDENT_MESSAGE).count() == 1


@pytest.mark.rule("CASE-6")
def test_one_key_is_one_request_whether_it_came_from_the_web_or_the_api(world, resident):
    """The key belongs to the resident, not to the channel: the API refuses a key the web form already used."""
    resident.post(form_url(world), {**ANSWERS, "submission_key": "shared-key-00001"})
    response = api_submit(resident, world, ANSWERS, "shared-key-00001")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "idempotency-key-reused"
    assert Case.objects.count() == 1


def test_the_same_key_from_two_residents_are_two_requests(world, resident):
    other = log_in_client(Client(), resident_identity(world.resident_b))
    assert api_submit(resident, world, ANSWERS, "same-key-000001", routed=True).status_code == 201
    response = api_submit(other, world, ANSWERS, "same-key-000001", routed=True)
    assert response.status_code == 201, response.content.decode()
    assert Case.objects.count() == 2
    assert IdempotencyRecord.objects.filter(key="same-key-000001").count() == 2


def test_a_replay_runs_nothing_and_says_it_is_a_replay(world):
    actor = Actor(kind=ActorKind.RESIDENT, person_id=world.resident_a.pk)
    runs = []

    def write():
        runs.append(1)
        return 201, {"id": len(runs)}

    first = run_idempotent(actor, "helper-key-0001", "test.write", {"a": 1}, write)
    again = run_idempotent(actor, "helper-key-0001", "test.write", {"a": 1}, write)
    assert (first.body, first.replayed) == ({"id": 1}, False)
    assert (again.status, again.body, again.replayed) == (201, {"id": 1}, True)
    assert runs == [1]
    with pytest.raises(DomainError) as refused:
        run_idempotent(actor, "helper-key-0001", "test.other_write", {"a": 1}, write)
    assert refused.value.code == CoreError.IDEMPOTENCY_KEY_REUSED
    assert runs == [1]


def test_without_a_key_every_request_runs(world):
    actor = Actor(kind=ActorKind.RESIDENT, person_id=world.resident_a.pk)
    runs = []

    def write():
        runs.append(1)
        return 201, {}

    run_idempotent(actor, None, "test.write", {}, write)
    run_idempotent(actor, "", "test.write", {}, write)
    assert runs == [1, 1]
    assert not IdempotencyRecord.objects.exists()


def test_a_web_submission_checks_the_offer_once(world, resident, offer_checks):
    response = resident.post(form_url(world), {**ANSWERS, "submission_key": "offer-key-00001"})
    assert response.status_code == 302
    assert offer_checks == [world.unit_x.pk]


@pytest.mark.parametrize("routed", [False, True], ids=["unit-chosen", "routed-to-the-listed-unit"])
def test_an_api_submission_checks_the_offer_once(world, resident, offer_checks, routed):
    assert api_submit(resident, world, ANSWERS, "offer-key-00002", routed=routed).status_code == 201
    assert offer_checks == [Case.objects.get().unit_id]


@pytest.mark.rule("CASE-6")
def test_a_rerun_safe_write_repeated_with_its_key_is_rolled_back_and_answered_from_the_first(world):
    """rerun_safe: no look-up first; the repeat runs, fails on the record's unique key, and nothing of it stays."""
    actor = actor_for(world.resident_a)
    runs = []

    def write():
        case = do_submit_case(actor, service=world.contact, unit=world.unit_x, answers=dict(ANSWERS))
        runs.append(case.pk)
        return 201, {"id": case.pk}

    first = run_idempotent(actor, "rerun-safe-0001", "test.write", {"a": 1}, write, rerun_safe=True)
    again = run_idempotent(actor, "rerun-safe-0001", "test.write", {"a": 1}, write, rerun_safe=True)
    assert (first.body, first.replayed) == ({"id": runs[0]}, False)
    assert (again.status, again.body, again.replayed) == (201, {"id": runs[0]}, True)
    assert len(runs) == 2  # it ran again…
    assert list(Case.objects.filter(subject=world.resident_a).values_list("pk", flat=True)) == [
        runs[0]
    ]  # …and left nothing
    with pytest.raises(DomainError) as refused:
        run_idempotent(actor, "rerun-safe-0001", "test.write", {"a": 2}, write, rerun_safe=True)
    assert refused.value.code == CoreError.IDEMPOTENCY_KEY_REUSED
    assert Case.objects.filter(subject=world.resident_a).count() == 1
    assert IdempotencyRecord.objects.filter(key="rerun-safe-0001").count() == 1


@pytest.mark.rule("CASE-6")
def test_a_rerun_safe_repeat_that_the_write_itself_refuses_still_gets_the_first_answer(world):
    actor = Actor(kind=ActorKind.RESIDENT, person_id=world.resident_a.pk)
    calls = []

    def write_once():
        calls.append(1)
        if len(calls) > 1:
            raise CoreError.IDEMPOTENCY_KEY_REUSED.error()  # any refusal: e.g. "already sent"
        return 201, {"done": True}

    run_idempotent(actor, "rerun-safe-0002", "test.write", {}, write_once, rerun_safe=True)
    again = run_idempotent(actor, "rerun-safe-0002", "test.write", {}, write_once, rerun_safe=True)
    assert (again.body, again.replayed) == ({"done": True}, True)
    # Without a record, the refusal is the write's own.
    with pytest.raises(DomainError):
        run_idempotent(actor, "rerun-safe-0003", "test.write", {}, write_once, rerun_safe=True)
    assert not IdempotencyRecord.objects.filter(key="rerun-safe-0003").exists()


@pytest.mark.rule("CASE-6")
def test_an_api_submission_repeated_with_its_key_is_one_case(world, resident):
    first = api_submit(resident, world, ANSWERS, "api-repeat-00001")
    again = api_submit(resident, world, ANSWERS, "api-repeat-00001")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Case.objects.filter(subject=world.resident_a).count() == 1
