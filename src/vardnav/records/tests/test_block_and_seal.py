"""Block (spärr, REC-5) and seal (försegling, REC-6), and the national view's age rule (REC-7)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.sessions import log_in_client, resident_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError, NotFound
from vardnav.records.access import access_restrictions, national_view
from vardnav.records.actions import (
    do_block,
    do_export_national_summary,
    do_lift_block,
    do_lift_seal,
    do_seal,
    do_set_sharing_period,
)
from vardnav.records.models import Block, NationalSummaryDocument, Seal
from vardnav.records.tests.builders import handled, submit, summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(world):
    """resident_a has two exported summaries: one at unit_x, one at unit_y."""
    do_set_sharing_period(
        world.staff(world.provider_admin),
        provider=world.provider,
        starts_on=dt.date(2020, 1, 1),
        ends_on=None,
        mode="shared",
    )
    at_x = handled(world, submit(world))
    summary(world, at_x, body="Sammanfattning X")
    at_y = submit(world, service=world.open_service, unit=world.unit_y)
    from vardnav.records.actions import do_sign_note

    do_sign_note(world.staff(world.handler_y, world.unit_y, "handler"), at_y, body="Sammanfattning Y", kind="summary")
    do_export_national_summary()
    return at_x, at_y


def national_bodies(actor) -> list[str]:
    return [stored.document.summary_note for stored in national_view(actor).documents]


@pytest.mark.rule("REC-6")
def test_a_seal_hides_the_unit_from_the_residents_own_national_view_at_once_and_the_export_withdraws_it(world, shared):
    me = world.resident(world.resident_a)
    assert sorted(national_bodies(me)) == ["Sammanfattning X", "Sammanfattning Y"]

    seal = do_seal(me, scope="unit", unit_id=world.unit_y.pk)

    view = national_view(me)
    assert [s.document.summary_note for s in view.documents] == ["Sammanfattning X"] and view.sealed_count == 1
    assert do_export_national_summary().withdrawn == 1
    assert NationalSummaryDocument.objects.filter(withdrawn_at__isnull=True).count() == 1

    do_lift_seal(me, seal.pk)
    assert do_export_national_summary().published == 1
    assert sorted(national_bodies(me)) == ["Sammanfattning X", "Sammanfattning Y"]


@pytest.mark.rule("REC-6")
@pytest.mark.rule("REC-5")
def test_a_block_keeps_other_providers_out_but_the_resident_still_sees_everything_unlike_a_seal(world, shared):
    me = world.resident(world.resident_a)
    do_block(me, scope="all")
    assert sorted(national_bodies(me)) == ["Sammanfattning X", "Sammanfattning Y"]
    assert do_export_national_summary().total == 0  # nothing leaves the national summary for a block
    do_seal(me, scope="all")
    assert national_bodies(me) == []


@pytest.mark.rule("REC-6")
def test_a_seal_of_a_period_covers_the_contacts_dated_in_it(world, shared):
    me = world.resident(world.resident_a)
    day = shared[0].submitted_at.astimezone(STOCKHOLM).date()
    do_seal(me, scope="period", starts_on=(day - dt.timedelta(days=1)).isoformat(), ends_on=day.isoformat())
    assert national_bodies(me) == []
    do_seal(me, scope="period", starts_on="2001-01-01", ends_on="2001-12-31")
    assert national_view(me).sealed_count == 2


@pytest.mark.rule("REC-5")
def test_a_resident_blocks_a_unit_and_lifts_it_and_both_are_logged(world, shared):
    me = world.resident(world.resident_a)
    block = do_block(me, scope="unit", unit_id=world.unit_x.pk)
    assert access_restrictions(me).blocks == [block]
    do_lift_block(me, block.pk)
    do_lift_block(me, block.pk)  # twice is once
    assert access_restrictions(me).blocks == []
    events = list(
        AuditEntry.objects.filter(subject_person_id=world.resident_a.pk, action__startswith="block.").values_list(
            "action", flat=True
        )
    )
    assert events == [AuditEvent.BLOCK_CREATE, AuditEvent.BLOCK_LIFT]


@pytest.mark.rule("REC-5")
def test_a_guardian_cannot_block_or_seal_a_childs_journal_and_the_refusal_is_logged(world):
    guardian = world.resident(world.guardian, world.child_8)
    for do in (do_block, do_seal):
        with pytest.raises(DomainError) as refused:
            do(guardian, scope="all")
        assert refused.value.code == "guardian-cannot-restrict" and refused.value.status == 403
    assert not Block.objects.exists() and not Seal.objects.exists()
    refusals = AuditEntry.objects.filter(action=AuditEvent.RECORD_ACCESS_REFUSED, subject_person_id=world.child_8.pk)
    assert refusals.count() == 2
    assert access_restrictions(guardian).may_restrict is False


def test_another_persons_block_is_the_same_404_as_a_missing_one(world, shared):
    block = do_block(world.resident(world.resident_a), scope="all")
    for block_id in (block.pk, 999_999):
        with pytest.raises(NotFound):
            do_lift_block(world.resident(world.resident_b), block_id)
    assert Block.objects.get().lifted_at is None


@pytest.mark.parametrize(
    ("asked", "field"),
    [
        ({"scope": "everything"}, "scope"),
        ({"scope": "unit", "unit_id": ""}, "unit"),
        ({"scope": "unit", "unit_id": "other"}, "unit"),  # a unit the resident has no contact with
        ({"scope": "period", "starts_on": "2024-13-01", "ends_on": "2024-12-31"}, "starts_on"),
        ({"scope": "period", "starts_on": "2024-01-01"}, "ends_on"),
        ({"scope": "period", "starts_on": "2024-02-01", "ends_on": "2024-01-01"}, "ends_on"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(world, shared, asked, field):
    if asked.get("unit_id") == "other":
        asked = {**asked, "unit_id": world.other_unit.pk}
    with pytest.raises(DomainError) as refused:
        do_block(world.resident(world.resident_a), **asked)
    assert field in refused.value.field_errors()
    assert not Block.objects.exists()


@pytest.mark.rule("REC-7")
def test_a_guardian_sees_a_childs_national_view_only_under_13_and_a_refusal_is_logged(world):
    assert national_view(world.resident(world.guardian, world.child_8)).documents == []
    with pytest.raises(DomainError) as refused:
        national_view(world.resident(world.guardian, world.child_14))
    assert refused.value.code == "journal-not-for-guardian"
    assert AuditEntry.objects.filter(
        action=AuditEvent.RECORD_ACCESS_REFUSED, subject_person_id=world.child_14.pk
    ).exists()


# --- the pages and the API --------------------------------------------------------------------


def test_the_page_explains_the_difference_and_blocks_and_seals_through_forms(world, shared, client):
    log_in_client(client, resident_identity(world.resident_a))
    hub = client.get("/mina-sidor/").content.decode()
    assert "/mina-sidor/journal/sparr-och-forsegling/" in hub
    page = client.get("/mina-sidor/journal/sparr-och-forsegling/").content.decode()
    assert "Vad är skillnaden?" in page and "inte heller själv" in page
    assert "/mina-sidor/journal/nationell/" in page

    bad = client.post("/mina-sidor/journal/sparr/", {"sparr-scope": "period", "sparr-starts_on": "i går"})
    assert bad.status_code == 422 and "ÅÅÅÅ-MM-DD" in bad.content.decode()
    assert not Block.objects.exists()

    data = {"forsegling-scope": "unit", "forsegling-unit": str(world.unit_y.pk), "forsegling-submission_key": "k" * 16}
    assert client.post("/mina-sidor/journal/forsegling/", data).status_code == 302
    assert client.post("/mina-sidor/journal/forsegling/", data).status_code == 302  # a resent form: once
    seal = Seal.objects.get()
    national = client.get("/mina-sidor/journal/nationell/").content.decode()
    assert "Sammanfattning X" in national and "Sammanfattning Y" not in national and "förseglad" in national
    assert client.post(f"/mina-sidor/journal/forsegling/{seal.pk}/hav/").status_code == 302
    assert Seal.objects.get().lifted_at is not None


def test_a_guardian_gets_the_reason_on_the_page_not_a_form(world, client):
    log_in_client(client, resident_identity(world.guardian, acting_for=world.child_8))
    page = client.get("/mina-sidor/journal/sparr-och-forsegling/").content.decode()
    assert (
        "kan du inte spärra eller försegla ditt barns journal" in page
        and 'action="/mina-sidor/journal/sparr/"' not in page
    )
    refused = client.post("/mina-sidor/journal/sparr/", {"sparr-scope": "all"})
    assert refused.status_code == 403 and "kan du inte spärra" in refused.content.decode()
    log_in_client(client, resident_identity(world.guardian, acting_for=world.child_14))
    assert client.get("/mina-sidor/journal/nationell/").status_code == 403


def test_the_api_blocks_once_per_key_lifts_and_shows_the_national_view(world, shared, client):
    log_in_client(client, resident_identity(world.resident_a))
    body = {"scope": "unit", "unit_id": world.unit_x.pk}
    first = client.post(
        "/api/v1/records/blocks", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="key-12345678"
    )
    again = client.post(
        "/api/v1/records/blocks", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="key-12345678"
    )
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Block.objects.count() == 1
    listed = client.get("/api/v1/records/restrictions").json()
    assert listed["may_restrict"] and [b["unit_id"] for b in listed["blocks"]] == [world.unit_x.pk]
    lifted = client.post(f"/api/v1/records/blocks/{first.json()['id']}/lift")
    assert lifted.status_code == 200 and lifted.json()["lifted_at"]
    bad = client.post("/api/v1/records/seals", {"scope": "period"}, content_type="application/json")
    assert (
        bad.status_code == 400
    )  # a domain rule (dates for a period); the schema's own checks give 422 and bad["Content-Type"].startswith("application/problem+json")
    national = client.get("/api/v1/records/national").json()
    assert {d["summary_note"] for d in national["documents"]} == {"Sammanfattning X", "Sammanfattning Y"}

    log_in_client(client, resident_identity(world.guardian, acting_for=world.child_8))
    refused = client.post("/api/v1/records/blocks", {"scope": "all"}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "guardian-cannot-restrict"
