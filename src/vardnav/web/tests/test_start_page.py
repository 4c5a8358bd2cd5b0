"""The start page: what Vårdnav is, how to log in, the demo, the units."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.personas import make_provider, make_unit
from vardnav.demo import identities as demo_identities
from vardnav.organizations.models import UnitKind
from vardnav.web.views import get_providers_with_units

pytestmark = pytest.mark.django_db


def test_it_lists_each_provider_with_its_units(client):
    region = make_provider("Region Gävleborg", "region-gavleborg")
    make_unit(region, "Hälsocentralen Brynäs", "SE2321000016-15CQ", slug="brynas", city="Gävle")
    make_unit(
        region,
        "Vaccinationsmottagningen Sandviken",
        "SE2321000016-16AB",
        slug="vaccination-sandviken",
        city="Sandviken",
        kind=UnitKind.VACCINATION,
        eservices_active=False,
    )
    make_provider("Leverantör utan mottagningar", "tom")

    html = client.get("/").content.decode()

    assert "Region Gävleborg" in html
    assert '<a href="/mottagningar/brynas/">Hälsocentralen Brynäs</a>' in html
    assert '<a href="/mottagningar/vaccination-sandviken/">Vaccinationsmottagningen Sandviken</a>' in html
    assert "Vårdcentral · Gävle" in html
    assert "Vaccinationsmottagning · Sandviken" in html
    assert "Tar emot ärenden via Vårdnav" in html
    assert "Tar inte emot ärenden via Vårdnav ännu" in html
    assert "Leverantör utan mottagningar" not in html


def test_the_units_cost_the_same_number_of_queries_however_many_there_are(client, django_assert_num_queries):
    first = make_provider("Region A", "region-a")
    make_unit(first, "Mottagning A1", "SE2321000016-A1", slug="a1")
    with CaptureQueriesContext(connection) as one_unit:
        client.get("/")

    for p in range(3):
        provider = make_provider(f"Region {p}", f"region-{p}")
        for u in range(4):
            make_unit(provider, f"Mottagning {p}-{u}", f"SE2321000016-P{p}U{u}", slug=f"m-{p}-{u}")

    with django_assert_num_queries(len(one_unit.captured_queries)):
        html = client.get("/").content.decode()
    assert "Mottagning 2-3" in html


def test_providers_and_their_units_are_fetched_in_two_queries(django_assert_num_queries):
    for p in range(3):
        provider = make_provider(f"Region {p}", f"region-{p}")
        for u in range(3):
            make_unit(provider, f"Mottagning {p}-{u}", f"SE2321000016-P{p}U{u}", slug=f"m-{p}-{u}")

    with django_assert_num_queries(2):
        names = [unit.name for provider in get_providers_with_units() for unit in provider.units.all()]

    assert len(names) == 9


def test_it_says_when_no_units_are_connected(client):
    assert "Inga mottagningar är anslutna än." in client.get("/").content.decode()


def test_it_explains_how_to_log_in(client):
    html = client.get("/").content.decode()

    assert '<a class="button" href="/logga-in/">Logga in med BankID</a>' in html
    assert "Barn under 16 år kan inte logga in själva" in html
    assert "Vårdnadshavaren loggar in med sitt eget BankID och väljer sedan barnet" in html
    assert '<a href="/personal/logga-in/">Logga in som personal</a>' in html


def test_it_says_what_residents_can_do(client):
    html = client.get("/").content.decode()

    assert "Skicka ett ärende till din mottagning" in html
    assert "Förnya ett recept" in html
    assert "Boka om eller avboka en tid" in html
    assert "ring 112" in html


def test_the_demo_box_shows_test_identities_in_demo_mode(client, settings):
    settings.VARDNAV_DEMO = True
    settings.BANKID_TEST_APP_URL = "http://127.0.0.1:8444/test-app/"

    html = client.get("/").content.decode()

    assert "Så provar du demon" in html
    assert '<a href="http://127.0.0.1:8444/test-app/">Test-BankID-appen</a>' in html
    assert "Anna Lindqvist" in html
    guardian = demo_identities.GUARDIAN
    assert f"{guardian[:8]}-{guardian[8:]}" in html
    assert "19790101-2380" in html
    assert "Demomiljö – inga riktiga patientuppgifter" in html


def test_outside_demo_mode_no_test_identities_are_shown(client, settings):
    settings.VARDNAV_DEMO = False

    html = client.get("/").content.decode()

    assert "Så provar du demon" not in html
    assert "19790101-2380" not in html
    assert "Anna Lindqvist" not in html
    assert "Demomiljö" not in html


def test_the_start_page_has_exactly_one_h1(client):
    html = client.get("/").content.decode()

    assert html.count("<h1") == 1
    assert "<h1>Kontakta din mottagning digitalt med Vårdnav</h1>" in html


def _answered_cases(world, count: int) -> None:
    """`count` cases of resident A with an unread question from the handler (new answers on the start page)."""
    from tests.personas import actor_for
    from vardnav.cases.actions import do_ask_question, do_distribute_case, do_submit_case

    receiver = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    handler = actor_for(world.handler_x, unit=world.unit_x, role="handler")
    for index in range(count):
        case = do_submit_case(
            actor_for(world.resident_a),
            service=world.contact,
            unit=world.unit_x,
            answers={"subject": f"Fråga {index}", "details": f"Helt olika frågor nummer {index} om olika saker."},
        )
        do_distribute_case(receiver, case, handler=world.handler_x)
        case.refresh_from_db()
        do_ask_question(handler, case, body="Hur länge har du haft besvären?")


def test_a_logged_in_resident_sees_new_answers_and_common_tasks_in_a_fixed_number_of_queries(world):
    from django.test import Client

    from tests.queries import assert_same_query_count
    from tests.sessions import log_in_client, resident_identity

    resident = log_in_client(Client(), resident_identity(world.resident_a))
    _answered_cases(world, 1)

    html = resident.get("/").content.decode()
    assert "Nya svar" in html and "Vanliga ärenden" in html
    assert "Förnya ett recept" in html
    assert "1 oläst" in html, "the menu counts the unread case"
    assert "Logga in med BankID" not in html

    assert_same_query_count(lambda: resident.get("/"), lambda: _answered_cases(world, 4))
