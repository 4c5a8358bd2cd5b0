"""The vaccination card (VAC-1..4, BOOK-4): registering, reading, reminders, doses given elsewhere, travel advice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.personas import actor_for, grant, make_staff, make_unit
from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.models import AuditEntry
from vardnav.core import clock
from vardnav.core.errors import DomainError
from vardnav.identity.actions import do_set_message_language
from vardnav.notifications.models import Notice, NoticeKind, OutgoingMessage
from vardnav.people.models import Person
from vardnav.vaccinations import access, actions, schedules
from vardnav.vaccinations.api import VaccineCode
from vardnav.vaccinations.models import TravelAdvice, Vaccination, VaccinationReminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(world):
    """A vaccination clinic of the provider with a nurse working there."""
    unit = make_unit(world.provider, "Vaccinationsmottagningen", "SE2321000016-VAC1", slug="vaccinationsmottagningen")
    unit.kind = "vaccination"
    unit.save(update_fields=["kind"])
    nurse = make_staff(world.provider, "SE2321000016-VN1", "Vera", "nurse")
    grant(nurse, unit, "handler")
    return unit, nurse, actor_for(nurse, unit=unit, role="handler")


def register(actor, person, **overrides):
    values = {
        "vaccine": "tbe",
        "product": "FSME-Immun Vuxen",
        "dose_number": 1,
        "batch": "AB1234",
        "site": "left_arm",
        "given_on": clock.today().isoformat(),
    }
    values.update(overrides)
    return actions.do_register_vaccination(actor, person, **values)


def resident_client(person, acting_for=None):
    return log_in_client(Client(), resident_identity(person, acting_for=acting_for))


# --- VAC-1: the card ---------------------------------------------------------------------------


@pytest.mark.rule("VAC-1")
def test_a_dose_the_nurse_registers_is_on_the_residents_card_with_product_dose_batch_site_date_and_clinic(
    world, clinic
):
    unit, nurse, actor = clinic
    dose = register(actor, world.resident_a)
    assert (dose.unit, dose.given_by, dose.batch, dose.site, dose.self_reported) == (
        unit,
        nurse,
        "AB1234",
        "left_arm",
        False,
    )
    page = resident_client(world.resident_a).get("/mina-sidor/vaccinationer/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "FSME-Immun Vuxen" in html and unit.name in html and "TBE" in html
    assert resident_client(world.resident_b).get("/mina-sidor/vaccinationer/").content.decode().count("FSME-Immun") == 0


@pytest.mark.rule("VAC-1")
def test_a_guardian_reaches_each_child_under_16_from_their_own_card_but_not_a_child_of_16(world, clinic):
    _, _, actor = clinic
    register(actor, world.child_8, vaccine="hepatitis_a", product="Havrix Junior")
    client = resident_client(world.guardian)
    own = client.get("/mina-sidor/vaccinationer/").content.decode()
    assert f"/mina-sidor/vaccinationer/barn/{world.child_8.pk}/" in own
    assert f"/mina-sidor/vaccinationer/barn/{world.child_17.pk}/" not in own
    child_page = client.get(f"/mina-sidor/vaccinationer/barn/{world.child_8.pk}/")
    assert child_page.status_code == 200 and "Havrix Junior" in child_page.content.decode()
    assert client.get(f"/mina-sidor/vaccinationer/barn/{world.child_17.pk}/").status_code == 404
    assert (
        resident_client(world.resident_b).get(f"/mina-sidor/vaccinationer/barn/{world.child_8.pk}/").status_code == 404
    )


@pytest.mark.rule("VAC-1")
def test_only_health_care_staff_with_a_role_where_they_work_open_a_card_and_each_opening_is_logged(world, clinic):
    _, _, actor = clinic
    before = AuditEntry.objects.filter(subject_person_id=world.resident_a.pk, action="vaccination_card.read").count()
    access.read_card_for_staff(actor, world.resident_a)
    after = AuditEntry.objects.filter(subject_person_id=world.resident_a.pk, action="vaccination_card.read").count()
    assert after == before + 1
    clerk = make_staff(world.provider, "SE2321000016-AD1", "Alma", "administrative")
    grant(clerk, world.unit_x, "receiver")
    with pytest.raises(DomainError):
        access.read_card_for_staff(actor_for(clerk, unit=world.unit_x, role="receiver"), world.resident_a)
    with pytest.raises(DomainError):
        access.read_card_for_staff(actor_for(world.handler_x), world.resident_a)  # logged in, no unit chosen


@pytest.mark.rule("VAC-1")
def test_a_vaccination_date_in_the_future_is_refused_in_swedish_and_nothing_is_saved(world, clinic):
    unit, nurse, _ = clinic
    client = log_in_client(Client(), staff_identity(nurse, unit=unit, role="handler"))
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        f"/personal/vaccinationer/invanare/{world.resident_a.pk}/registrera/",
        {
            "vaccine": "tbe",
            "product": "FSME-Immun Vuxen",
            "dose_number": "1",
            "batch": "AB1",
            "site": "left_arm",
            "given_on": tomorrow,
        },
    )
    assert response.status_code == 422
    assert "Datumet kan inte vara i framtiden" in response.content.decode()
    assert not Vaccination.objects.filter(subject=world.resident_a).exists()


@pytest.mark.rule("VAC-1")
def test_the_card_costs_the_same_queries_with_one_dose_as_with_many(world, clinic):
    _, _, actor = clinic
    register(actor, world.resident_a)
    client = resident_client(world.resident_a)

    def add_rows():
        register(actor, world.resident_a, dose_number=2)
        register(actor, world.resident_a, vaccine="hepatitis_a", product="Havrix")
        actions.do_add_self_reported(
            world.resident(world.resident_a), world.resident_a, vaccine="rabies", dose_number=1, given_on=clock.today()
        )
        actions.do_record_travel_advice(actor, world.resident_a, destination="TH", trip_days=10)
        actions.do_record_travel_advice(actor, world.resident_a, destination="KE", trip_days=40)

    actions.do_record_travel_advice(actor, world.resident_a, destination="VN", trip_days=10)
    assert_same_query_count(lambda: client.get("/mina-sidor/vaccinationer/"), add_rows)


# --- BOOK-4: ages at vaccination clinics ---------------------------------------------------------


@pytest.mark.rule("BOOK-4")
def test_a_vaccination_clinic_vaccinates_from_9_months_or_the_vaccines_own_age(world, clinic):
    _, _, actor = clinic
    birth = world.child_8.birth_date
    at_five_months = birth + dt.timedelta(days=152)
    with pytest.raises(DomainError) as refused:
        register(actor, world.child_8, vaccine="japanese_encephalitis", product="Ixiaro", given_on=at_five_months)
    assert "från 9 månader" in str(refused.value.field_errors()["vaccine"])
    # At a vårdcentral only the vaccine's own minimum (2 months for Ixiaro) applies.
    grant(world.handler_x2, world.unit_x, "receiver")
    nurse_at_vc = actor_for(world.handler_x2, unit=world.unit_x, role="handler")
    assert register(
        nurse_at_vc, world.child_8, vaccine="japanese_encephalitis", product="Ixiaro", given_on=at_five_months
    )
    at_ten_months = birth + dt.timedelta(days=305)
    with pytest.raises(DomainError) as too_young_for_tbe:
        register(actor, world.child_8, given_on=at_ten_months, product="FSME-Immun Junior")
    assert "från 1 år" in str(too_young_for_tbe.value.field_errors()["vaccine"])


# --- VAC-2: next dose and reminders -----------------------------------------------------------------


@pytest.mark.rule("VAC-2")
def test_the_card_shows_the_next_dose_from_the_shipped_schedule(world, clinic):
    _, _, actor = clinic
    first = clock.today() - dt.timedelta(days=20)
    register(actor, world.resident_a, given_on=first)
    card = access.card(world.resident_a)
    (row,) = card.rows
    tbe = schedules.vaccines()["tbe"]
    assert row.next is not None
    assert (row.next.dose_number, row.next.due_on) == (
        2,
        first + dt.timedelta(days=tbe.variants[0].doses_after_days[1]),
    )
    assert row.due_soon
    assert row.booking_unit_slug == "vaccinationsmottagningen"
    page = resident_client(world.resident_a).get("/mina-sidor/vaccinationer/").content.decode()
    assert "/mottagningar/vaccinationsmottagningen/boka/" in page


@pytest.mark.rule("VAC-2")
def test_a_series_continues_with_boosters_and_then_repeats(world):
    tbe = schedules.vaccines()["tbe"]
    born, first = dt.date(1976, 1, 1), dt.date(2020, 5, 1)
    after_three = schedules.next_dose(tbe, taken=3, first_on=first, last_on=dt.date(2021, 1, 1), birth_date=born)
    assert (
        after_three is not None
        and after_three.booster
        and after_three.due_on == dt.date(2021, 1, 1) + dt.timedelta(days=1095)
    )
    after_four = schedules.next_dose(tbe, taken=4, first_on=first, last_on=dt.date(2024, 1, 1), birth_date=born)
    assert after_four is not None and after_four.due_on == dt.date(2024, 1, 1) + dt.timedelta(days=1826)
    # Started at 50 or older: four doses in the first year (regional recommendation).
    older = schedules.next_dose(
        tbe, taken=3, first_on=dt.date(2026, 1, 1), last_on=dt.date(2026, 3, 1), birth_date=dt.date(1970, 1, 1)
    )
    assert older is not None and not older.booster and older.dose_number == 4
    yellow = schedules.vaccines()["yellow_fever"]
    assert schedules.next_dose(yellow, taken=1, first_on=first, last_on=first, birth_date=born) is None


@pytest.mark.rule("VAC-2")
def test_a_due_dose_is_reminded_once_in_app_and_by_email_without_health_data(world, clinic):
    _, _, actor = clinic
    Person.objects.filter(pk=world.resident_a.pk).update(email="karin@example.se", email_confirmed_at=clock.now())
    register(actor, world.resident_a, given_on=clock.today() - dt.timedelta(days=25))
    assert actions.do_send_vaccination_reminders() == 1
    notice = Notice.objects.get(person=world.resident_a, kind=NoticeKind.VACCINATION_REMINDER)
    assert notice.link == "/mina-sidor/vaccinationer/"
    (mail,) = [m for m in OutgoingMessage.objects.filter(channel="email") if m.recipient == "karin@example.se"]
    assert mail.subject == "En påminnelse väntar på dig i Vårdnav"
    for word in ("TBE", "FSME", "vaccin", "dos"):
        assert word.lower() not in (mail.subject + mail.body).lower()
    assert actions.do_send_vaccination_reminders() == 0
    assert VaccinationReminder.objects.filter(subject=world.resident_a, vaccine="tbe", dose_number=2).count() == 1


@pytest.mark.rule("VAC-2")
def test_a_childs_due_dose_is_reminded_to_the_guardians(world, clinic):
    _, _, actor = clinic
    register(
        actor,
        world.child_8,
        vaccine="hepatitis_a",
        product="Havrix Junior",
        given_on=clock.today() - dt.timedelta(days=180),
    )
    assert actions.do_send_vaccination_reminders() == 1
    told = set(Notice.objects.filter(kind=NoticeKind.VACCINATION_REMINDER).values_list("person_id", flat=True))
    assert told == {world.guardian.pk, world.guardian_2.pk}
    assert all("ditt barn" in n.text for n in Notice.objects.filter(kind=NoticeKind.VACCINATION_REMINDER))


# --- VAC-3: given elsewhere ---------------------------------------------------------------------------


@pytest.mark.rule("VAC-3")
def test_a_resident_adds_a_dose_given_elsewhere_marked_self_reported_and_it_counts_for_the_next_dose(world):
    client = resident_client(world.resident_a)
    given = clock.today() - dt.timedelta(days=3)
    form = client.get("/mina-sidor/vaccinationer/lagg-till/")
    assert form.status_code == 200
    response = client.post(
        "/mina-sidor/vaccinationer/lagg-till/",
        {"vaccine": "rabies", "product": "", "dose_number": "1", "given_on": given.isoformat(), "place": "Bangkok"},
    )
    assert response.status_code == 302
    dose = Vaccination.objects.get(subject=world.resident_a)
    assert (
        dose.self_reported
        and dose.unit is None
        and dose.reported_by == world.resident_a
        and dose.place_text == "Bangkok"
    )
    page = client.get("/mina-sidor/vaccinationer/").content.decode()
    assert "Egen uppgift" in page
    (row,) = access.card(world.resident_a).rows
    assert row.next is not None and (row.next.dose_number, row.next.due_on) == (2, given + dt.timedelta(days=7))


@pytest.mark.rule("VAC-3")
def test_a_guardian_adds_a_childs_dose_and_bad_input_gets_swedish_messages(world):
    client = resident_client(world.guardian)
    future = (clock.today() + dt.timedelta(days=5)).isoformat()
    refused = client.post(
        f"/mina-sidor/vaccinationer/lagg-till/?barn={world.child_8.pk}",
        {"vaccine": "", "dose_number": "0", "given_on": future, "barn": world.child_8.pk},
    )
    text = refused.content.decode()
    assert refused.status_code == 422
    assert "Välj ett vaccin i listan." in text and "Datumet kan inte vara i framtiden" in text and "Dosnumret" in text
    assert not Vaccination.objects.exists()
    ok = client.post(
        "/mina-sidor/vaccinationer/lagg-till/",
        {"vaccine": "hepatitis_a", "dose_number": "1", "given_on": "2024-06-01", "barn": world.child_8.pk},
    )
    assert ok.status_code == 302 and ok["Location"] == f"/mina-sidor/vaccinationer/barn/{world.child_8.pk}/"
    assert Vaccination.objects.get().subject == world.child_8
    assert (
        client.post(
            "/mina-sidor/vaccinationer/lagg-till/",
            {"vaccine": "hepatitis_a", "dose_number": "1", "given_on": "2024-06-01", "barn": world.child_17.pk},
        ).status_code
        == 404
    )


# --- VAC-4: travel advice -----------------------------------------------------------------------------


@pytest.mark.rule("VAC-4")
def test_the_resident_sees_travel_advice_by_destination_and_trip_length_with_its_source_and_date(world):
    client = resident_client(world.resident_a)
    short = client.get("/mina-sidor/vaccinationer/reserad/?destination=TH&trip_days=10").content.decode()
    long = client.get("/mina-sidor/vaccinationer/reserad/?destination=TH&trip_days=40").content.decode()
    assert "Hepatit A" in short and "Japansk encefalit" not in short
    assert "Japansk encefalit" in long and "Rabies" in long
    table = schedules.travel_table()
    assert "vaccin.se" in short and table.compiled_on.year == 2026
    unknown = client.get("/mina-sidor/vaccinationer/reserad/?destination=XX&trip_days=10")
    assert unknown.status_code == 422
    assert "Resmålet finns inte i tabellen" in unknown.content.decode()


@pytest.mark.rule("VAC-4")
def test_the_nurse_sees_the_advice_and_records_it_on_the_visit(world, clinic):
    unit, nurse, actor = clinic
    from vardnav.bookings.access import free_times
    from vardnav.bookings.actions import (
        Series,
        do_book,
        do_create_visit_type,
        do_publish_series,
        do_set_booking_settings,
    )

    grant(nurse, unit, "booking_admin")
    publisher = actor_for(nurse, unit=unit, role="booking_admin")
    do_set_booking_settings(publisher, unit=unit, online_booking=True, drop_in=False, drop_in_hours=[])
    visit_type = do_create_visit_type(
        publisher,
        unit=unit,
        kind="nurse_visit",
        name="Resevaccination – rådgivning",
        duration_minutes=20,
        profession="nurse",
    )
    day = clock.today() + dt.timedelta(days=3)
    do_publish_series(
        publisher,
        Series(
            visit_type=visit_type,
            staff=nurse,
            first_day=day,
            last_day=day,
            weekdays=frozenset(range(7)),
            start=dt.time(9),
            end=dt.time(10),
        ),
    )
    booking = do_book(world.resident(world.resident_a), time_id=free_times(visit_type).items[0].pk).booking
    client = log_in_client(Client(), staff_identity(nurse, unit=unit, role="handler"))
    page = client.get(
        f"/personal/vaccinationer/invanare/{world.resident_a.pk}/?besok={booking.pk}&destination=KE&trip_days=14"
    )
    assert page.status_code == 200 and "Gula febern" in page.content.decode()
    response = client.post(
        f"/personal/vaccinationer/invanare/{world.resident_a.pk}/reserad/",
        {"destination": "KE", "trip_days": "14", "note": "Gula febern bokas.", "besok": booking.pk},
    )
    assert response.status_code == 302
    advice = TravelAdvice.objects.get(subject=world.resident_a)
    assert advice.booking == booking and "yellow_fever" in advice.vaccines and advice.unit == unit
    assert advice.table_compiled_on == schedules.travel_table().compiled_on
    assert "Kenya" in resident_client(world.resident_a).get("/mina-sidor/vaccinationer/").content.decode()
    bad = client.post(
        f"/personal/vaccinationer/invanare/{world.resident_a.pk}/reserad/", {"destination": "ZZ", "trip_days": "14"}
    )
    assert bad.status_code == 422 and "Resmålet finns inte i tabellen" in bad.content.decode()


# --- API and the shipped data --------------------------------------------------------------------------


@pytest.mark.rule("VAC-3")
def test_the_api_adds_a_self_reported_dose_and_refuses_a_future_date_with_a_swedish_problem(world):
    client = resident_client(world.resident_a)
    future = (clock.today() + dt.timedelta(days=1)).isoformat()
    refused = client.post(
        "/api/v1/vaccinations/self-reported",
        {"vaccine": "tbe", "dose_number": 1, "given_on": future},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    assert "Datumet kan inte vara i framtiden" in refused.json()["errors"]["given_on"][0]
    created = client.post(
        "/api/v1/vaccinations/self-reported",
        {"vaccine": "tbe", "dose_number": 1, "given_on": "2025-05-01"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["self_reported"] is True
    card = client.get("/api/v1/vaccinations/card").json()
    assert [d["vaccine"] for d in card["doses"]] == ["tbe"] and card["next_doses"][0]["dose_number"] == 2


@pytest.mark.rule("VAC-4")
def test_the_api_gives_travel_advice_and_refuses_an_unknown_destination_in_swedish(client):
    advice = client.get("/api/v1/vaccinations/travel-advice?destination=ke&trip_days=40").json()
    assert advice["destination"] == "KE" and "yellow_fever" in [v["code"] for v in advice["vaccines"]]
    assert advice["source"] and advice["compiled_on"]
    unknown = client.get("/api/v1/vaccinations/travel-advice?destination=XX&trip_days=10")
    assert unknown.status_code == 400 and "Resmålet finns inte" in unknown.json()["errors"]["destination"][0]


@pytest.mark.rule("VAC-2")
def test_every_shipped_schedule_names_its_source_and_the_api_knows_every_vaccine():
    known = schedules.vaccines()
    assert set(VaccineCode.__args__) == set(known)  # type: ignore[attr-defined]
    for vaccine in known.values():
        assert vaccine.source and vaccine.products and vaccine.variants
    for destination in schedules.travel_table().destinations.values():
        assert set(destination.all_trips + destination.long_trips) <= set(known)


@pytest.mark.rule("VAC-2")
def test_the_demo_shows_clinic_and_self_reported_doses_a_due_dose_and_travel_advice(demo_resident_a):
    card = access.card(demo_resident_a)
    doses = [dose for row in card.rows for dose in row.doses]
    assert any(dose.self_reported for dose in doses) and any(not dose.self_reported for dose in doses)
    assert any(row.due_soon for row in card.rows)
    assert card.advice and card.advice[0].destination == "TH"


@pytest.mark.rule("VAC-2")
def test_the_reminder_e_mail_is_in_english_for_a_resident_who_chose_english(world, clinic):
    _, _, actor = clinic
    Person.objects.filter(pk=world.resident_a.pk).update(email="karin@example.se", email_confirmed_at=clock.now())
    do_set_message_language(actor_for(world.resident_a), "en")
    register(actor, world.resident_a, given_on=clock.today() - dt.timedelta(days=25))
    assert actions.do_send_vaccination_reminders() == 1
    (mail,) = [m for m in OutgoingMessage.objects.filter(channel="email") if m.recipient == "karin@example.se"]
    assert mail.subject == "A reminder is waiting for you in Vårdnav"
    assert mail.body.startswith("Hello,\n\nYou have a new message in Vårdnav.")
    for word in ("TBE", "FSME", "vaccin", "dose"):
        assert word.lower() not in (mail.subject + mail.body).lower()
