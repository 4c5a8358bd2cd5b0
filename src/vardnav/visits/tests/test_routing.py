"""Routing by profession (VISIT-2, ORG-8), the practitioner's queue and internal referral (VISIT-6)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.personas import SYSTEM, actor_for, make_person
from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, staff_identity
from vardnav.cases.actions import do_close_case, do_reply, do_take_case
from vardnav.cases.models import CaseStatus, Message, MessageKind
from vardnav.core.errors import DomainError
from vardnav.demo import identities as ids
from vardnav.organizations.actions.staff import do_update_staff
from vardnav.organizations.errors import OrganizationError
from vardnav.organizations.models import Qualification
from vardnav.visits.access import current_triage
from vardnav.visits.actions import do_refer_internally, do_set_duty, do_start_visit, pick_practitioner
from vardnav.visits.errors import VisitError
from vardnav.visits.hooks import FLAG_UNROUTED
from vardnav.visits.models import Duty
from vardnav.visits.tests.conftest import make_practitioner, valid_answers

pytestmark = pytest.mark.django_db


def start(digital, person, slug="urinvagsinfektion", abroad=False):
    area = digital.areas[slug]
    triage = current_triage(area)
    return do_start_visit(actor_for(person), area, triage, answers=valid_answers(triage.items), abroad=abroad)


def open_visits(staff):
    return Duty.objects.get(staff=staff).open_visits


@pytest.mark.rule("VISIT-2")
def test_a_visit_goes_to_the_on_duty_practitioner_of_the_areas_profession_with_the_shortest_queue(
    digital, resident_a, resident_b, guardian
):
    digital.on_duty(digital.specialist, digital.st_doctor, digital.psychologist, digital.nurse)
    first = start(digital, resident_a)
    second = start(digital, resident_b)
    assert {first.case.assigned_to, second.case.assigned_to} == {digital.specialist, digital.st_doctor}
    assert first.case.status == CaseStatus.ASSIGNED
    third = start(digital, guardian)  # both doctors have one: the earliest on duty takes it
    assert third.case.assigned_to == digital.specialist
    assert (open_visits(digital.specialist), open_visits(digital.st_doctor)) == (2, 1)
    mental = start(digital, resident_a, "psykisk-ohalsa")
    assert mental.case.assigned_to == digital.psychologist and mental.visit.profession == "psychologist"


@pytest.mark.rule("VISIT-2")
def test_a_practitioner_off_duty_gets_no_new_visits(digital, resident_a):
    digital.on_duty(digital.specialist, digital.st_doctor)
    digital.on_duty(digital.specialist, on=False)
    assert start(digital, resident_a).case.assigned_to == digital.st_doctor


@pytest.mark.rule("VISIT-2")
def test_with_no_one_on_duty_the_visit_waits_flagged_for_the_units_practitioners(digital, resident_a):
    started = start(digital, resident_a)
    assert started.case.assigned_to is None and started.case.status == CaseStatus.NEW
    assert started.case.flags.filter(code=FLAG_UNROUTED).exists()
    taken = do_take_case(digital.practitioner(digital.specialist), started.case)
    assert taken.assigned_to == digital.specialist


@pytest.mark.rule("ORG-8")
@pytest.mark.parametrize(
    ("qualification", "percent", "takes"),
    [
        (Qualification.SPECIALIST, None, True),
        (Qualification.IN_TRAINING, 50, True),
        (Qualification.IN_TRAINING, 49, False),
        (Qualification.OTHER, None, False),
    ],
)
def test_only_specialists_and_doctors_halfway_through_training_take_digital_doctor_visits(
    digital, resident_a, qualification, percent, takes
):
    doctor = make_practitioner(
        digital.provider, digital.unit, "SE2321000018-DL9", "Dora", "doctor", qualification=Qualification.SPECIALIST
    )
    digital.on_duty(doctor)  # ORG-8 is checked when routing too, not only when going on duty
    do_update_staff(SYSTEM, doctor, qualification=qualification, specialist_training_percent=percent)
    assert doctor.takes_digital_doctor_visits is takes
    assert start(digital, resident_a).case.assigned_to == (doctor if takes else None)


@pytest.mark.rule("ORG-8")
def test_an_unqualified_doctor_cannot_go_on_duty_for_digital_visits(digital):
    doctor = make_practitioner(
        digital.provider,
        digital.unit,
        "SE2321000018-DL8",
        "Dag",
        "doctor",
        qualification=Qualification.IN_TRAINING,
        specialist_training_percent=20,
    )
    with pytest.raises(DomainError) as raised:
        do_set_duty(digital.practitioner(doctor), digital.unit, on_duty=True)
    assert raised.value.code is VisitError.NOT_QUALIFIED
    assert not Duty.objects.filter(staff=doctor).exists()


@pytest.mark.rule("ORG-8")
@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"qualification": Qualification.SPECIALIST}, OrganizationError.QUALIFICATION_NEEDS_DOCTOR),
        ({"qualification": "professor"}, OrganizationError.INVALID_QUALIFICATION),
    ],
)
def test_the_staff_record_refuses_a_qualification_the_profession_cannot_hold(digital, changes, code):
    with pytest.raises(DomainError) as raised:
        do_update_staff(SYSTEM, digital.nurse, **changes)
    assert raised.value.code is code
    digital.nurse.refresh_from_db()
    assert digital.nurse.qualification == Qualification.OTHER


@pytest.mark.rule("ORG-8")
@pytest.mark.parametrize("percent", [None, -1, 101, "halva"])
def test_a_doctor_in_training_needs_a_progress_of_0_to_100_percent(digital, percent):
    with pytest.raises(DomainError) as raised:
        do_update_staff(
            SYSTEM, digital.specialist, qualification=Qualification.IN_TRAINING, specialist_training_percent=percent
        )
    assert raised.value.code is OrganizationError.INVALID_TRAINING_PERCENT


@pytest.mark.rule("VISIT-2")
def test_picking_the_practitioner_is_one_query_however_many_practitioners_and_visits(digital, resident_a, resident_b):
    digital.on_duty(digital.specialist, digital.st_doctor)
    for number in ids.RESIDENTS[:6]:
        start(digital, make_person(number))
    for index in range(8):
        doctor = make_practitioner(
            digital.provider,
            digital.unit,
            f"SE2321000018-DX{index}",
            "Doc",
            "doctor",
            qualification=Qualification.SPECIALIST,
        )
        digital.on_duty(doctor)
    with CaptureQueriesContext(connection) as queries:
        picked = pick_practitioner(digital.unit.pk, "doctor")
    assert len(queries) == 1
    assert picked is not None and picked.open_visits == 0


@pytest.mark.rule("VISIT-2")
def test_closing_a_visit_by_either_action_frees_the_practitioners_place(digital, resident_a, resident_b):
    digital.on_duty(digital.specialist)
    first, second = start(digital, resident_a), start(digital, resident_b)
    assert open_visits(digital.specialist) == 2
    as_doctor = digital.practitioner(digital.specialist)
    do_close_case(as_doctor, first.case, outcome="answered")
    assert open_visits(digital.specialist) == 1
    do_reply(as_doctor, second.case, answers={"reply": "Drick mycket vatten."}, close=True)
    assert open_visits(digital.specialist) == 0


@pytest.mark.rule("VISIT-6")
def test_the_practitioner_refers_a_visit_to_another_profession_which_takes_the_queue_place(digital, resident_a):
    digital.on_duty(digital.specialist, digital.physio)
    started = start(digital, resident_a)
    visit = do_refer_internally(
        digital.practitioner(digital.specialist), started.visit, profession="physiotherapist", reason="Ryggbesvär."
    )
    assert visit.case.assigned_to == digital.physio and visit.profession == "physiotherapist"
    assert (open_visits(digital.specialist), open_visits(digital.physio)) == (0, 1)
    note = Message.objects.get(case=visit.case, kind=MessageKind.NOTE)
    assert note.body == "Ryggbesvär."


@pytest.mark.rule("VISIT-6")
@pytest.mark.parametrize(
    ("profession", "reason", "code"),
    [
        ("doctor", "Vidare.", VisitError.REFERRAL_SAME_PROFESSION),
        ("midwife", "Vidare.", VisitError.REFERRAL_NO_ONE_ON_DUTY),
        ("administrative", "Vidare.", VisitError.REFERRAL_PROFESSION),
    ],
)
def test_a_referral_that_cannot_go_through_changes_nothing(digital, resident_a, profession, reason, code):
    digital.on_duty(digital.specialist)
    started = start(digital, resident_a)
    with pytest.raises(DomainError) as raised:
        do_refer_internally(
            digital.practitioner(digital.specialist), started.visit, profession=profession, reason=reason
        )
    assert raised.value.code is code
    started.case.refresh_from_db()
    assert started.case.assigned_to == digital.specialist and open_visits(digital.specialist) == 1
    assert not Message.objects.filter(case=started.case, kind=MessageKind.NOTE).exists()


def test_only_the_visits_practitioner_may_refer_it(digital, resident_a):
    digital.on_duty(digital.specialist, digital.physio)
    started = start(digital, resident_a)
    with pytest.raises(DomainError) as raised:
        do_refer_internally(digital.practitioner(digital.st_doctor), started.visit, profession="nurse", reason="x")
    assert raised.value.code is VisitError.NOT_YOUR_VISIT


def test_the_practitioners_queue_page_costs_the_same_with_one_visit_as_with_many(digital, resident_a):
    digital.on_duty(digital.specialist)
    start(digital, resident_a)
    client = log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))

    def page():
        response = client.get("/personal/digitala-besok/")
        assert response.status_code == 200
        return response

    def more():
        for number in ids.RESIDENTS[:5]:
            start(digital, make_person(number))

    assert_same_query_count(page, more)
    assert page().content.decode().count("/personal/digitala-besok/") >= 6


def test_the_practitioner_goes_on_duty_opens_a_visit_and_refers_it_on_the_pages(digital, resident_a):
    client = log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))
    assert "Gå i tjänst" in client.get("/personal/digitala-besok/").content.decode()
    assert client.post("/personal/digitala-besok/tjanstgoring/", {"on_duty": "1"}).status_code == 302
    digital.on_duty(digital.nurse)
    started = start(digital, resident_a)
    page = client.get(f"/personal/digitala-besok/{started.case.pk}/").content.decode()
    assert "Svider eller gör det ont när du kissar?" in page and f"/personal/arenden/{started.case.pk}/" in page
    refused = client.post(f"/personal/digitala-besok/{started.case.pk}/remittera/", {"profession": "", "reason": ""})
    assert refused.status_code == 422 and "Välj läkare, sjuksköterska" in refused.content.decode()
    done = client.post(
        f"/personal/digitala-besok/{started.case.pk}/remittera/", {"profession": "nurse", "reason": "Provtagning."}
    )
    assert done.status_code == 302
    started.case.refresh_from_db()
    assert started.case.assigned_to == digital.nurse


def test_the_api_gives_the_queue_and_sets_duty_and_refers(digital, resident_a):
    client = log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))
    on = client.post("/api/v1/staff/visits/duty", json.dumps({"on_duty": True}), content_type="application/json")
    assert on.json() == {"on_duty": True, "open_visits": 0}
    digital.on_duty(digital.psychologist)
    started = start(digital, resident_a)
    queue = client.get("/api/v1/staff/visits/queue").json()
    assert [item["case_id"] for item in queue["items"]] == [started.case.pk]
    body = {"profession": "psychologist", "reason": "Oro."}
    referred = client.post(
        f"/api/v1/staff/visits/{started.case.pk}/refer", json.dumps(body), content_type="application/json"
    )
    assert referred.status_code == 200 and referred.json()["profession"] == "psychologist"
    assert client.get("/api/v1/staff/visits/queue").json()["items"] == []
