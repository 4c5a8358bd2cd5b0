"""Issue 18's journeys in the browser, looking at what a person sees.

- A nurse at the vaccination clinic opens Resident A's card by personal number and registers a
  dose; Resident A then finds it on their own card under Mina sidor (VAC-1).
- Resident A files a complaint from the start page to their own health centre: the form asks
  for the event date, and the receipt says it was sent (CMP-1, CMP-4, CMP-5).
Every page visited passes check_page (one h1, skip link, axe-core WCAG 2.1 AA).
"""

from __future__ import annotations

import pytest
from django.utils import formats, translation
from playwright.sync_api import expect

from tests.browser.helpers import check_page, log_in, on_path
from tests.sessions import resident_identity, staff_identity


@pytest.mark.rule("VAC-1")
def test_a_nurse_registers_a_vaccination_and_the_resident_sees_it_on_the_card(
    page, browser_context, live_server, demo, demo_resident_a
):
    from vardnav.core import clock
    from vardnav.demo.vaccinations import CLINIC, NURSE_HSA_ID
    from vardnav.organizations.models import Staff, Unit

    nurse = Staff.objects.get(hsa_id=NURSE_HSA_ID)
    clinic = Unit.objects.get(slug=CLINIC)
    log_in(browser_context, live_server.url, staff_identity(nurse, unit=clinic, role="handler"))
    page.goto("/personal/")
    page.get_by_role("link", name="Vaccinationer").first.click()
    page.wait_for_url(on_path("/personal/vaccinationer/"))
    check_page(page, h1="Vaccinationer")
    page.get_by_label("Personnummer").fill(demo_resident_a.personal_number)
    page.get_by_role("button", name="Öppna vaccinationskortet").click()
    check_page(page, h1="Vaccinationskort", screenshot_name="vaccination-staff-card")

    form = page.get_by_role("form", name="Registrera given vaccination")
    form.locator("select[name=vaccine]").select_option("hepatitis_a")
    form.locator("select[name=product]").select_option("Havrix")
    form.locator("input[name=dose_number]").fill("2")
    form.locator("input[name=batch]").fill("AHAVB902")
    form.locator("select[name=site]").select_option("left_arm")
    today = clock.today()
    form.locator("input[name=given_on]").fill(today.isoformat())
    form.get_by_role("button", name="Registrera", exact=True).click()
    check_page(page, h1="Vaccinationskort")
    expect(page.get_by_role("cell", name="AHAVB902")).to_be_visible()

    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto("/mina-sidor/")
    page.get_by_role("link", name="Vaccinationskort").first.click()
    page.wait_for_url(on_path("/mina-sidor/vaccinationer/"))
    check_page(page, h1="Mitt vaccinationskort", screenshot_name="vaccination-card")
    with translation.override("sv"):
        shown = formats.date_format(today, "j F Y")
    expect(page.locator("tr", has_text=shown).first).to_be_visible()


@pytest.mark.rule("CMP-4")
@pytest.mark.rule("CMP-5")
def test_a_resident_files_a_complaint_from_the_start_page(
    page, browser_context, live_server, demo, demo_resident_a, expected_console_errors
):
    from vardnav.cases.models import Case
    from vardnav.catalog.models import ServiceKind

    expected_console_errors.append("the server responded with a status of 422")  # the empty form, on purpose
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto("/")
    page.get_by_role("link", name="Lämna synpunkter och klagomål").click()
    page.wait_for_url(on_path("/mina-sidor/synpunkter/"))
    check_page(page, h1="Lämna synpunkter och klagomål", screenshot_name="complaint-start")
    page.locator("main").get_by_role("link").filter(has_text="Vårdcentralen Norrsund centrum").first.click()
    expect(page.get_by_label("När hände det? Gäller det en hel vårdprocess: när började den?")).to_be_visible()

    # An empty complaint: the messages stand at the fields, nothing is sent.
    page.get_by_role("button", name="Skicka ärendet").click()
    expect(page.locator(".field--error").first).to_be_visible()
    assert not Case.objects.filter(service__kind=ServiceKind.COMPLAINT).exists()

    page.get_by_role("group", name="Vad gäller dina synpunkter?").get_by_label("Kommunikation och bemötande").check()
    page.get_by_role("group", name="Gäller det en hel vårdprocess, till exempel en längre behandling?").get_by_label(
        "Nej"
    ).check()
    page.get_by_label("När hände det? Gäller det en hel vårdprocess: när började den?").fill("2026-11-20")
    page.get_by_label("Beskriv vad som hände").fill("Jag fick vänta en timme utan besked i receptionen.")
    page.get_by_role("button", name="Skicka ärendet").click()
    check_page(page, h1="Ärendet är skickat", screenshot_name="complaint-receipt")
    assert Case.objects.filter(service__kind=ServiceKind.COMPLAINT, subject=demo_resident_a).count() == 1
