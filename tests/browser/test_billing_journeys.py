"""A resident finds the invoice of a closed case and saves it as a PDF, the receipt (FEE-4, FEE-7), as a person sees it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.browser.helpers import check_page, log_in, on_path
from tests.sessions import resident_identity


@pytest.fixture
def invoiced_case(demo_resident_a, demo_unit_x, demo_receiver_x, demo_handler_x):
    """Resident A's question, answered and closed by handler X, charged 200 kr and invoiced by the scheduled run."""
    from vardnav.billing.invoicing import run_billing
    from vardnav.billing.models import CaseFee, FeeReason
    from vardnav.cases.actions import do_close_case, do_distribute_case, do_submit_case
    from vardnav.catalog.models import Service, ServiceKind
    from vardnav.core import clock
    from vardnav.core.actor import Actor, ActorKind

    service = Service.objects.get(provider_id=demo_unit_x.provider_id, kind=ServiceKind.CONTACT_UNIT)
    case = do_submit_case(
        Actor(kind=ActorKind.RESIDENT, person_id=demo_resident_a.pk),
        service=service,
        unit=demo_unit_x,
        answers={"subject": "Utslag", "question": "Ett utslag som inte går över."},
    )

    def staff(member, role):
        return Actor(
            kind=ActorKind.STAFF,
            staff_id=member.pk,
            provider_id=demo_unit_x.provider_id,
            unit_id=demo_unit_x.pk,
            role=role,
        )

    do_distribute_case(staff(demo_receiver_x, "receiver"), case, handler=demo_handler_x)
    case.refresh_from_db()
    do_close_case(staff(demo_handler_x, "handler"), case, outcome="answered")
    # The contact service is free in the demo; the case is charged as a doctor's digital contact here.
    CaseFee.objects.create(
        case=case,
        profession="doctor",
        contact_kind="digital",
        schedule_amount_ore=20000,
        amount_ore=20000,
        reason=FeeReason.CHARGED,
        created_at=clock.now(),
    )
    run_billing()
    return case


@pytest.mark.rule("FEE-7")
def test_a_resident_opens_their_invoice_and_downloads_the_pdf(
    page, browser_context, live_server, demo_resident_a, invoiced_case
):
    from vardnav.billing.models import Invoice

    invoice = Invoice.objects.get(case=invoiced_case)
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))

    # The case says there is an invoice.
    page.goto(f"/arenden/{invoiced_case.pk}/")
    assert page.get_by_text(f"Faktura {invoice.number}").is_visible()

    # Mina sidor → Mina avgifter → Mina fakturor → the invoice.
    page.goto("/mina-sidor/")
    page.get_by_role("link", name="Mina avgifter").click()
    check_page(page, h1="Mina avgifter")
    page.get_by_role("link", name="Mina fakturor").click()
    check_page(page, h1="Mina fakturor", screenshot_name="my-invoices")
    row = page.get_by_role("row", name=invoice.number)
    assert "200 kr" in row.inner_text() and "Obetald" in row.inner_text()
    row.get_by_role("link", name=invoice.number).click()
    page.wait_for_url(on_path(f"/mina-sidor/fakturor/{invoice.pk}/"))
    check_page(page, h1=f"Faktura {invoice.number}", screenshot_name="invoice")
    assert page.get_by_text(invoice.ocr).first.is_visible()
    assert page.get_by_text("Obetald").first.is_visible()

    # The PDF, with the personal number because the resident asks for it.
    page.get_by_label("Skriv ut mitt personnummer på fakturan").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Ladda ned fakturan (PDF)").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == f"faktura-{invoice.number}.pdf"
    with open(download.path(), "rb") as downloaded:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(downloaded.read())).pages)
    assert invoice.ocr in text and "Obetald" in text and demo_resident_a.number.formatted in text
    assert "Utslag" not in text and "utslag" not in text


@pytest.mark.rule("FEE-4")
def test_the_handler_sees_the_invoice_on_the_case(page, browser_context, live_server, demo_handler_x, invoiced_case):
    from tests.sessions import staff_identity
    from vardnav.billing.models import Invoice

    invoice = Invoice.objects.get(case=invoiced_case)
    log_in(browser_context, live_server.url, staff_identity(demo_handler_x))
    page.goto(f"/personal/arenden/{invoiced_case.pk}/")
    page.get_by_role("link", name=f"Faktura {invoice.number} (obetald)").click()
    check_page(page, h1=f"Avgift för ärende {invoiced_case.number}", screenshot_name="staff-case-invoice")
    assert page.get_by_text(invoice.ocr).first.is_visible()
    page.get_by_role("link", name="Fakturan, påminnelser och kreditering").click()
    page.wait_for_url(on_path(f"/personal/fakturor/{invoice.pk}/"))
    check_page(page, h1=f"Faktura {invoice.number}", screenshot_name="staff-invoice")
    assert page.get_by_text("Obetald").first.is_visible()
