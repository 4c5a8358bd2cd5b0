"""Referrals and lab results in the browser (VISIT-6): the doctor writes a referral, the resident chooses the lab
and downloads the PDF, the lab posts the result through the API, the doctor reviews it and the resident sees it.

The demo's resident A starts a digital visit in a doctor's area at Kliniknu's digital unit; it is routed to an
on-duty doctor. Every page visited passes check_page (one h1, skip link, axe-core WCAG 2.1 AA).
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.browser.helpers import check_page, log_in, on_path
from tests.sessions import resident_identity, staff_identity


@pytest.fixture
def digital_visit(demo, demo_resident_a):
    from vardnav.core.actor import Actor, ActorKind
    from vardnav.visits.access import current_triage
    from vardnav.visits.actions import do_start_visit
    from vardnav.visits.models import ComplaintArea
    from vardnav.visits.tests.conftest import valid_answers

    area = ComplaintArea.objects.filter(
        unit__slug="kliniknu-digital", profession="doctor", handled_digitally=True, slug="urinvagsinfektion"
    ).first()
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


@pytest.mark.rule("VISIT-6")
def test_a_doctor_refers_for_tests_the_resident_downloads_the_referral_and_the_result_comes_back(
    page, browser_context, live_server, digital_visit, demo_resident_a, expected_console_errors
):
    from vardnav.core.actor import Actor
    from vardnav.integrations.actions import do_create_integration_token
    from vardnav.labs.models import LabReferral

    expected_console_errors.append("the server responded with a status of 422")  # the refused forms, on purpose
    case = digital_visit.case
    doctor = case.assigned_to
    log_in(browser_context, live_server.url, staff_identity(doctor, unit=case.unit, role="handler"))
    page.goto(f"/personal/arenden/{case.pk}/")
    page.get_by_role("link", name="Remisser, provsvar och blodtryck").click()
    page.wait_for_url(on_path(f"/personal/digitala-besok/{case.pk}/remisser/"))
    check_page(page, h1="Remisser, provsvar och blodtryck")
    page.get_by_role("button", name="Skriv remissen").first.click()
    page.get_by_role("heading", name="Något behöver rättas").wait_for()
    assert "Välj minst ett prov." in page.locator(".error-summary").first.inner_text()
    check_page(page, h1="Remisser, provsvar och blodtryck")
    page.get_by_label("CRP (inflammation) (P-CRP)").check()
    page.get_by_label("Frågeställning till laboratoriet").fill("Infektion?")
    page.get_by_role("button", name="Skriv remissen").first.click()
    page.get_by_text("Remissen är skriven.").wait_for()
    referral = LabReferral.objects.get(case=case)
    assert referral.status == "awaiting_lab"

    page.context.clear_cookies()
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto("/mina-sidor/")
    page.get_by_role("link", name="Remisser och provsvar").click()
    page.wait_for_url(on_path("/mina-sidor/remisser/"))
    check_page(page, h1="Remisser och provsvar")
    page.get_by_role("link", name="Välj provtagningsställe").click()
    check_page(page, h1="Välj provtagningsställe")
    page.get_by_label("Provtagningsställe:", exact=True).select_option(label="Malmö: Lablinjen Malmö, Fiktiva gatan 40")
    page.get_by_role("button", name="Välj", exact=True).click()
    page.get_by_text("Provtagningsstället är valt.").wait_for()
    check_page(page, h1="Remisser och provsvar", screenshot_name="my-referrals")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hämta remissen (PDF)").click()
    download = download_info.value
    assert download.failure() is None and download.suggested_filename == f"remiss-{referral.number}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # The lab posts the result with the provider's token; the resident does not see it before the review.
    _, secret = do_create_integration_token(Actor.system(), case.provider, name="Lablinjen", scopes=["labs:results"])
    body = {
        "referral_number": referral.number,
        "lab_code": "lablinjen-malmo",
        "results": [{"code": "P-CRP", "value": "12", "unit": "mg/L", "reference": "<5", "abnormal": True}],
    }
    posted = Client().post(
        "/api/v1/integrations/lab-results",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert posted.status_code == 201
    page.reload()
    assert page.get_by_text("Svaret har kommit till vården.").is_visible()
    assert page.get_by_text("12 mg/L").count() == 0

    page.context.clear_cookies()
    log_in(browser_context, live_server.url, staff_identity(doctor, unit=case.unit, role="handler"))
    page.goto(f"/personal/digitala-besok/{case.pk}/remisser/")
    assert page.get_by_text("mg/L").first.is_visible()
    page.get_by_label("Vad provsvaret betyder, till invånaren").fill("Lätt förhöjt CRP. Vi går igenom det.")
    page.get_by_label("Erbjud ett återbesök inom 14 dagar för att gå igenom svaret").check()
    page.get_by_role("button", name="Markera som bedömt och visa för invånaren").click()
    page.get_by_text("Provsvaret är bedömt.").wait_for()
    check_page(page, h1="Remisser, provsvar och blodtryck", screenshot_name="staff-lab-result")

    page.context.clear_cookies()
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto("/mina-sidor/remisser/")
    assert page.get_by_text("12 mg/L").is_visible()
    assert page.get_by_text("Lätt förhöjt CRP. Vi går igenom det.").is_visible()
    check_page(page, h1="Remisser och provsvar")
