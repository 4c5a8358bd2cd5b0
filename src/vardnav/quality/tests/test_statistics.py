"""Continuity of revisits (QA-3) and prescribing statistics per practitioner (QA-4), on known data.

The data are made through the actions production uses: residents start digital
visits and come back (visits links the revisit), the receiver hands a case to
a colleague, doctors record prescriptions and close cases. Time stands still in
mid-November 2026, so "this month" is November.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client

from tests.personas import SYSTEM, actor_for, grant, make_provider_admin, make_staff
from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.cases.actions import do_close_case, do_distribute_case, do_submit_case
from vardnav.cases.models import Case
from vardnav.core.actor import Actor
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError, PermissionDenied
from vardnav.organizations.models import Role, Staff, Unit
from vardnav.people.models import Person
from vardnav.prescriptions.actions import do_load_curated_register, do_record_prescription
from vardnav.prescriptions.models import Product
from vardnav.quality.statistics import HIGH, LOW, MIN_CASES, check_period, continuity, prescribing
from vardnav.quality.stats_access import access_stats_scope
from vardnav.quality.stats_errors import StatsError
from vardnav.visits.access import current_triage
from vardnav.visits.actions import do_start_visit
from vardnav.visits.models import Visit
from vardnav.visits.tests.conftest import Digital, build_digital, valid_answers

pytestmark = pytest.mark.django_db
NOVEMBER = dt.datetime(2026, 11, 18, 10, 0, tzinfo=STOCKHOLM)
ANTIBIOTIC = "CUR-selexid-400-mg-filmdragerad-tablett"  # J01CA08
OTHER = "CUR-alvedon-500-mg-filmdragerad-tablett"  # N02BE01
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _mid_november():
    with time_machine.travel(NOVEMBER, tick=False):
        yield


@pytest.fixture
def products(world) -> dict[str, Product]:
    do_load_curated_register(SYSTEM)
    return Product.objects.in_bulk([ANTIBIOTIC, OTHER], field_name="npl_id")


@pytest.fixture
def digital(world) -> Digital:
    built = build_digital()
    grant(built.nurse, built.unit, Role.RECEIVER)  # hands a revisit to a colleague
    built.on_duty(built.specialist)
    return built


# --- building the data through the actions ----------------------------------------------------------


def handler(staff: Staff, unit: Unit) -> Actor:
    return actor_for(staff, unit=unit, role=Role.HANDLER)


def visit(digital: Digital, person: Person, *, to: Staff | None = None, area: str = "urinvagsinfektion") -> Visit:
    """A resident starts a visit (a revisit when they had one in the area within 30 days); the receiver hands it
    to `to` when routing chose someone else."""
    chosen = digital.areas[area]
    triage = current_triage(chosen)
    started = do_start_visit(actor_for(person), chosen, triage, answers=valid_answers(triage.items), abroad=False)
    if to is not None and started.case.assigned_to_id != to.pk:
        receiver = actor_for(digital.nurse, unit=digital.unit, role=Role.RECEIVER)
        do_distribute_case(receiver, started.case, handler=to)
    return started.visit


def close(case: Case, staff: Staff, *, prescribe: Product | None = None) -> None:
    case.refresh_from_db()
    unit = case.unit
    if prescribe is not None:
        do_record_prescription(
            handler(staff, unit),
            person=case.subject,
            product=prescribe,
            prescriber=staff,
            unit=unit,
            dosage="1 tablett 2 gånger dagligen",
            amount="10 tabletter",
            duration_days=5,
            source_case=case,
        )
    do_close_case(handler(staff, unit), case, outcome="answered")


def closed_case(world, staff: Staff, *, prescribe: Product | None = None) -> Case:
    """Resident A writes to unit_x; the receiver gives the case to `staff`, who prescribes (or not) and closes it."""
    number = next(_numbers)
    case = do_submit_case(
        world.resident(world.resident_a),
        service=world.contact,
        unit=None,
        answers={"subject": f"Ärende {number}", "details": f"Fråga {number}: " + "ab"[number % 2] * number},
    )
    do_distribute_case(actor_for(world.receiver_x, unit=world.unit_x, role=Role.RECEIVER), case, handler=staff)
    close(case, staff, prescribe=prescribe)
    return case


def doctor(world, hsa_suffix: str, name: str) -> Staff:
    staff = make_staff(world.provider, f"SE2321000016-{hsa_suffix}", name, "doctor")
    grant(staff, world.unit_x, Role.HANDLER)
    return staff


@dataclass
class Prescribers:
    high: Staff
    within: Staff
    also_within: Staff
    few: Staff


def cases_for(world, staff: Staff, closed: int, antibiotic: int, products: dict[str, Product]) -> None:
    for index in range(closed):
        closed_case(world, staff, prescribe=products[ANTIBIOTIC] if index < antibiotic else None)


@pytest.fixture
def prescribers(world, products) -> Prescribers:
    """Four doctors at unit_x: 9 of 10, 4 of 10, 3 of 10 and 2 of 2 closed cases with an antibiotic (doctors'
    share 18/32); the nurse closes 10 cases without any, and prescribes a painkiller once."""
    found = Prescribers(
        high=world.handler_x,
        within=doctor(world, "QD1", "Bodil"),
        also_within=doctor(world, "QD2", "Dagny"),
        few=doctor(world, "QD3", "Cecilia"),
    )
    cases_for(world, found.high, 10, 9, products)
    cases_for(world, found.within, 10, 4, products)
    cases_for(world, found.also_within, 10, 3, products)
    cases_for(world, found.few, 2, 2, products)
    closed_case(world, world.handler_x2, prescribe=products[OTHER])
    cases_for(world, world.handler_x2, 9, 0, products)
    return found


def scope_of(staff: Staff, unit: Unit | None = None, role: str | None = None):
    return access_stats_scope(actor_for(staff, unit=unit, role=role))


# --- the period -----------------------------------------------------------------------------------


def test_a_period_is_a_month_or_a_quarter_that_has_begun():
    assert check_period("").code == "2026-11"
    october = check_period("2026-10")
    assert (october.kind, october.first_day, october.end_day) == ("month", dt.date(2026, 10, 1), dt.date(2026, 11, 1))
    quarter = check_period("2026-k4")
    assert (quarter.code, quarter.first_day, quarter.end_day) == ("2026-K4", dt.date(2026, 10, 1), dt.date(2027, 1, 1))
    assert [month.month for month in quarter.months] == [10, 11, 12]
    for text, code in [
        ("november", StatsError.INVALID_PERIOD),
        ("2026-13", StatsError.INVALID_PERIOD),
        ("2026-K5", StatsError.INVALID_PERIOD),
        ("2026-12", StatsError.FUTURE_PERIOD),
        ("2027-K1", StatsError.FUTURE_PERIOD),
        ("1999-01", StatsError.PERIOD_TOO_EARLY),
    ]:
        with pytest.raises(DomainError) as refused:
            check_period(text)
        assert refused.value.code is code and refused.value.field_errors()["period"], text


# --- continuity (QA-3) --------------------------------------------------------------------------------


@pytest.mark.rule("QA-3")
def test_continuity_counts_closed_revisits_that_met_the_same_practitioner(world, digital):
    first_a = visit(digital, world.resident_a)
    close(first_a.case, digital.specialist)
    again_a = visit(digital, world.resident_a)  # back within 30 days: a revisit, routed to the same doctor
    assert again_a.revisit_of == first_a and Case.objects.get(pk=again_a.case_id).assigned_to == digital.specialist
    close(again_a.case, digital.specialist)

    first_b = visit(digital, world.resident_b)
    close(first_b.case, digital.specialist)
    again_b = visit(digital, world.resident_b, to=digital.st_doctor)  # the receiver gives it to a colleague
    close(again_b.case, digital.st_doctor)

    close(visit(digital, world.guardian).case, digital.specialist)  # no revisit
    first_85 = visit(digital, world.aged_85)
    close(first_85.case, digital.specialist)
    visit(digital, world.aged_85)  # a revisit still open: not counted yet

    admin = make_provider_admin(digital.provider, "SE2321000018-PA1", "digitalvarden-admin")
    figures = continuity(scope_of(admin), check_period("2026-11"))
    assert (figures.total.n, figures.total.same, figures.total.share) == (2, 1, 50.0)
    assert [(row.month, row.n, row.same) for row in figures.by_month] == [(dt.date(2026, 11, 1), 2, 1)]
    assert [(row.label, row.n, row.same) for row in figures.by_unit] == [(digital.unit.name, 2, 1)]
    assert [(row.label, row.n) for row in figures.by_profession] == [("Läkare", 2)]
    specialist = f"{digital.specialist.given_name} {digital.specialist.surname}"
    assert [(row.label, row.detail, row.n, row.same) for row in figures.by_practitioner] == [
        (specialist, "Läkare", 2, 1)
    ]
    # Another month has none of them.
    assert continuity(scope_of(admin), check_period("2026-10")).total.n == 0


@pytest.mark.rule("QA-3")
def test_the_head_of_unit_sees_the_continuity_of_their_unit_and_another_providers_admin_sees_none(world, digital):
    first = visit(digital, world.resident_a)
    close(first.case, digital.specialist)
    close(visit(digital, world.resident_a).case, digital.specialist)
    head = make_staff(digital.provider, "SE2321000018-VC1", "Vera", "doctor")
    grant(head, digital.unit, Role.UNIT_ADMIN)
    own = continuity(scope_of(head, digital.unit, Role.UNIT_ADMIN), check_period(""))
    assert (own.total.n, own.total.same) == (1, 1)
    others = continuity(scope_of(world.provider_admin_other), check_period(""))
    assert others.total.n == 0 and others.by_practitioner == []


# --- prescribing (QA-4) -------------------------------------------------------------------------------


@pytest.mark.rule("QA-4")
def test_an_outlier_is_marked_and_one_within_the_band_or_below_the_minimum_is_not(world, prescribers):
    figures = prescribing(scope_of(world.provider_admin), check_period("2026-11"))
    rows = {row.staff_id: row for row in figures.practitioners}
    high, within, also, few = (
        rows[staff.pk] for staff in (prescribers.high, prescribers.within, prescribers.also_within, prescribers.few)
    )
    assert (high.closed_cases, high.antibiotic_cases, high.share) == (10, 9, 90.0)
    assert high.outlier == HIGH and high.band is not None and high.band[1] < 90.0
    assert (within.share, within.outlier) == (40.0, "")
    assert (also.share, also.outlier) == (30.0, "")
    assert few.closed_cases < MIN_CASES and few.share == 100.0 and few.outlier == "" and not few.enough_cases
    assert [row.staff_id for row in figures.outliers] == [prescribers.high.pk]
    doctors = {share.code: share for share in figures.professions}["doctor"]
    assert (doctors.closed_cases, doctors.antibiotic_cases, doctors.share) == (32, 18, 56.2)
    assert high.baseline == 56.2
    # The nurse is compared with nurses: no antibiotics among them, so not "low".
    nurse = rows[world.handler_x2.pk]
    assert (nurse.closed_cases, nurse.share, nurse.outlier, nurse.prescriptions) == (10, 0.0, "", 1)
    assert (high.prescriptions, high.antibiotic_prescriptions) == (9, 9)
    assert (figures.prescriptions, figures.antibiotic_prescriptions) == (19, 18)


@pytest.mark.rule("QA-4")
def test_a_low_share_with_enough_cases_is_marked_low(world, products):
    cases_for(world, world.handler_x, 12, 10, products)
    low = doctor(world, "QD4", "Lars")
    cases_for(world, low, 12, 1, products)
    figures = prescribing(scope_of(world.provider_admin), check_period(""))
    marks = {row.staff_id: row.outlier for row in figures.practitioners}
    assert marks == {world.handler_x.pk: HIGH, low.pk: LOW}


@pytest.mark.rule("QA-4")
def test_the_antibiotic_share_is_shown_per_complaint_area(world, digital, products):
    for person in (world.resident_a, world.resident_b, world.guardian):
        started = visit(digital, person)
        close(started.case, digital.specialist, prescribe=products[ANTIBIOTIC] if person != world.guardian else None)
    skin = visit(digital, world.aged_85, area="hudbesvar")
    close(skin.case, digital.specialist)
    admin = make_provider_admin(digital.provider, "SE2321000018-PA1", "digitalvarden-admin")
    figures = prescribing(scope_of(admin), check_period(""))
    areas = {area.name: (area.visits, area.antibiotic_visits, area.share) for area in figures.areas}
    assert areas == {
        digital.areas["urinvagsinfektion"].name: (3, 2, 66.7),
        digital.areas["hudbesvar"].name: (1, 0, 0.0),
    }


@pytest.mark.rule("QA-4")
def test_the_head_of_unit_compares_with_the_whole_providers_share(world, products):
    cases_for(world, world.handler_x, 10, 9, products)
    # At the other unit a doctor with many cases and few antibiotics pulls the provider's share down.
    grant(world.receiver_x, world.unit_y, Role.RECEIVER)
    for index in range(20):
        case = do_submit_case(
            world.resident(world.resident_b),
            service=world.contact,
            unit=None,
            answers={"subject": f"Y {index}", "details": "y" * (index + 1)},
        )
        do_distribute_case(
            actor_for(world.receiver_x, unit=world.unit_y, role=Role.RECEIVER), case, handler=world.handler_y
        )
        close(case, world.handler_y, prescribe=products[ANTIBIOTIC] if index < 2 else None)
    head = scope_of(world.unit_admin_x, world.unit_x, Role.UNIT_ADMIN)
    assert head.unit_ids == (world.unit_x.pk,) and not head.whole_provider
    figures = prescribing(head, check_period(""))
    assert [row.staff_id for row in figures.practitioners] == [world.handler_x.pk]
    doctors = {share.code: share for share in figures.professions}["doctor"]
    assert (doctors.closed_cases, doctors.antibiotic_cases) == (30, 11)
    assert figures.practitioners[0].outlier == HIGH


# --- access and the pages ------------------------------------------------------------------------------


@pytest.mark.rule("QA-4")
def test_only_provider_admins_and_heads_of_unit_see_the_statistics(world):
    with pytest.raises(PermissionDenied):
        scope_of(world.handler_x, world.unit_x, Role.HANDLER)
    with pytest.raises(PermissionDenied):
        scope_of(world.receiver_x, world.unit_x, Role.RECEIVER)
    assert scope_of(world.provider_admin).whole_provider
    other = scope_of(world.provider_admin_other)
    assert other.provider_id == world.other_provider.pk
    for path in ("/personal/kvalitet/", "/personal/kvalitet/forskrivning/", "/api/v1/staff/quality/prescribing"):
        client = log_in_client(Client(), staff_identity(world.handler_x, unit=world.unit_x, role=Role.HANDLER))
        assert client.get(path).status_code == 403, path


@pytest.mark.rule("QA-4")
def test_another_providers_admin_sees_nothing_of_this_provider(world, prescribers):
    client = log_in_client(Client(), staff_identity(world.provider_admin_other))
    page = client.get("/personal/kvalitet/forskrivning/").content.decode()
    assert "Bodil" not in page and world.handler_x.given_name not in page
    api = client.get("/api/v1/staff/quality/prescribing").json()
    assert api["practitioners"] == [] and api["scope"]["provider"] == world.other_provider.name
    continuity_api = client.get("/api/v1/staff/quality/continuity").json()
    assert continuity_api["total"]["n"] == 0


@pytest.mark.rule("QA-4")
def test_the_prescribing_page_marks_the_outlier_and_its_viewing_is_audited_once(world, prescribers):
    client = log_in_client(Client(), staff_identity(world.provider_admin))
    before = AuditEntry.objects.filter(action=AuditEvent.QUALITY_PRESCRIBING_READ).count()
    page = client.get("/personal/kvalitet/forskrivning/?period=2026-11")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Avviker: högre" in text and text.count("Avviker:") == 1
    assert f"För få ärenden (under {MIN_CASES})" in text
    assert "<meter" in text and "56,2 %" in text
    entries = AuditEntry.objects.filter(action=AuditEvent.QUALITY_PRESCRIBING_READ)
    assert entries.count() == before + 1
    entry = entries.latest("pk")
    assert entry.subject_person_id is None and entry.extra["period"] == "2026-11"
    api = client.get("/api/v1/staff/quality/prescribing?period=2026-11").json()
    assert [row["outlier"] for row in api["practitioners"] if row["outlier"]] == ["high"]
    assert entries.count() == before + 2


def test_a_bad_period_is_refused_next_to_the_field_and_as_a_problem(world):
    client = log_in_client(Client(), staff_identity(world.provider_admin))
    page = client.get("/personal/kvalitet/kontinuitet/?period=2026-14")
    assert page.status_code == 422
    text = page.content.decode()
    assert "field--error" in text and "Skriv en månad som 2026-11 eller ett kvartal som 2026-K4." in text
    problem = client.get("/api/v1/staff/quality/continuity?period=2026-12")
    assert problem.status_code == 400 and problem["Content-Type"].startswith("application/problem+json")
    assert problem.json()["type"].endswith(StatsError.FUTURE_PERIOD.value)
    csv_page = client.get("/personal/kvalitet/forskrivning/csv/?period=nonsens")
    assert csv_page.status_code == 422 and "text/html" in csv_page["Content-Type"]


@pytest.mark.rule("QA-4")
def test_the_csv_files_carry_the_same_figures_and_are_audited(world, prescribers):
    client = log_in_client(Client(), staff_identity(world.provider_admin))
    response = client.get("/personal/kvalitet/forskrivning/csv/?period=2026-11")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="forskrivning-2026-11.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    high = next(row for row in rows if row[0] == f"{prescribers.high.given_name} {prescribers.high.surname}")
    assert high[4:9] == ["10", "9", "90,0", "56,2", "högre än vårdgivaren"]
    assert AuditEntry.objects.filter(action=AuditEvent.QUALITY_STATISTICS_EXPORT).count() == 1
    continuity_csv = client.get("/personal/kvalitet/kontinuitet/csv/")
    assert continuity_csv.status_code == 200 and continuity_csv.content.decode("utf-8-sig").startswith("Nivå;")


def test_the_prescribing_page_costs_the_same_queries_with_one_practitioner_as_with_many(world, products):
    client = log_in_client(Client(), staff_identity(world.provider_admin))
    closed_case(world, world.handler_x, prescribe=products[ANTIBIOTIC])

    def more() -> None:
        for suffix, name in (("QD5", "Anders"), ("QD6", "Berit")):
            cases_for(world, doctor(world, suffix, name), 2, 1, products)
        closed_case(world, world.handler_x2)

    assert_same_query_count(lambda: client.get("/personal/kvalitet/forskrivning/"), more)


def test_the_continuity_page_costs_the_same_queries_with_one_revisit_as_with_many(world, digital):
    admin = make_provider_admin(digital.provider, "SE2321000018-PA1", "digitalvarden-admin")
    client = log_in_client(Client(), staff_identity(admin))
    close(visit(digital, world.resident_a).case, digital.specialist)
    close(visit(digital, world.resident_a).case, digital.specialist)

    def more() -> None:
        for person in (world.resident_b, world.guardian):
            close(visit(digital, person).case, digital.specialist)
            close(visit(digital, person, to=digital.st_doctor).case, digital.st_doctor)

    assert_same_query_count(lambda: client.get("/personal/kvalitet/kontinuitet/"), more)


def test_the_head_of_unit_finds_the_statistics_from_the_staff_start_page(world):
    client = log_in_client(Client(), staff_identity(world.unit_admin_x, unit=world.unit_x, role=Role.UNIT_ADMIN))
    start = client.get("/personal/").content.decode()
    assert 'href="/personal/kvalitet/"' in start
    home = client.get("/personal/kvalitet/")
    assert home.status_code == 200
    text = home.content.decode()
    assert 'href="/personal/kvalitet/kontinuitet/"' in text and 'href="/personal/kvalitet/forskrivning/"' in text
    handler_start = log_in_client(Client(), staff_identity(world.handler_x)).get("/personal/").content.decode()
    assert 'href="/personal/kvalitet/"' not in handler_start
