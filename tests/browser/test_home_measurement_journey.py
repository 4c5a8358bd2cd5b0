"""A home measurement period in the browser (QA-5): the doctor orders a PEF diary on an airways visit, the resident
enters a reading whose value is out of range, sees the message next to the field, corrects it and enters the
evening's; the doctor then sees the day's PEF variability.

The demo's resident A starts a digital visit in the airways area at Kliniknu's digital unit; it is routed to an
on-duty doctor. Every page visited passes check_page (one h1, skip link, axe-core WCAG 2.1 AA).
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import check_page, log_in, on_path
from tests.sessions import resident_identity, staff_identity


@pytest.fixture
def airways_visit(demo, demo_resident_a):
    from vardnav.core.actor import Actor, ActorKind
    from vardnav.visits.access import current_triage
    from vardnav.visits.actions import do_start_visit
    from vardnav.visits.models import ComplaintArea
    from vardnav.visits.tests.conftest import valid_answers

    area = ComplaintArea.objects.filter(unit__slug="kliniknu-digital", slug="luftvagar").first()
    assert area is not None
    triage = current_triage(area)
    started = do_start_visit(
        Actor(kind=ActorKind.RESIDENT, person_id=demo_resident_a.pk),
        area,
        triage,
        answers=valid_answers(triage.items),
        abroad=False,
    )
    assert started.case.assigned_to is not None
    return started


@pytest.mark.rule("QA-5")
def test_the_doctor_orders_a_pef_diary_the_resident_corrects_a_value_and_the_doctor_sees_the_variability(
    page, browser_context, live_server, airways_visit, demo_resident_a, expected_console_errors
):
    from vardnav.labs.models import HomeMeasurement, MeasurementPeriod

    expected_console_errors.append("the server responded with a status of 422")  # the refused value, on purpose
    case = airways_visit.case
    doctor = case.assigned_to
    log_in(browser_context, live_server.url, staff_identity(doctor, unit=case.unit, role="handler"))
    page.goto(f"/personal/arenden/{case.pk}/")
    page.get_by_role("link", name="Remisser, provsvar och blodtryck").click()
    page.wait_for_url(on_path(f"/personal/digitala-besok/{case.pk}/remisser/"))
    check_page(page, h1="Remisser, provsvar och blodtryck")
    page.get_by_label("Vad ska invånaren mäta?").select_option(label="PEF-dagbok")
    assert page.get_by_label("Antal dagar").input_value() == "14"
    assert page.get_by_label("Morgon och kväll").is_checked()
    page.get_by_role("button", name="Beställ hemmamätningen").click()
    page.get_by_text("Hemmamätningen är beställd.").wait_for()
    period = MeasurementPeriod.objects.get(case=case)

    page.context.clear_cookies()
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto("/mina-sidor/")
    page.get_by_role("link", name="Remisser och provsvar").click()
    page.wait_for_url(on_path("/mina-sidor/remisser/"))
    page.get_by_role("link", name="Hemmamätning: PEF-dagbok").click()
    page.wait_for_url(on_path(f"/mina-sidor/remisser/hemmatning/{period.pk}/"))
    check_page(page, h1="Hemmamätning: PEF-dagbok")
    assert page.get_by_text("Dag 1 av 14").is_visible()

    page.get_by_label("Morgon", exact=True).check()
    page.get_by_label("PEF, liter per minut").fill("4000")
    page.get_by_role("button", name="Spara mätningen").click()
    page.get_by_role("heading", name="Något behöver rättas").wait_for()
    # The message stands at the field it is about, and the field says it is invalid.
    error = page.locator("#id_pef_error")
    assert "Ange PEF som ett heltal, 50–900 liter per minut." in error.inner_text()
    assert page.get_by_label("PEF, liter per minut").get_attribute("aria-invalid") == "true"
    assert not HomeMeasurement.objects.filter(period=period).exists()
    check_page(page, h1="Hemmamätning: PEF-dagbok")

    page.get_by_label("PEF, liter per minut").fill("400")
    page.get_by_role("button", name="Spara mätningen").click()
    page.get_by_text("Mätningen är sparad.").wait_for()
    page.get_by_label("Kväll", exact=True).check()
    page.get_by_label("PEF, liter per minut").fill("350")
    page.get_by_role("button", name="Spara mätningen").click()
    page.get_by_text("Mätningen är sparad.").wait_for()
    assert page.get_by_role("cell", name="350").is_visible()
    check_page(page, h1="Hemmamätning: PEF-dagbok", screenshot_name="home-measurement")

    page.context.clear_cookies()
    log_in(browser_context, live_server.url, staff_identity(doctor, unit=case.unit, role="handler"))
    page.goto(f"/personal/digitala-besok/{case.pk}/remisser/")
    # (400 − 350) / 375 = 13,3 % on the day, above the adults' 10 %.
    section = page.locator("#hemmatning")
    assert "13,3 %" in section.inner_text() and "talar för astma" in section.inner_text()
    assert section.locator("meter").count() == 1
    check_page(page, h1="Remisser, provsvar och blodtryck", screenshot_name="staff-home-measurement")
