"""The fee of a digital visit in the browser (FEE-2, VISIT-6): the resident sees the expected fee on the triage
before sending, the doctor refers the visit to a nurse, and the resident's case page shows the changed fee
and why.

The demo's resident A answers the urinary tract infection triage at Kliniknu's digital unit (a doctor's area,
200 kr in the demo schedule; nurses' digital contacts are free there). Every page visited passes check_page.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import check_page, log_in, on_path
from tests.sessions import resident_identity, staff_identity


def answer_triage(page: Any, items: list[dict[str, Any]]) -> None:
    """Answer every question as the visits tests' valid answers do: no red flags."""
    from vardnav.visits.tests.conftest import valid_answers

    for link_id, value in valid_answers(items).items():
        if value is False:
            page.locator(f'input[name="{link_id}"][value="nej"]').check()
        elif isinstance(value, list):
            for code in value:
                page.locator(f'input[name="{link_id}"][value="{code}"]').check()
        elif page.locator(f'input[type="radio"][name="{link_id}"]').count():
            page.locator(f'input[name="{link_id}"][value="{value}"]').check()
        else:
            page.locator(f'[name="{link_id}"]').fill(str(value))
    page.locator('input[name="abroad"][value="nej"]').check()


@pytest.mark.rule("FEE-2")
@pytest.mark.rule("VISIT-6")
def test_the_resident_sees_the_fee_before_sending_and_the_changed_fee_after_a_referral(
    page, browser_context, live_server, demo, demo_resident_a
):
    from vardnav.cases.models import Case
    from vardnav.visits.access import current_triage
    from vardnav.visits.models import ComplaintArea

    area = ComplaintArea.objects.get(unit__slug="kliniknu-digital", slug="urinvagsinfektion")
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto("/digitalt-vardbesok/")
    page.get_by_role("link", name=area.name).first.click()
    page.wait_for_url(on_path(f"/digitalt-vardbesok/{area.pk}/"))
    check_page(page, h1=area.name)
    fee = page.locator("#visit-fee").inner_text()
    assert "Avgift: 200 kr." in fee and "hanteras av läkare" in fee
    answer_triage(page, current_triage(area).items)
    page.get_by_role("button", name="Starta vårdbesöket").click()
    page.get_by_role("heading", name="Ärendet är skickat").wait_for()
    case = Case.objects.filter(subject=demo_resident_a, visit__area=area).latest("pk")

    page.context.clear_cookies()
    doctor = case.assigned_to
    log_in(browser_context, live_server.url, staff_identity(doctor, unit=case.unit, role="handler"))
    page.goto(f"/personal/digitala-besok/{case.pk}/")
    page.get_by_label("Till yrkesgrupp").select_option("nurse")
    page.get_by_label("Varför remitterar du besöket?").fill("Provtagning hos sjuksköterska räcker.")
    page.get_by_role("button", name="Remittera").click()
    page.get_by_text("Besöket är remitterat.").wait_for()

    page.context.clear_cookies()
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto(f"/arenden/{case.pk}/")
    check_page(page, h1=page.locator("h1").first.inner_text())
    text = page.locator("main").inner_text()
    assert "Avgift: 0 kr (ingen avgift för kontakt med sjuksköterska)." in text
    assert "Avgiften ändrades från 200 kr till 0 kr eftersom ärendet flyttades från läkare till sjuksköterska." in text
