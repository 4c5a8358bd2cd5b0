"""Home measurements that form the basis of a diagnosis (QA-5): a PEF diary or home spirometry ordered on a
digital visit, the resident's daily readings, the figures the practitioner reads, the end notice, the daily
reminder and the signed summary note with the diagnosis that links the period."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client

from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.models import AuditEntry
from vardnav.cases.models import Message
from vardnav.core import clock
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError
from vardnav.labs import actions
from vardnav.labs.errors import LabError
from vardnav.labs.figures import period_figures
from vardnav.labs.models import HomeMeasurement, MeasurementPeriod, MeasurementReminder, PeriodStatus
from vardnav.labs.tests.conftest import OpenVisit, open_visit
from vardnav.notifications.models import Notice, NoticeKind, OutgoingMessage
from vardnav.records.models import NoteKind, RecordNote

pytestmark = pytest.mark.django_db

START = dt.datetime(2027, 3, 1, 8, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def traveller():
    """Time stands still at 08:00 on the period's first day; tests move it on."""
    with time_machine.travel(START, tick=False) as coordinates:
        yield coordinates


@pytest.fixture
def asthma_visit(traveller, digital, resident_a) -> OpenVisit:
    return open_visit(digital, resident_a, slug="luftvagar")


def order(visit: OpenVisit, **options) -> MeasurementPeriod:
    settings = {"kind": "pef", "days": 14, "frequency": "morning_evening"} | options
    return actions.do_order_measurement_period(visit.doctor, visit.visit, **settings)


def enter(visit: OpenVisit, period: MeasurementPeriod, day: int, slot: str, pef: int, **more) -> HomeMeasurement:
    measured_on = period.starts_on + dt.timedelta(days=day - 1)
    return actions.do_enter_reading(visit.resident, period, measured_on=measured_on, slot=slot, pef=pef, **more)


def doctor_client(digital) -> Client:
    return log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))


def resident_client(visit: OpenVisit) -> Client:
    return log_in_client(Client(), resident_identity(visit.person))


# --- ordering ----------------------------------------------------------------------------------------------


@pytest.mark.rule("QA-5")
def test_the_practitioner_orders_a_pef_diary_and_the_resident_is_told_in_the_chat_and_by_a_notice(
    asthma_visit, digital
):
    doctor = doctor_client(digital)
    url = f"/personal/digitala-besok/{asthma_visit.case.pk}/remisser/hemmatning/"
    refused = doctor.post(url, {"kind": "pef", "days": "40", "frequency": "morning_evening"})
    assert refused.status_code == 422
    assert "Ange antal dagar som ett heltal, 3–28." in refused.content.decode()
    assert not MeasurementPeriod.objects.exists()

    notices = Notice.objects.filter(person=asthma_visit.person).count()
    made = doctor.post(url, {"kind": "pef", "days": "14", "frequency": "morning_evening", "after_bronchodilator": "on"})
    assert made.status_code == 302
    period = MeasurementPeriod.objects.get()
    assert (period.kind, period.days, period.slots, period.after_bronchodilator) == (
        "pef",
        14,
        ["morning", "evening"],
        True,
    )
    assert period.ends_on == period.starts_on + dt.timedelta(days=13)
    chat = Message.objects.filter(case=asthma_visit.case).order_by("-id").first()
    assert chat is not None and "i 14 dagar, morgon och kväll" in chat.body
    # The case engine's in-app notice: news in a case, nothing about what.
    assert Notice.objects.filter(person=asthma_visit.person).count() == notices + 1

    # The resident's case page leads to the period; the period page says where it stands.
    resident = resident_client(asthma_visit)
    case_page = resident.get(f"/arenden/{asthma_visit.case.pk}/").content.decode()
    assert f"/mina-sidor/remisser/hemmatning/{period.pk}/" in case_page
    page = resident.get(f"/mina-sidor/remisser/hemmatning/{period.pk}/").content.decode()
    assert "Dag 1 av 14" in page

    # A second PEF diary while one runs is refused; so is the same order again from the API.
    again = doctor.post(
        f"/api/v1/staff/cases/{asthma_visit.case.pk}/measurement-periods",
        {"kind": "pef"},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "measurement-period-active"


# --- the readings ------------------------------------------------------------------------------------------


@pytest.mark.rule("QA-5")
def test_a_reading_out_of_range_is_refused_at_its_field_with_nothing_saved(asthma_visit, traveller):
    period = order(asthma_visit, kind="spirometry")
    resident = resident_client(asthma_visit)
    url = f"/mina-sidor/remisser/hemmatning/{period.pk}/"
    day = period.starts_on.isoformat()
    refused = resident.post(url, {"measured_on": day, "slot": "morning", "pef": "2000", "fev1": "3,1", "fvc": "2,0"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "Ange PEF som ett heltal, 50–900 liter per minut." in page
    assert "FEV1 kan inte vara större än FVC." in page  # every wrong value at once, each at its field
    assert not HomeMeasurement.objects.exists()

    api = resident.post(
        f"/api/v1/me/home-measurements/{period.pk}/readings",
        json.dumps({"measured_on": day, "slot": "morning", "pef": 420, "fev1_litres": 9.5, "fvc_litres": 4.0}),
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json()["code"] == "reading-fev1"
    assert not HomeMeasurement.objects.exists()

    ok = resident.post(url, {"measured_on": day, "slot": "morning", "pef": "420", "fev1": "3,10", "fvc": "4,05"})
    assert ok.status_code == 302
    saved = HomeMeasurement.objects.get()
    assert (saved.pef, saved.fev1_ml, saved.fvc_ml, saved.kind) == (420, 3100, 4050, "spirometry")

    # The database refuses an impossible value too, whoever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        HomeMeasurement.objects.create(
            subject=asthma_visit.person,
            period=period,
            kind="spirometry",
            pef=2000,
            fev1_ml=3000,
            fvc_ml=4000,
            slot="evening",
            measured_on=period.starts_on,
            entered_at=clock.now(),
        )


@pytest.mark.rule("QA-5")
def test_a_slot_takes_one_reading_and_a_correction_is_a_new_reading_that_counts(asthma_visit, traveller):
    period = order(asthma_visit)
    first = enter(asthma_visit, period, 1, "morning", 300)
    with pytest.raises(DomainError) as taken:
        enter(asthma_visit, period, 1, "morning", 310)
    assert taken.value.code == LabError.READING_TAKEN
    with pytest.raises(DomainError) as nothing:
        enter(asthma_visit, period, 1, "evening", 310, correction=True)
    assert nothing.value.code == LabError.READING_NOTHING_TO_CORRECT
    traveller.shift(dt.timedelta(minutes=5))
    corrected = enter(asthma_visit, period, 1, "morning", 400, correction=True)
    assert corrected.corrects_id == first.pk
    first.refresh_from_db()
    assert first.pef == 300  # kept as it was
    traveller.shift(dt.timedelta(hours=12))
    enter(asthma_visit, period, 1, "evening", 350)
    figures = period_figures(period, HomeMeasurement.objects.filter(period=period), age=50)
    # The correction (400) counts, not the first reading (300): (400 − 350) / 375.
    assert figures.days[0].variability == Decimal("13.3")

    # The database keeps one first reading per slot, whoever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        HomeMeasurement.objects.create(
            subject=asthma_visit.person,
            period=period,
            kind="pef",
            pef=380,
            slot="morning",
            measured_on=period.starts_on,
            entered_at=clock.now(),
        )


@pytest.mark.rule("QA-5")
def test_a_meters_app_sends_readings_through_the_api_once_per_idempotency_key(asthma_visit):
    period = order(asthma_visit)
    resident = resident_client(asthma_visit)
    body = json.dumps({"measured_on": period.starts_on.isoformat(), "slot": "morning", "pef": 410})
    url = f"/api/v1/me/home-measurements/{period.pk}/readings"
    first = resident.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="meter-0001-morning")
    again = resident.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="meter-0001-morning")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert HomeMeasurement.objects.filter(period=period).count() == 1
    other = json.dumps({"measured_on": period.starts_on.isoformat(), "slot": "morning", "pef": 420})
    reused = resident.post(url, other, content_type="application/json", HTTP_IDEMPOTENCY_KEY="meter-0001-morning")
    assert reused.status_code == 409
    listed = resident.get("/api/v1/me/home-measurements").json()
    assert [each["id"] for each in listed] == [period.pk]
    assert listed[0]["readings"][0]["pef"] == 410 and listed[0]["day_number"] == 1


# --- the figures -------------------------------------------------------------------------------------------


@pytest.mark.rule("QA-5")
def test_the_variability_and_the_reversibility_are_computed_from_known_readings(asthma_visit, digital, traveller):
    period = order(asthma_visit, kind="spirometry", after_bronchodilator=True)
    traveller.move_to(START + dt.timedelta(days=2, hours=12))  # day 3, 20:00: days 1 and 2 are entered late
    spiro = {"fev1": "2,50", "fvc": "3,50"}
    enter(asthma_visit, period, 1, "morning", 400, **spiro)
    enter(asthma_visit, period, 1, "evening", 350, **spiro)  # (400 − 350) / 375 = 13.33 %
    enter(asthma_visit, period, 2, "morning", 380, **spiro)
    enter(asthma_visit, period, 2, "evening", 420, **spiro)  # (420 − 380) / 400 = 10.00 %
    enter(asthma_visit, period, 3, "morning", 300, **spiro)  # one reading: no variability that day
    enter(asthma_visit, period, 2, "evening", 480, after_bronchodilator=True, fev1="2,80", fvc="3,60")
    # FEV1 2.50 → 2.80 l: +300 ml, +12.0 %: reversible (≥ 12 % and ≥ 200 ml). A post-bronchodilator PEF is
    # left out of the variability (else day 2 would be 480 vs 380).

    figures = period_figures(period, HomeMeasurement.objects.filter(period=period), age=50)
    assert [day.variability for day in figures.days[:3]] == [Decimal("13.3"), Decimal("10.0"), None]
    assert figures.mean_variability == Decimal("11.7")  # (13.33 + 10.00) / 2
    assert figures.variability_days == 2 and figures.complete_days == 2
    assert figures.variability_supports_asthma is True  # above 10 % in an adult
    rev = figures.reversibility
    assert rev is not None and (rev.increase_ml, rev.increase_percent, rev.significant) == (300, Decimal("12.0"), True)
    assert (
        period_figures(period, HomeMeasurement.objects.filter(period=period), age=9).variability_supports_asthma
        is False
    )

    doctor = doctor_client(digital)
    reads = AuditEntry.objects.filter(actor_staff_id=digital.specialist.pk, subject_person_id=asthma_visit.person.pk)
    before = reads.count()
    page = doctor.get(f"/personal/digitala-besok/{asthma_visit.case.pk}/remisser/").content.decode()
    assert reads.count() == before + 1  # the staff read of the series is audited once per viewing
    assert "11,7 %" in page and "talar för astma" in page and "GINA 2024" in page
    assert "<meter" in page and "signifikant (minst 12 % och 200 ml)" in page
    api = doctor_client(digital).get(f"/api/v1/staff/cases/{asthma_visit.case.pk}/measurement-periods").json()
    assert api[0]["mean_pef_variability_percent"] == 11.7 and api[0]["reversibility"]["significant"] is True


# --- the end of the period and the reminders -----------------------------------------------------------------


@pytest.mark.rule("QA-5")
def test_the_practitioner_is_told_once_when_the_period_is_complete_or_over(asthma_visit, digital, traveller):
    short = order(asthma_visit, days=3, frequency="morning")
    traveller.move_to(START + dt.timedelta(days=2))
    enter(asthma_visit, short, 1, "morning", 400)
    enter(asthma_visit, short, 2, "morning", 410)
    assert not Notice.objects.filter(staff=digital.specialist, kind=NoticeKind.MEASUREMENTS_DONE).exists()
    enter(asthma_visit, short, 3, "morning", 390)  # the last day is in: told at once
    done = Notice.objects.get(staff=digital.specialist, kind=NoticeKind.MEASUREMENTS_DONE)
    assert asthma_visit.case.number in done.text and f"/{asthma_visit.case.pk}/remisser/" in done.link
    assert actions.do_notify_ended_periods() == 0  # already told

    # A period that runs out with days missing is announced by the sweep, once.
    short.refresh_from_db()
    actions.do_conclude_measurement_period(
        asthma_visit.doctor, asthma_visit.visit, short, body="Normal PEF-variabilitet.", diagnosis_codes="J20.9"
    )
    traveller.move_to(START + dt.timedelta(days=3))
    incomplete = order(asthma_visit, days=3, frequency="morning")
    traveller.move_to(START + dt.timedelta(days=7))
    assert actions.do_notify_ended_periods() == 1
    assert actions.do_notify_ended_periods() == 0
    assert Notice.objects.filter(staff=digital.specialist, kind=NoticeKind.MEASUREMENTS_DONE).count() == 2
    incomplete.refresh_from_db()
    assert incomplete.complete_notified_at is not None
    staff_case = doctor_client(digital).get(f"/personal/arenden/{asthma_visit.case.pk}/").content.decode()
    assert "1 hemmamätning är klar att sammanfatta" in staff_case


@pytest.mark.rule("QA-5")
def test_a_resident_without_todays_reading_gets_one_in_app_reminder_a_day(asthma_visit, traveller):
    asthma_visit.person.email = "karin@example.se"
    asthma_visit.person.email_confirmed_at = clock.now()
    asthma_visit.person.save(update_fields=["email", "email_confirmed_at"])
    period = order(asthma_visit)
    outgoing = OutgoingMessage.objects.count()
    assert actions.do_send_measurement_reminders() == 0  # 08:00: the day has only begun
    traveller.move_to(START.replace(hour=18, minute=30))
    enter(asthma_visit, period, 1, "morning", 400)  # the evening is still missing
    assert actions.do_send_measurement_reminders() == 1
    assert actions.do_send_measurement_reminders() == 0  # the sweep may run every hour: once a day
    reminder = Notice.objects.get(person=asthma_visit.person, kind=NoticeKind.MEASUREMENT_REMINDER)
    assert reminder.link == f"/mina-sidor/remisser/hemmatning/{period.pk}/"
    assert "PEF" not in reminder.text
    assert OutgoingMessage.objects.count() == outgoing  # in-app only, never e-mail or SMS

    traveller.move_to(START + dt.timedelta(days=1, hours=11))  # day 2, 19:00, both readings in: no reminder
    enter(asthma_visit, period, 2, "morning", 400)
    enter(asthma_visit, period, 2, "evening", 380)
    assert actions.do_send_measurement_reminders() == 0
    assert MeasurementReminder.objects.filter(period=period).count() == 1


# --- the summary note with the diagnosis ---------------------------------------------------------------------


@pytest.mark.rule("QA-5")
@pytest.mark.rule("VISIT-10")
def test_the_diagnosis_note_links_the_period_and_the_resident_reads_it_beside_the_measurements(
    asthma_visit, digital, traveller
):
    period = order(asthma_visit)
    traveller.move_to(START.replace(hour=20))
    enter(asthma_visit, period, 1, "morning", 400)
    enter(asthma_visit, period, 1, "evening", 340)
    doctor = doctor_client(digital)
    url = f"/personal/digitala-besok/{asthma_visit.case.pk}/remisser/hemmatning/{period.pk}/sammanfattning/"
    refused = doctor.post(url, {f"p{period.pk}-body": "Astma.", f"p{period.pk}-diagnosis_codes": ""})
    assert refused.status_code == 422 and "Ange minst en diagnoskod" in refused.content.decode()
    assert not RecordNote.objects.exists()

    done = doctor.post(
        url,
        {
            f"p{period.pk}-body": "Variabilitet talar för astma. Startar behandling.",
            f"p{period.pk}-diagnosis_codes": "J45.9",
            f"p{period.pk}-shared_with_resident": "on",
        },
    )
    assert done.status_code == 302
    period.refresh_from_db()
    note = RecordNote.objects.get()
    assert period.status == PeriodStatus.CONCLUDED and period.summary_note_id == note.pk
    assert note.kind == NoteKind.SUMMARY and note.diagnosis_codes == ["J45.9"] and note.shared_with_resident
    assert "Underlag: hemmamätning (PEF-dagbok)" in note.body and "16,2 %" in note.body  # (400 − 340) / 370

    resident = resident_client(asthma_visit)
    page = resident.get(f"/mina-sidor/remisser/hemmatning/{period.pk}/").content.decode()
    assert "Variabilitet talar för astma." in page and "Din behandlares sammanfattning" in page
    assert "Spara mätningen" not in page  # no more readings
    journal = resident.get("/mina-sidor/journal/").content.decode()
    assert "J45.9" in journal and "Underlag: hemmamätning" in journal
    with pytest.raises(DomainError) as closed:
        enter(asthma_visit, period, 1, "evening", 350, correction=True)
    assert closed.value.code == LabError.PERIOD_CLOSED


# --- who reaches what -----------------------------------------------------------------------------------------


@pytest.mark.rule("QA-5")
def test_another_residents_period_and_other_staff_get_the_same_404(asthma_visit, digital, resident_b, handler_x):
    period = order(asthma_visit)
    other = log_in_client(Client(), resident_identity(resident_b))
    assert other.get(f"/mina-sidor/remisser/hemmatning/{period.pk}/").status_code == 404
    assert other.get(f"/api/v1/me/home-measurements/{period.pk}").status_code == 404
    body = json.dumps({"measured_on": period.starts_on.isoformat(), "slot": "morning", "pef": 400})
    posted = other.post(f"/api/v1/me/home-measurements/{period.pk}/readings", body, content_type="application/json")
    assert posted.status_code == 404
    assert other.get("/api/v1/me/home-measurements").json() == []
    assert not HomeMeasurement.objects.exists()

    case = asthma_visit.case.pk
    # Staff of another provider, and a colleague at the unit who does not handle the visit (labs' rule: the
    # case engine's, through visits.access).
    for staff, unit in ((handler_x, None), (digital.st_doctor, digital.unit)):
        client = log_in_client(Client(), staff_identity(staff, unit=unit, role="handler" if unit else None))
        assert client.get(f"/personal/digitala-besok/{case}/remisser/").status_code == 404
        assert client.get(f"/api/v1/staff/cases/{case}/measurement-periods").status_code == 404
        ordered = client.post(f"/personal/digitala-besok/{case}/remisser/hemmatning/", {"kind": "spirometry"})
        assert ordered.status_code == 404
    assert MeasurementPeriod.objects.count() == 1


@pytest.mark.rule("QA-5")
def test_the_practitioners_page_costs_the_same_queries_with_one_reading_as_with_many(asthma_visit, digital):
    period = order(asthma_visit)
    enter(asthma_visit, period, 1, "morning", 400)
    doctor = doctor_client(digital)
    url = f"/personal/digitala-besok/{asthma_visit.case.pk}/remisser/"

    def more() -> None:
        # Same day and time (the session stays fresh): the evening, corrections, and a second period's readings.
        enter(asthma_visit, period, 1, "evening", 380)
        for value in (410, 420, 430):
            enter(asthma_visit, period, 1, "morning", value, correction=True)
        spirometry = order(asthma_visit, kind="spirometry")
        enter(asthma_visit, spirometry, 1, "morning", 400, fev1="2,5", fvc="3,5")
        enter(asthma_visit, spirometry, 1, "evening", 380, fev1="2,4", fvc="3,4")

    assert_same_query_count(lambda: doctor.get(url), more)


@pytest.mark.rule("QA-5")
def test_the_residents_list_and_api_cost_the_same_queries_with_one_period_as_with_many(asthma_visit, digital):
    period = order(asthma_visit)
    enter(asthma_visit, period, 1, "morning", 400)
    resident = resident_client(asthma_visit)

    def more() -> None:
        enter(asthma_visit, period, 1, "evening", 380)
        spirometry = order(asthma_visit, kind="spirometry")
        enter(asthma_visit, spirometry, 1, "morning", 400, fev1="2,5", fvc="3,5")
        second = open_visit(digital, asthma_visit.person, slug="luftvagar")
        enter(second, order(second), 1, "morning", 390)

    assert_same_query_count(
        lambda: (resident.get("/mina-sidor/remisser/"), resident.get("/api/v1/me/home-measurements")), more
    )
    assert len(resident.get("/api/v1/me/home-measurements").json()) == 3


@pytest.mark.rule("QA-5")
def test_the_demo_has_an_asthma_visit_with_a_pef_diary_half_filled_in(demo):
    from vardnav.demo import identities
    from vardnav.demo.labs import load_demo_measurement_period
    from vardnav.people.access import get_person_by_personal_number

    assert load_demo_measurement_period() == 1
    assert load_demo_measurement_period() == 0  # once
    person = get_person_by_personal_number(identities.RESIDENT_A)
    period = MeasurementPeriod.objects.get(subject=person)
    readings = list(HomeMeasurement.objects.filter(period=period))
    figures = period_figures(period, readings, age=person.age_on(period.starts_on))
    assert period.days == 14 and figures.complete_days == 6 and len(readings) == 13
    assert figures.variability_supports_asthma is True
    page = log_in_client(Client(), resident_identity(person)).get(f"/mina-sidor/remisser/hemmatning/{period.pk}/")
    assert "Dag 7 av 14" in page.content.decode()
