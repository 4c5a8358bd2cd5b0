"""Staff journeys for the payment gaps, as staff see them: the desk sends a Swish request to the payer's
phone and shows the receipt (BOOK-5); the provider's administrator puts an unmatched payment on an
invoice and marks a queued letter posted (FEE-6, FEE-5)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.helpers import check_page, log_in
from tests.browser.test_payment_journeys import contact_case_invoice
from tests.sessions import staff_identity


def _invoice(resident, unit, *, amount_ore: int = 200_00):
    return contact_case_invoice(resident, unit, amount_ore=amount_ore, delivery="letter")


@pytest.mark.rule("BOOK-5")
def test_the_desk_sends_swish_to_the_residents_phone_and_shows_the_receipt(
    page,
    browser_context,
    live_server,
    settings,
    swish_simulator,
    demo_resident_a,
    demo_unit_x,
    demo_receiver_x,
    expected_console_errors,
):
    expected_console_errors.append("the server responded with a status of 422")  # the refused phone number
    settings.VARDNAV_PUBLIC_URL = live_server.url  # where the simulator sends Swish's callback
    invoice = _invoice(demo_resident_a, demo_unit_x, amount_ore=150_00)
    log_in(browser_context, live_server.url, staff_identity(demo_receiver_x, unit=demo_unit_x, role="receiver"))
    page.goto("/personal/")
    page.get_by_role("link", name="Kassa").first.click()
    check_page(page, h1="Kassa")
    page.get_by_label("Fakturanummer eller OCR-nummer").fill(invoice.number)
    page.get_by_role("button", name="Sök faktura").click()
    # A landline is refused at its field.
    page.get_by_label("Mobilnummer kopplat till Swish").fill("08-123 456")
    page.get_by_role("button", name="Skicka Swish-betalning på 150 kr").click()
    check_page(page, h1="Swish till invånarens mobil")
    field = page.get_by_label("Mobilnummer kopplat till Swish")
    assert field.get_attribute("aria-invalid") == "true"
    described = " ".join(
        page.locator(f"#{ref}").inner_text() for ref in field.get_attribute("aria-describedby").split()
    )
    assert "Skriv mobilnumret" in described
    field.fill("070-123 45 67")
    page.get_by_role("button", name="Skicka Swish-betalning på 150 kr").click()
    page.get_by_text("Invånaren har fått betalningen i sin Swish-app").wait_for()
    check_page(page, h1="Swish-betalning i kassan")
    assert page.locator('meta[http-equiv="refresh"]').count() == 0  # the page's script asks instead

    # The resident's phone: the request waits in the Swish app; they pay.
    phone = browser_context.new_page()
    phone.goto(swish_simulator.app_url)
    request = phone.get_by_role("region", name=f"Betalning {invoice.number}")
    request.get_by_role("button", name="Betala").click()
    phone.get_by_text("Betalningen är genomförd.").wait_for()
    phone.close()

    # The page's script sees the payment final and shows the receipt.
    page.get_by_role("heading", name="Kvitto").wait_for(timeout=15_000)
    check_page(page, h1="Kvitto")
    main = page.locator("main").inner_text()
    assert invoice.number in main and "150 kr" in main and "Swish i kassan" in main
    invoice.refresh_from_db()
    assert invoice.status == "paid"


@pytest.mark.rule("FEE-6")
def test_the_administrator_puts_an_unmatched_payment_on_an_invoice_and_posts_a_letter(
    page,
    browser_context,
    live_server,
    demo_resident_a,
    demo_other_unit,
    demo_provider_admin_other,
    expected_console_errors,
):
    expected_console_errors.append("the server responded with a status of 422")  # the unknown invoice number
    from vardnav.billing import bgmax
    from vardnav.billing.letters import Addressing, queue_letter
    from vardnav.billing.models import LetterKind
    from vardnav.billing.payments import do_import_bgmax
    from vardnav.billing.tests.payment_helpers import our_bankgiro
    from vardnav.core.actor import Actor, ActorKind

    invoice = _invoice(demo_resident_a, demo_other_unit)
    queue_letter(invoice, LetterKind.INVOICE, Addressing(["Karin Berg", "Storgatan 1", "111 22 Norrsund"], False))
    admin = Actor(
        kind=ActorKind.STAFF,
        staff_id=demo_provider_admin_other.pk,
        provider_id=demo_provider_admin_other.provider_id,
        user_id=demo_provider_admin_other.user_id,
    )
    unmatched = bgmax.OutgoingPayment("FEL-NUMMER", 200_00, "7", reference_code="1")
    do_import_bgmax(
        admin,
        demo_provider_admin_other.provider_id,
        bgmax.write([unmatched], payee_bankgiro=our_bankgiro(), day=dt.date(2026, 12, 4)),
    )
    log_in(browser_context, live_server.url, staff_identity(demo_provider_admin_other))
    page.goto("/personal/ekonomi/")
    page.get_by_role("link", name="Inbetalningar att hantera").first.click()
    check_page(page, h1="Inbetalningar att hantera")
    page.get_by_role("link", name="Koppla till en faktura").click()
    check_page(page, h1="Koppla inbetalning till faktura")
    # An unknown number: the message is at the field.
    page.get_by_label("Fakturanummer eller OCR-nummer").fill("F9999999")
    page.get_by_role("button", name="Sök faktura").click()
    field = page.get_by_label("Fakturanummer eller OCR-nummer")
    assert field.get_attribute("aria-invalid") == "true"
    check_page(page, h1="Koppla inbetalning till faktura")
    field.fill(invoice.ocr)
    page.get_by_role("button", name="Sök faktura").click()
    page.get_by_role("button", name=f"Bokför 200 kr på faktura {invoice.number}").click()
    page.get_by_text(f"Inbetalningen är bokförd på faktura {invoice.number}.").wait_for()
    invoice.refresh_from_db()
    assert invoice.status == "paid"

    page.get_by_role("link", name="Brev att skicka").first.click()
    check_page(page, h1="Brev att skicka")
    assert invoice.number in page.locator("main").inner_text()
    page.get_by_role("button", name="Markera valda brev som skickade").click()
    page.get_by_text("1 brev är markerade som skickade.").wait_for()
    page.get_by_text("Inga brev väntar på att skickas.").wait_for()
