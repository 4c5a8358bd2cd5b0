"""The quality statistics in the browser (QA-3, QA-4), looking at what the head of unit sees.

Kliniknu's head of the digital unit starts on the staff start page, follows
"Kvalitetsuppföljning", opens the prescribing report, types a period that does
not exist and sees the message next to the field, picks this month and sees the
colleague who stands out marked (in words, not only in colour), then opens the
continuity report and sees the share of revisits that met the same doctor with
its n. The figures are the demo's own (demo/quality_stats.py). Every page
visited passes check_page (one h1, skip link, axe-core WCAG 2.1 AA).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, log_in, on_path
from tests.sessions import staff_identity


@pytest.mark.rule("QA-3")
@pytest.mark.rule("QA-4")
def test_the_head_of_unit_finds_the_outlier_and_the_continuity_share(
    page, browser_context, live_server, demo, expected_console_errors
):
    from vardnav.core import clock
    from vardnav.demo.quality_stats import load_demo_quality_statistics
    from vardnav.demo.visits import DIGITAL_UNIT_SLUG
    from vardnav.organizations.models import Staff, Unit

    expected_console_errors.append("the server responded with a status of 422")  # the bad period, on purpose
    assert load_demo_quality_statistics() > 0
    unit = Unit.objects.get(slug=DIGITAL_UNIT_SLUG)
    head = Staff.objects.get(hsa_id=f"{unit.hsa_id.split('-', 1)[0]}-DG00")
    log_in(browser_context, live_server.url, staff_identity(head, unit=unit, role="unit_admin"))

    page.goto("/personal/")
    page.locator("main").get_by_role("link", name="Kvalitetsuppföljning").click()
    page.wait_for_url(on_path("/personal/kvalitet/"))
    check_page(page, h1="Kvalitetsuppföljning", screenshot_name="quality-statistics-start")

    page.get_by_role("link", name="Förskrivningsstatistik").click()
    page.wait_for_url(on_path("/personal/kvalitet/forskrivning/"))
    check_page(page, h1="Förskrivningsstatistik")

    period = page.get_by_role("textbox", name="Period")
    period.fill("2026-13")
    page.get_by_role("button", name="Visa perioden").click()
    field = page.locator(".field--error")
    expect(field).to_contain_text("Skriv en månad som 2026-11 eller ett kvartal som 2026-K4.")
    expect(field.get_by_role("textbox", name="Period")).to_have_attribute("aria-invalid", "true")
    check_page(page, h1="Förskrivningsstatistik")

    this_month = clock.today().strftime("%Y-%m")
    page.get_by_role("textbox", name="Period").fill(this_month)
    page.get_by_role("button", name="Visa perioden").click()
    page.wait_for_url(lambda url: f"period={this_month}" in url)
    check_page(page, h1="Förskrivningsstatistik", screenshot_name="quality-prescribing")
    outlier = page.get_by_role("row").filter(has_text="Alexander Berg")
    expect(outlier).to_contain_text("Avviker: högre")
    expect(page.get_by_role("row").filter(has_text="Leo Falk")).to_contain_text("Inom gränserna")
    expect(page.get_by_role("row").filter(has_text="Mira Ekholm")).to_contain_text("För få ärenden")
    expect(page.locator(".notice")).to_contain_text("Alexander Berg")

    page.get_by_role("link", name="Kvalitetsuppföljning").first.click()
    page.get_by_role("link", name="Kontinuitet vid återbesök").click()
    page.wait_for_url(on_path("/personal/kvalitet/kontinuitet/"))
    check_page(page, h1="Kontinuitet vid återbesök", screenshot_name="quality-continuity")
    expect(page.locator("main")).to_contain_text("11 av 12 återbesök (91,7 %) fick träffa samma behandlare.")
    expect(page.get_by_role("row").filter(has_text="Sofia Lindblad")).to_contain_text("12")
