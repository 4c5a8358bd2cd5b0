"""/api/v1/records: the journal for residents and a case's notes for staff, with problem+json refusals."""

from __future__ import annotations

import json

import pytest

from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.models import AuditEntry
from vardnav.records.models import RecordNote
from vardnav.records.tests.builders import handled, submit, summary

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.rule("REC-1")
@pytest.mark.rule("VISIT-10")
def test_a_handler_signs_a_shared_summary_through_the_api_and_reads_the_notes(world, client):
    case = handled(world, submit(world))
    log_in_client(client, staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    url = f"/api/v1/records/cases/{case.pk}/notes"
    created = _post(
        client,
        url,
        {"body": "Förkylning.", "kind": "summary", "diagnosis_codes": ["j06.9"], "shared_with_resident": True},
    )
    assert created.status_code == 201
    body = created.json()
    assert body["diagnoses"] == [{"code": "J06.9", "title": "Akut övre luftvägsinfektion, ospecificerad"}]
    assert (body["author_profession"], body["shared_with_resident"]) == ("doctor", True)
    amended = _post(client, url, {"body": "Tillägg: feberfri.", "amends": body["id"]})
    assert amended.status_code == 201 and amended.json()["amends"] == body["id"]
    listed = client.get(url)
    assert [note["id"] for note in listed.json()] == [body["id"], amended.json()["id"]]
    assert AuditEntry.objects.filter(action="record.read", object_id=str(case.pk)).count() == 1


@pytest.mark.rule("REC-1")
def test_bad_input_is_problem_json_next_to_its_field_and_saves_nothing(world, client):
    case = handled(world, submit(world))
    log_in_client(client, staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    answer = _post(
        client,
        f"/api/v1/records/cases/{case.pk}/notes",
        {"body": " ", "kind": "note", "diagnosis_codes": ["ZZ9"], "shared_with_resident": True},
    )
    assert answer.status_code == 422
    assert answer["Content-Type"].startswith("application/problem+json")
    errors = answer.json()["errors"]
    assert set(errors) == {"body", "diagnosis_codes", "shared_with_resident"}
    assert not RecordNote.objects.exists()


@pytest.mark.rule("REC-1")
def test_staff_without_a_care_relation_get_the_same_404_as_for_a_missing_case(world, client):
    case = handled(world, submit(world))
    log_in_client(client, staff_identity(world.handler_y, unit=world.unit_y, role="handler"))
    for url in (f"/api/v1/records/cases/{case.pk}/notes", "/api/v1/records/cases/999999999/notes"):
        answer = client.get(url)
        assert answer.status_code == 404 and answer.json()["code"] == "no-care-relation"
    assert not AuditEntry.objects.filter(action="record.read").exists()


@pytest.mark.rule("REC-2")
def test_the_resident_reads_their_journal_through_the_api(world, client):
    case = handled(world, submit(world))
    summary(world, case, body="Förkylning. Åter vid feber.")
    log_in_client(client, resident_identity(world.resident_a))
    page = client.get("/api/v1/records/journal").json()
    assert page["items"][0]["kind"] == "summary" and page["items"][0]["body"] == "Förkylning. Åter vid feber."
    assert page["items"][0]["diagnoses"][0]["code"] == "J06.9"
    assert page["items"][-1]["kind"] == "answers" and page["items"][-1]["answers"]["subject"] == "Halsont"
    forged = client.get("/api/v1/records/journal?after=xyz")
    assert forged.status_code == 400 and forged.json()["code"] == "invalid-cursor"
    log_in_client(client, resident_identity(world.resident_b))
    assert client.get("/api/v1/records/journal").json()["items"] == []
