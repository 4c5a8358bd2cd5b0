"""Insurer requests through the integration API (REC-9), and the resident's powers of attorney and the
early-access applications in /api/v1 (REC-8), with problem+json refusals."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.core.actor import Actor
from vardnav.integrations.actions import do_create_integration_token
from vardnav.integrations.models import IntegrationScope, IntegrationToken
from vardnav.records.actions import do_link_insurer_token, do_register_early_access, do_revoke_power_of_attorney
from vardnav.records.insurance import INSURER_REQUESTS_SCOPE
from vardnav.records.models import InsurerRequest, InsurerRequestOutcome, PowerOfAttorney
from vardnav.records.tests.builders import handled, handler, summary
from vardnav.records.tests.test_early_access import child_case, granted
from vardnav.records.tests.test_insurance import submit_insured

pytestmark = pytest.mark.django_db

URL = "/api/v1/integrations/insurer-requests"


def insurer_token(world, insurer, *, provider=None, link=True):
    provider = provider or world.provider
    name = f"Försäkring {insurer.code} {'kopplad' if link else 'okopplad'}"
    _, secret = do_create_integration_token(Actor.system(), provider, name=name, scopes=[INSURER_REQUESTS_SCOPE])
    if link:
        token = IntegrationToken.objects.get(provider=provider, name=name)
        do_link_insurer_token(Actor.system(), provider, insurer, token=token)
    return secret


def post(secret, body):
    return Client().post(URL, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_scope_is_the_same_value_in_both_apps():
    assert IntegrationScope.INSURER_REQUESTS == INSURER_REQUESTS_SCOPE


@pytest.mark.rule("REC-9")
def test_an_insurer_gets_the_summary_under_a_power_of_attorney_and_a_repeat_changes_nothing(world, insurance):
    service, skandia, _folksam = insurance
    case = handled(world, submit_insured(world, service))
    summary(world, case, codes="M54.5")
    secret = insurer_token(world, skandia)
    body = {"case_number": case.number, "personal_number": world.resident_a.personal_number, "reference": "S-1"}

    first = post(secret, body)
    assert first.status_code == 201
    released = first.json()
    assert released["outcome"] == "released" and released["summaries"][0]["diagnoses"][0]["code"] == "M54.5"
    again = post(secret, body)
    assert again.status_code == 200 and again.json() == released
    stored = InsurerRequest.objects.get()
    assert (stored.outcome, stored.reference, stored.registered_by_id) == ("released", "S-1", None)
    assert AuditEntry.objects.filter(action=AuditEvent.INSURER_REQUEST).count() == 1

    reused = post(secret, body | {"case_number": "X-0000000"})
    assert reused.status_code == 409 and reused["Content-Type"] == "application/problem+json"

    # Revoked: a new request is refused (stored and logged), and a repeat of the old one releases nothing more.
    do_revoke_power_of_attorney(world.resident(world.resident_a), PowerOfAttorney.objects.get())
    refused = post(secret, body | {"reference": "S-2"})
    assert refused.status_code == 403 and refused.json()["code"] == "power-of-attorney-required"
    assert post(secret, body).status_code == 403
    assert InsurerRequest.objects.get(reference="S-2").outcome == InsurerRequestOutcome.REFUSED


@pytest.mark.rule("REC-9")
def test_without_a_power_of_attorney_for_that_insurer_the_request_is_refused_stored_and_audited(world, insurance):
    service, _skandia, folksam = insurance
    case = handled(world, submit_insured(world, service))  # the power names Skandia
    summary(world, case)
    secret = insurer_token(world, folksam)
    body = {"case_number": case.number, "personal_number": world.resident_a.personal_number, "reference": "F-1"}
    refused = post(secret, body)
    assert refused.status_code == 403 and refused.json()["code"] == "power-of-attorney-required"
    stored = InsurerRequest.objects.get()
    assert stored.outcome == "refused" and stored.released == [] and stored.insurer == folksam
    entry = AuditEntry.objects.filter(action=AuditEvent.INSURER_REQUEST).get()
    assert entry.extra["outcome"] == "refused" and entry.subject_person_id == world.resident_a.pk


@pytest.mark.rule("REC-9")
def test_an_unlinked_token_another_providers_token_or_the_wrong_person_get_no_case(world, insurance):
    service, skandia, _folksam = insurance
    case = handled(world, submit_insured(world, service))
    body = {"case_number": case.number, "personal_number": world.resident_a.personal_number, "reference": "R-1"}
    unlinked = post(insurer_token(world, skandia, link=False), body)
    assert unlinked.status_code == 403 and unlinked.json()["code"] == "insurer-token-not-linked"
    other = post(insurer_token(world, skandia, provider=world.other_provider), body)
    assert other.status_code == 404
    secret = insurer_token(world, skandia)
    wrong_person = post(secret, body | {"personal_number": world.resident_b.personal_number})
    assert wrong_person.status_code == 404
    malformed = post(secret, body | {"personal_number": "12345"})
    assert malformed.status_code == 404
    assert not InsurerRequest.objects.exists()
    lab = do_create_integration_token(Actor.system(), world.provider, name="Lab", scopes=["labs:results"])[1]
    assert post(lab, body).status_code == 403


@pytest.mark.rule("REC-9")
def test_the_resident_lists_and_revokes_powers_of_attorney_through_the_api(world, insurance, client):
    service, _skandia, _folksam = insurance
    case = handled(world, submit_insured(world, service))
    log_in_client(client, resident_identity(world.resident_a))
    listed = client.get("/api/v1/records/powers-of-attorney").json()
    assert [(p["case_number"], p["in_force"]) for p in listed["powers"]] == [(case.number, True)]
    poa_id = listed["powers"][0]["id"]
    revoked = client.post(f"/api/v1/records/powers-of-attorney/{poa_id}/revoke")
    assert revoked.status_code == 200 and revoked.json()["in_force"] is False
    again = client.post(f"/api/v1/records/powers-of-attorney/{poa_id}/revoke")
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    other = log_in_client(Client(), resident_identity(world.resident_b))
    assert other.post(f"/api/v1/records/powers-of-attorney/{poa_id}/revoke").status_code == 404


@pytest.mark.rule("REC-8")
def test_early_access_through_the_api_staff_register_the_head_decides_and_withdraws_the_child_reads(world):
    case = child_case(world, world.child_14)
    staff = log_in_client(Client(), staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    created = staff.post(f"/api/v1/records/cases/{case.pk}/early-access")
    assert created.status_code == 201 and created.json()["status"] == "pending"
    assert staff.post(f"/api/v1/records/cases/{case.pk}/early-access").status_code == 409
    assert staff.get("/api/v1/records/early-access-applications").status_code == 404  # not the head of unit

    head = log_in_client(Client(), staff_identity(world.unit_admin_x, unit=world.unit_x, role="unit_admin"))
    application_id = created.json()["id"]
    assert [a["id"] for a in head.get("/api/v1/records/early-access-applications").json()] == [application_id]
    url = f"/api/v1/records/early-access-applications/{application_id}"
    no_reason = head.post(f"{url}/decision", json.dumps({"decision": "granted", "reason": ""}), "application/json")
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "decision-reason-required"
    decided = head.post(
        f"{url}/decision", json.dumps({"decision": "granted", "reason": "Moget barn."}), "application/json"
    )
    assert decided.status_code == 200 and decided.json()["status"] == "granted"

    child = log_in_client(Client(), resident_identity(world.child_14) | {"journal_only": True})
    assert [a["status"] for a in child.get("/api/v1/records/early-access").json()] == ["granted"]
    guardian = log_in_client(Client(), resident_identity(world.guardian, acting_for=world.child_14))
    assert [a["status"] for a in guardian.get("/api/v1/records/early-access").json()] == ["granted"]

    withdrawn = head.post(f"{url}/withdraw", json.dumps({"reason": "Ny bedömning."}), "application/json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert child.get("/api/v1/records/early-access").status_code == 401  # the journal-only session ended
    assert guardian.get("/api/v1/records/early-access").json()[0]["status_label"] == "Återkallad"


@pytest.mark.rule("REC-8")
def test_a_granted_access_is_withdrawn_once(world):
    application = granted(world, child_case(world, world.child_14))
    head = log_in_client(Client(), staff_identity(world.unit_admin_x, unit=world.unit_x, role="unit_admin"))
    url = f"/api/v1/records/early-access-applications/{application.pk}/withdraw"
    assert head.post(url, json.dumps({"reason": "Ny bedömning."}), "application/json").status_code == 200
    second = head.post(url, json.dumps({"reason": "Igen."}), "application/json")
    assert second.status_code == 409 and second.json()["code"] == "early-access-not-granted"
    assert do_register_early_access(handler(world), child_case(world, world.child_14)).status == "pending"
