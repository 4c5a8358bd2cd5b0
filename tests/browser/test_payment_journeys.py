"""Paying an invoice with Swish, as the resident sees it, against the local Swish simulator (FEE-6).

The simulator speaks the Swish Commerce API over mutual TLS and sends its callback to the live
server, as Swish would; its test app stands in for the Swish app on the resident's phone.
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import check_page, log_in
from tests.sessions import resident_identity


@pytest.fixture
def invoice(demo, demo_resident_a, demo_unit_x):
    return contact_case_invoice(demo_resident_a, demo_unit_x)


def contact_case_invoice(resident, unit, *, amount_ore: int = 200_00, delivery: str = "app"):
    """An invoice for a "contact your unit" case of `resident` at `unit` (the invoice run is tested elsewhere)."""
    from vardnav.billing.tests.payment_helpers import invoice_of
    from vardnav.cases.actions import do_submit_case
    from vardnav.catalog.models import Service, ServiceKind
    from vardnav.core.actor import Actor, ActorKind

    service = Service.objects.get(provider_id=unit.provider_id, kind=ServiceKind.CONTACT_UNIT)
    case = do_submit_case(
        Actor(kind=ActorKind.RESIDENT, person_id=resident.pk),
        service=service,
        unit=unit,
        answers={"subject": "Fråga", "question": "En fråga till mottagningen."},
    )
    return invoice_of(case, resident, amount_ore=amount_ore, delivery=delivery)


@pytest.mark.rule("FEE-6")
def test_a_resident_pays_an_invoice_with_swish_and_sees_it_paid(
    page, browser_context, live_server, settings, swish_simulator, demo_resident_a, invoice
):
    settings.VARDNAV_PUBLIC_URL = live_server.url  # where the simulator sends Swish's callback
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto("/mina-sidor/avgifter/")
    check_page(page, h1="Mina avgifter")
    page.get_by_role("link", name=f"Betala med Swish {invoice.number}").click()
    check_page(page, h1="Betala med Swish")
    assert invoice.ocr in page.locator("main").inner_text()

    page.get_by_role("button", name="Betala 200 kr med Swish").click()
    page.get_by_text("Öppna Swish-appen och godkänn betalningen").wait_for()

    # The resident's phone: the Swish app shows the request; they pay.
    phone = browser_context.new_page()
    phone.goto(swish_simulator.app_url)
    request = phone.get_by_role("region", name=f"Betalning {invoice.number}")
    assert "200,00 kr" in request.inner_text()
    request.get_by_role("button", name="Betala").click()
    phone.get_by_text("Betalningen är genomförd.").wait_for()
    phone.close()

    # Back on the invoice's page (it also refreshes itself every few seconds): the invoice is paid.
    assert page.locator('meta[http-equiv="refresh"]').count() == 1
    page.get_by_role("link", name="Uppdatera").click()
    page.get_by_text("Fakturan är betald. Tack!").wait_for()
    check_page(page, h1="Betala med Swish")
    invoice.refresh_from_db()
    assert invoice.status == "paid" and invoice.paid_ore == 200_00
    delivered = [c for c in swish_simulator.callbacks() if c["status"] == "PAID"]
    assert delivered and delivered[0]["answered"] == 200  # Swish's callback reached Vårdnav and was accepted
