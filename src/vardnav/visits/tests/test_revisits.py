"""Revisits (VISIT-3, VISIT-4, VISIT-5) and visits from abroad (VISIT-9)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from tests.personas import actor_for
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.cases.actions import do_close_case, do_reply
from vardnav.cases.models import Case, CaseStatus, MessageKind
from vardnav.core import clock
from vardnav.core.errors import DomainError
from vardnav.visits.access import current_triage
from vardnav.visits.actions import (
    REVISIT_ITEMS,
    do_confirm_health_profile,
    do_offer_revisit,
    do_start_revisit,
    do_start_visit,
    do_write_again,
)
from vardnav.visits.errors import VisitError
from vardnav.visits.models import Duty, HealthProfile, Visit
from vardnav.visits.tests.conftest import valid_answers

pytestmark = pytest.mark.django_db
REVISIT_ANSWERS = {
    "worse_now": False,
    "progress": "same",
    "new_symptoms": False,
    "followed_advice": True,
    "description": "Fortfarande sveda.",
}


def start(digital, person, slug="urinvagsinfektion", abroad=False):
    area = digital.areas[slug]
    triage = current_triage(area)
    return do_start_visit(actor_for(person), area, triage, answers=valid_answers(triage.items), abroad=abroad)


def closed_visit(digital, person, slug="urinvagsinfektion"):
    started = start(digital, person, slug)
    practitioner = digital.practitioner(started.case.assigned_to)
    do_close_case(practitioner, started.case, outcome="answered")
    started.case.refresh_from_db()
    return started.visit


def revisit(person, earlier, **changes):
    arguments = {"answers": REVISIT_ANSWERS, "abroad": False, "profile_confirmed": True} | changes
    return do_start_revisit(actor_for(person), earlier, **arguments)


@pytest.fixture
def profile(resident_a):
    return do_confirm_health_profile(actor_for(resident_a), allergies="", medicines="", conditions="")


@pytest.mark.rule("VISIT-3")
def test_a_revisit_within_30_days_goes_to_the_same_practitioner_even_with_a_shorter_queue_elsewhere(
    digital, resident_a, profile
):
    digital.on_duty(digital.st_doctor)
    earlier = closed_visit(digital, resident_a)
    assert earlier.case.assigned_to == digital.st_doctor
    digital.on_duty(digital.specialist)
    digital.on_duty(digital.st_doctor, on=False)
    with time_machine.travel(clock.now() + dt.timedelta(days=29), tick=False):
        again = revisit(resident_a, earlier)
    assert again.case.assigned_to == digital.st_doctor
    assert again.visit.revisit_of == earlier and again.visit.answers["progress"] == "same"
    assert Duty.objects.get(staff=digital.st_doctor).open_visits == 1


@pytest.mark.rule("VISIT-3")
def test_a_revisit_after_30_days_is_refused_in_swedish_and_nothing_is_saved(digital, resident_a, profile):
    digital.on_duty(digital.specialist)
    earlier = closed_visit(digital, resident_a)
    with time_machine.travel(clock.now() + dt.timedelta(days=31), tick=False), pytest.raises(DomainError) as raised:
        revisit(resident_a, earlier)
    assert raised.value.code is VisitError.REVISIT_TOO_LATE and "30 dagar" in str(raised.value.message)
    assert Case.objects.count() == 1


@pytest.mark.rule("VISIT-3")
def test_an_offered_revisit_may_be_started_within_its_period_even_after_30_days(digital, resident_a, profile):
    digital.on_duty(digital.specialist)
    started = start(digital, resident_a)
    do_offer_revisit(digital.practitioner(digital.specialist), started.visit, kind="planned", days=60)
    do_close_case(digital.practitioner(digital.specialist), started.case, outcome="answered")
    started.visit.case.refresh_from_db()
    with time_machine.travel(clock.now() + dt.timedelta(days=45), tick=False):
        again = revisit(resident_a, started.visit)
    assert again.case.assigned_to == digital.specialist
    later = time_machine.travel(clock.now() + dt.timedelta(days=45), tick=False)
    with later, pytest.raises(DomainError):  # the offer was used
        revisit(resident_a, started.visit)


@pytest.mark.rule("VISIT-3")
@pytest.mark.parametrize(
    ("kind", "days", "code"), [("planned", 0, VisitError.REVISIT_PERIOD), ("maybe", 10, VisitError.REVISIT_KIND)]
)
def test_a_revisit_offer_needs_a_kind_and_a_period(digital, resident_a, kind, days, code):
    digital.on_duty(digital.specialist)
    started = start(digital, resident_a)
    with pytest.raises(DomainError) as raised:
        do_offer_revisit(digital.practitioner(digital.specialist), started.visit, kind=kind, days=days)
    assert raised.value.code is code


@pytest.mark.rule("VISIT-4")
def test_no_revisits_for_chlamydia_and_sti_testing_but_writing_again_within_4_days_is_free(
    digital, resident_a, profile
):
    digital.on_duty(digital.nurse)
    earlier = closed_visit(digital, resident_a, "klamydia-och-konssjukdomar")
    with pytest.raises(DomainError) as raised:
        revisit(resident_a, earlier)
    assert raised.value.code is VisitError.NO_REVISITS
    with time_machine.travel(clock.now() + dt.timedelta(days=3), tick=False):
        message = do_write_again(actor_for(resident_a), earlier, body="Jag har fått provsvaret, vad gör jag nu?")
    earlier.case.refresh_from_db()
    assert message.kind == MessageKind.RESIDENT_MESSAGE
    assert earlier.case.status == CaseStatus.ASSIGNED and earlier.case.assigned_to == digital.nurse
    assert Case.objects.count() == 1  # the same case: no new visit, no new fee
    assert Duty.objects.get(staff=digital.nurse).open_visits == 1


@pytest.mark.rule("VISIT-4")
def test_writing_again_after_4_days_or_in_an_area_with_revisits_is_refused(digital, resident_a):
    digital.on_duty(digital.nurse, digital.specialist)
    sti = closed_visit(digital, resident_a, "klamydia-och-konssjukdomar")
    with time_machine.travel(clock.now() + dt.timedelta(days=5), tick=False), pytest.raises(DomainError) as late:
        do_write_again(actor_for(resident_a), sti, body="Hej igen")
    assert late.value.code is VisitError.RETURN_TOO_LATE
    uti = closed_visit(digital, resident_a)
    with pytest.raises(DomainError) as other:
        do_write_again(actor_for(resident_a), uti, body="Hej igen")
    assert other.value.code is VisitError.RETURN_ONLY_WITHOUT_REVISITS
    assert not sti.case.messages.filter(kind=MessageKind.RESIDENT_MESSAGE).exists()


@pytest.mark.rule("VISIT-5")
def test_before_a_revisit_the_resident_answers_the_questions_and_confirms_the_health_profile(digital, resident_a):
    digital.on_duty(digital.specialist)
    earlier = closed_visit(digital, resident_a)
    with pytest.raises(DomainError) as missing:
        revisit(resident_a, earlier)
    assert missing.value.code is VisitError.PROFILE_MISSING
    do_confirm_health_profile(actor_for(resident_a), allergies="Penicillin", medicines="", conditions="")
    with pytest.raises(DomainError) as unconfirmed:
        revisit(resident_a, earlier, profile_confirmed=False)
    assert unconfirmed.value.code is VisitError.PROFILE_CONFIRMATION
    with pytest.raises(DomainError) as unanswered:
        revisit(resident_a, earlier, answers={"worse_now": False})
    assert set(unanswered.value.errors) >= {"progress", "description"}
    with pytest.raises(DomainError) as red:
        revisit(resident_a, earlier, answers={"worse_now": True})
    assert red.value.code is VisitError.RED_FLAG_EMERGENCY
    assert Case.objects.count() == 1
    confirmed_before = HealthProfile.objects.get(person=resident_a).confirmed_at
    with time_machine.travel(clock.now() + dt.timedelta(days=1), tick=False):
        revisit(resident_a, earlier)
    assert HealthProfile.objects.get(person=resident_a).confirmed_at > confirmed_before
    assert [item["linkId"] for item in REVISIT_ITEMS][:1] == ["worse_now"]


@pytest.mark.rule("VISIT-9")
def test_a_visit_from_abroad_cannot_end_with_a_prescription(digital, resident_a):
    digital.on_duty(digital.specialist)
    started = start(digital, resident_a, abroad=True)
    as_doctor = digital.practitioner(digital.specialist)
    assert started.case.flags.filter(code="visit_abroad").exists()
    with pytest.raises(DomainError) as raised:
        do_reply(as_doctor, started.case, answers={"reply": "Recept skickat."}, close=True, outcome="prescribed")
    assert raised.value.code is VisitError.ABROAD_NO_PRESCRIPTION
    started.case.refresh_from_db()
    assert started.case.status != CaseStatus.CLOSED and not started.case.messages.filter(kind="reply").exists()
    with pytest.raises(DomainError):
        do_close_case(as_doctor, started.case, outcome="prescribed")
    started.case.refresh_from_db()
    assert started.case.status != CaseStatus.CLOSED
    do_close_case(as_doctor, started.case, outcome="answered")
    at_home = start(digital, resident_a)
    do_close_case(as_doctor, at_home.case, outcome="prescribed")  # at home a prescription may end the visit


def test_the_resident_finds_revisit_and_write_again_on_the_visits_page_and_uses_them(digital, resident_a, profile):
    digital.on_duty(digital.specialist, digital.nurse)
    uti = closed_visit(digital, resident_a)
    sti = closed_visit(digital, resident_a, "klamydia-och-konssjukdomar")
    client = log_in_client(Client(), resident_identity(resident_a))
    page = client.get("/digitalt-vardbesok/").content.decode()
    assert f"/digitalt-vardbesok/besok/{uti.case.pk}/aterbesok/" in page
    assert f"/digitalt-vardbesok/besok/{sti.case.pk}/skriv-igen/" in page
    assert f"/digitalt-vardbesok/besok/{uti.case.pk}/skriv-igen/" not in page
    form = {k: ("ja" if v is True else "nej" if v is False else v) for k, v in REVISIT_ANSWERS.items()}
    missing = client.post(
        f"/digitalt-vardbesok/besok/{uti.case.pk}/aterbesok/", {**form, "abroad": "nej", "submission_key": "a" * 32}
    )
    assert missing.status_code == 422 and "Bekräfta att din hälsoprofil stämmer" in missing.content.decode()
    done = client.post(
        f"/digitalt-vardbesok/besok/{uti.case.pk}/aterbesok/",
        {**form, "abroad": "nej", "profile_confirmed": "on", "submission_key": "b" * 32},
    )
    assert done.status_code == 302
    assert Visit.objects.filter(revisit_of=uti).exists()
    wrote = client.post(f"/digitalt-vardbesok/besok/{sti.case.pk}/skriv-igen/", {"body": "En fråga till."})
    assert wrote.status_code == 302


def test_the_api_starts_a_revisit_and_the_practitioner_offers_one(digital, resident_a, profile):
    digital.on_duty(digital.specialist)
    started = start(digital, resident_a)
    staff = log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))
    offered = staff.post(
        f"/api/v1/staff/visits/{started.case.pk}/revisit-offers",
        json.dumps({"kind": "voluntary", "days": 14}),
        content_type="application/json",
    )
    assert offered.status_code == 201
    do_close_case(digital.practitioner(digital.specialist), started.case, outcome="answered")
    resident = log_in_client(Client(), resident_identity(resident_a))
    body = {"answers": REVISIT_ANSWERS, "abroad": False, "health_profile_confirmed": True}
    created = resident.post(
        f"/api/v1/visits/{started.case.pk}/revisit", json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["assigned"] is True


@pytest.mark.rule("VISIT-3")
def test_seeking_care_again_in_the_same_area_within_30_days_is_a_revisit_to_the_same_practitioner(digital, resident_a):
    digital.on_duty(digital.st_doctor)
    earlier = closed_visit(digital, resident_a)
    digital.on_duty(digital.specialist)
    digital.on_duty(digital.st_doctor, on=False)
    now = clock.now()
    with time_machine.travel(now + dt.timedelta(days=20), tick=False):
        again = start(digital, resident_a)
        do_close_case(digital.practitioner(digital.st_doctor), again.case, outcome="answered")
    assert again.visit.revisit_of == earlier and again.case.assigned_to == digital.st_doctor
    with time_machine.travel(now + dt.timedelta(days=52), tick=False):
        later = start(digital, resident_a)
    assert later.visit.revisit_of is None and later.case.assigned_to == digital.specialist
