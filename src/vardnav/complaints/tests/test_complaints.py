"""Complaints (CMP-1..5): a case in the unit's inbox, never anonymous, dated by the event or the process's start,
the patient board with its own inbox setting the unit by HSA-id, where the service is found, and the follow-up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.personas import SYSTEM, actor_for, grant, make_provider, make_service, make_staff, make_unit
from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.cases.access import access_case_for_staff, inbox
from vardnav.cases.actions import do_submit_case
from vardnav.cases.hooks import SubmissionContext, hooks_for
from vardnav.cases.models import Case, CaseFlag
from vardnav.catalog.actions import do_offer_service, do_publish_questionnaire, do_save_questionnaire
from vardnav.catalog.models import ServiceKind
from vardnav.complaints import access, actions
from vardnav.complaints.content import BOARD_ITEMS, COMPLAINT_ITEMS, PROCESS_FLAG
from vardnav.complaints.hooks import ComplaintHooks
from vardnav.complaints.models import UnitAssignment
from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import DomainError, NotFound
from vardnav.organizations.models import UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint_service(world):
    return make_service(world.provider, ServiceKind.COMPLAINT, items=COMPLAINT_ITEMS, listing_bound=False)


@pytest.fixture
def board(world):
    """The region's patient board: an organisation of its own, its unit (inbox), a case officer, its own form."""
    organisation = make_provider("Patientnämnden Testlän", "patientnamnden-testlan", service_offering="per_unit")
    unit = make_unit(
        organisation, "Patientnämnden Testlän", "SE2321000099-PN1", slug="patientnamnden", kind="patient_board"
    )
    officer = make_staff(organisation, "SE2321000099-PN2", "Pia", "administrative")
    grant(officer, unit, "receiver")
    service = make_service(organisation, ServiceKind.COMPLAINT, items=BOARD_ITEMS, listing_bound=False)
    do_offer_service(SYSTEM, unit, service)
    return unit, service, officer, actor_for(officer, unit=unit, role="receiver")


def answers(**overrides):
    values = {
        "category": "communication",
        "about_process": "false",
        "event_date": (clock.today() - dt.timedelta(days=3)).isoformat(),
        "what": "Jag blev otrevligt bemött i receptionen.",
    }
    values.update(overrides)
    return values


def send(world, service, unit=None, person=None, acting_for=None, **overrides):
    actor = world.resident(person or world.resident_a, acting_for=acting_for)
    return do_submit_case(actor, service=service, unit=unit or world.unit_x, answers=answers(**overrides))


def resident_client(person, acting_for=None):
    return log_in_client(Client(), resident_identity(person, acting_for=acting_for))


# --- CMP-1: a case in the unit's inbox ---------------------------------------------------------------


@pytest.mark.rule("CMP-1")
def test_a_complaint_sent_from_the_page_lands_in_the_units_inbox_with_the_usual_permissions(world, complaint_service):
    client = resident_client(world.resident_a)
    page = client.get(f"/e-tjanster/{world.unit_x.slug}/{complaint_service.pk}/")
    assert page.status_code == 200
    response = client.post(f"/e-tjanster/{world.unit_x.slug}/{complaint_service.pk}/", answers())
    assert response.status_code == 302
    case = Case.objects.get(service=complaint_service)
    assert case.unit == world.unit_x and case.subject == world.resident_a
    receiver = world.staff(world.receiver_x, world.unit_x, "receiver")
    assert case in inbox(receiver).items
    assert access_case_for_staff(receiver, case.pk) == case
    with pytest.raises(NotFound):
        access_case_for_staff(world.staff(world.handler_y, world.unit_y, "handler"), case.pk)


@pytest.mark.rule("CMP-1")
def test_the_complaint_service_has_its_own_hooks_built_on_the_engines_defaults():
    hooks = hooks_for(ServiceKind.COMPLAINT)
    assert isinstance(hooks, ComplaintHooks)
    assert hooks.flag_labels["complaint_communication"] == "Kommunikation och bemötande"


# --- CMP-3: not anonymous ---------------------------------------------------------------------------------


@pytest.mark.rule("CMP-3")
def test_only_a_logged_in_resident_or_a_guardian_for_a_child_sends_a_complaint(world, complaint_service):
    anonymous = Client().get(f"/e-tjanster/{world.unit_x.slug}/{complaint_service.pk}/")
    assert anonymous.status_code == 302 and "/logga-in/" in anonymous["Location"]
    context = SubmissionContext(
        actor=Actor(kind=ActorKind.ANONYMOUS), subject=world.resident_a, unit=world.unit_x, service=complaint_service
    )
    with pytest.raises(DomainError) as refused:
        hooks_for(ServiceKind.COMPLAINT).check_submission(context, answers())
    assert "anonyma" in str(refused.value.message)
    case = send(world, complaint_service, person=world.guardian, acting_for=world.child_8)
    assert case.subject == world.child_8 and case.submitted_by_id == world.guardian.pk


# --- CMP-4: the event date, or the care process's start -------------------------------------------------------


@pytest.mark.rule("CMP-4")
def test_a_complaint_needs_an_event_date_that_is_not_in_the_future(world, complaint_service):
    future = (clock.today() + dt.timedelta(days=1)).isoformat()
    client = resident_client(world.resident_a)
    refused = client.post(f"/e-tjanster/{world.unit_x.slug}/{complaint_service.pk}/", answers(event_date=future))
    assert refused.status_code in (400, 422) and "Datumet kan inte vara" in refused.content.decode()
    # Even a provider's own form without the date question cannot drop it: the hooks ask for it.
    without_date = [item for item in COMPLAINT_ITEMS if item["linkId"] != "event_date"]
    do_publish_questionnaire(
        SYSTEM, do_save_questionnaire(SYSTEM, complaint_service, title="Synpunkter", items=without_date)
    )
    with pytest.raises(DomainError) as missing:
        do_submit_case(
            world.resident(world.resident_a),
            service=complaint_service,
            unit=world.unit_x,
            answers={k: v for k, v in answers().items() if k != "event_date"},
        )
    assert "när den började" in str(missing.value.field_errors())
    assert not Case.objects.exists()


@pytest.mark.rule("CMP-4")
def test_a_complaint_about_a_whole_care_process_is_dated_by_its_start_and_marked_for_staff(world, complaint_service):
    start = clock.today() - dt.timedelta(days=120)
    case = send(world, complaint_service, about_process="true", event_date=start.isoformat(), category="care")
    assert set(CaseFlag.objects.filter(case=case).values_list("code", flat=True)) == {"complaint_care", PROCESS_FLAG}
    assert "när den började" in hooks_for(ServiceKind.COMPLAINT).flag_labels[PROCESS_FLAG]
    assert case.answers["event_date"] in (start, start.isoformat())


@pytest.mark.rule("CMP-1")
def test_an_empty_or_punctuation_only_complaint_gets_a_swedish_message_and_nothing_is_saved(world, complaint_service):
    client = resident_client(world.resident_a)
    response = client.post(f"/e-tjanster/{world.unit_x.slug}/{complaint_service.pk}/", answers(what=" ... !? "))
    assert response.status_code in (400, 422)
    assert "Beskriv vad som hände med några ord" in response.content.decode()
    assert not Case.objects.exists()


# --- CMP-2: the patient board ----------------------------------------------------------------------------


@pytest.mark.rule("CMP-2")
def test_a_complaint_to_the_board_lands_in_its_own_inbox_with_the_free_text_place(world, board):
    unit, service, _, officer = board
    assert unit.kind == UnitKind.PATIENT_BOARD and unit.provider_id != world.provider.pk
    case = send(world, service, unit=unit, place="Akuten, länssjukhuset")
    assert case.unit == unit and case.answers["place"] == "Akuten, länssjukhuset"
    assert case in inbox(officer).items
    with pytest.raises(NotFound):
        access_case_for_staff(world.staff(world.receiver_x, world.unit_x, "receiver"), case.pk)
    missing_place = answers()
    with pytest.raises(DomainError):
        do_submit_case(world.resident(world.resident_a), service=service, unit=unit, answers=missing_place)


@pytest.mark.rule("CMP-2")
def test_the_board_sets_the_right_unit_by_hsa_id_and_the_follow_up_counts_it_there(world, board):
    unit, service, officer_staff, officer = board
    case = send(world, service, unit=unit, place="Vårdcentralen i stan", category="access")
    client = log_in_client(Client(), staff_identity(officer_staff, unit=unit, role="receiver"))
    listing = client.get("/personal/synpunkter/")
    assert listing.status_code == 200 and case.number in listing.content.decode()
    bad = client.post(
        f"/personal/synpunkter/arenden/{case.pk}/mottagning/", {"hsa_id": "SE0000000000-NOPE"}, follow=True
    )
    assert "Det finns ingen mottagning med HSA-id" in bad.content.decode()
    assert not UnitAssignment.objects.exists()
    ok = client.post(f"/personal/synpunkter/arenden/{case.pk}/mottagning/", {"hsa_id": world.unit_y.hsa_id.lower()})
    assert ok.status_code == 302
    assert UnitAssignment.objects.get(case=case).unit == world.unit_y
    assert Case.objects.get(pk=case.pk).unit == unit  # the case stays with the board
    admin = world.staff(world.provider_admin)
    rows = access.follow_up(admin).rows
    assert [(r.unit, r.category, r.count) for r in rows] == [(world.unit_y.name, "Tillgänglighet och väntetider", 1)]
    # Staff of a care unit cannot act as the board.
    with pytest.raises(NotFound):
        access.access_board_case(world.staff(world.receiver_x, world.unit_x, "receiver"), case.pk)


# --- CMP-5: where it is found ------------------------------------------------------------------------------


@pytest.mark.rule("CMP-5")
def test_the_service_is_on_the_start_page_after_login_and_on_unit_pages_when_the_provider_turns_it_on(
    world, complaint_service, board
):
    client = resident_client(world.resident_a)
    start = client.get("/").content.decode()
    assert "/mina-sidor/synpunkter/" in start
    hub = client.get("/mina-sidor/synpunkter/").content.decode()
    assert f"/e-tjanster/{world.unit_x.slug}/{complaint_service.pk}/" in hub
    assert f"/e-tjanster/patientnamnden/{board[1].pk}/" in hub
    link = f"/e-tjanster/{world.unit_x.slug}/{complaint_service.pk}/"
    assert link not in Client().get(f"/mottagningar/{world.unit_x.slug}/").content.decode()
    admin = log_in_client(Client(), staff_identity(world.provider_admin))
    assert admin.post("/personal/synpunkter/installningar/", {"show_on_unit_pages": "on"}).status_code == 302
    assert link in Client().get(f"/mottagningar/{world.unit_x.slug}/").content.decode()
    actions.do_set_complaint_policy(world.staff(world.provider_admin), world.provider.pk, show_on_unit_pages=False)
    assert link not in Client().get(f"/mottagningar/{world.unit_x.slug}/").content.decode()


# --- follow-up ------------------------------------------------------------------------------------------------


@pytest.mark.rule("CMP-1")
def test_the_follow_up_counts_by_unit_category_and_month_without_personal_data_in_a_fixed_number_of_queries(
    world, complaint_service
):
    send(world, complaint_service)
    client = log_in_client(Client(), staff_identity(world.provider_admin))

    def add_rows():
        send(world, complaint_service, category="care")
        send(world, complaint_service, unit=world.unit_y, person=world.resident_b, category="access")
        send(world, complaint_service, person=world.guardian, acting_for=world.child_8, category="other")

    assert_same_query_count(lambda: client.get("/personal/synpunkter/uppfoljning/"), add_rows)
    page = client.get("/personal/synpunkter/uppfoljning/").content.decode()
    assert "<table" in page and "<meter" in page
    assert world.unit_y.name in page and "Vård och behandling" in page
    for person in (world.resident_a, world.resident_b, world.child_8):
        assert person.personal_number not in page and (not person.surname or person.surname not in page)
    assert sum(r.count for r in access.follow_up(world.staff(world.provider_admin)).rows) == 4
    unit_staff = log_in_client(Client(), staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    assert unit_staff.get("/personal/synpunkter/uppfoljning/").status_code == 403


@pytest.mark.rule("CMP-2")
def test_the_api_gives_the_follow_up_and_lets_the_board_set_the_unit(world, board):
    unit, service, officer_staff, _ = board
    case = send(world, service, unit=unit, place="Någonstans")
    client = log_in_client(Client(), staff_identity(officer_staff, unit=unit, role="receiver"))
    bad = client.post(f"/api/v1/complaints/{case.pk}/unit", {"hsa_id": "SE123"}, content_type="application/json")
    assert bad.status_code == 400 and "HSA-id" in bad.json()["title"]
    ok = client.post(
        f"/api/v1/complaints/{case.pk}/unit", {"hsa_id": world.unit_x.hsa_id}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["unit"] == world.unit_x.name
    counts = client.get("/api/v1/complaints/follow-up").json()
    assert counts["total"] == 1 and counts["rows"][0]["unit"] == world.unit_x.name
