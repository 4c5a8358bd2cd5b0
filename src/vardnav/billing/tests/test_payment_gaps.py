"""The payment gaps (FEE-5, FEE-6, FEE-7, BOOK-5, PRIV-4): staff put an incoming payment on an invoice,
surpluses are listed to be paid back, refunds lower what an invoice has been paid, a BgMax file for
another bankgiro is refused, the desk sends a Swish request to the payer's phone, exports and letter
batches are audited, and a protected resident's letter goes only to the forwarding address."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.personas import actor_for
from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.billing import bgmax, letters, payments
from vardnav.billing.access import invoice_document
from vardnav.billing.actions import do_record_payment, do_record_refund
from vardnav.billing.errors import BillingError
from vardnav.billing.models import (
    IncomingPayment,
    InvoiceRefund,
    InvoiceStatus,
    Letter,
    LetterKind,
    MatchResult,
    Payment,
    PaymentMethod,
    SwishPayment,
    SwishStatus,
)
from vardnav.billing.pdf import render_invoice_document
from vardnav.billing.tests.payment_helpers import make_invoice, our_bankgiro
from vardnav.core.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 4)


def admin(world):
    return actor_for(world.provider_admin)


def admin_client(world) -> Client:
    return log_in_client(Client(), staff_identity(world.provider_admin))


def desk_client(world) -> Client:
    return log_in_client(Client(), staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))


def a_file(*outgoing: bgmax.OutgoingPayment, payee: str | None = None) -> bytes:
    return bgmax.write(list(outgoing), payee_bankgiro=payee or our_bankgiro(), day=DAY)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def imported(world, *outgoing: bgmax.OutgoingPayment) -> list[IncomingPayment]:
    payments.do_import_bgmax(admin(world), world.provider.pk, a_file(*outgoing))
    return list(IncomingPayment.objects.order_by("id"))


# --- manual assignment and the surplus list (FEE-6) -----------------------------------------------------


@pytest.mark.rule("FEE-6")
def test_staff_put_an_unmatched_payment_on_the_invoice_they_find_once_and_audited(world):
    invoice = make_invoice(world, amount_ore=200_00)
    [incoming] = imported(world, bgmax.OutgoingPayment("F-fel-nummer", 200_00, "1", reference_code="1"))
    assert incoming.result == MatchResult.UNMATCHED and payments.assignable_ore(incoming) == 200_00
    client = admin_client(world)
    listed = client.get("/personal/ekonomi/inbetalningar/").content.decode()
    assign_url = reverse("billing:incoming_payment_assign", args=[incoming.pk])
    assert assign_url in listed
    # Search by OCR, see the invoice, then confirm.
    found = client.get(f"{assign_url}?query={invoice.ocr}")
    assert found.status_code == 200 and invoice.number in found.content.decode()
    unknown = client.post(f"{assign_url}?query=99999999999")
    assert unknown.status_code == 422 and "Det finns ingen obetald faktura" in unknown.content.decode()
    done = client.post(f"{assign_url}?query={invoice.number}")
    assert done.status_code == 302
    invoice.refresh_from_db()
    incoming.refresh_from_db()
    assert (invoice.status, invoice.paid_ore) == (InvoiceStatus.PAID, 200_00)
    assert incoming.handled_at is not None and incoming.invoice_id == invoice.pk and incoming.payment is not None
    # Confirmed twice (a double click): booked once.
    again = client.post(f"{assign_url}?query={invoice.number}")
    assert again.status_code == 422
    assert Payment.objects.filter(invoice=invoice).count() == 1
    entry = AuditEntry.objects.get(action=AuditEvent.INCOMING_PAYMENT_ASSIGN)
    assert entry.extra["invoice"] == invoice.number and entry.subject_person_id == invoice.payer_id


@pytest.mark.rule("FEE-6")
def test_another_providers_invoice_cannot_be_found_to_assign_to(world):
    other = make_invoice(world, provider=world.other_provider)
    [incoming] = imported(world, bgmax.OutgoingPayment("", 200_00, "1", reference_code="1"))
    with pytest.raises(DomainError) as refused:
        payments.do_assign_incoming_payment(admin(world), incoming, other)
    assert refused.value.code == BillingError.ASSIGN_INVOICE_NOT_FOUND
    with pytest.raises(PermissionDenied):
        payments.do_assign_incoming_payment(actor_for(world.provider_admin_other), incoming, other)
    response = admin_client(world).get(
        reverse("billing:incoming_payment_assign", args=[incoming.pk]) + f"?query={other.number}"
    )
    page = response.content.decode()
    assert response.status_code == 422 and "Det finns ingen obetald faktura" in page and "Bokför " not in page


@pytest.mark.rule("FEE-6")
def test_an_over_payment_surplus_is_listed_to_pay_back_and_lowers_the_paid_sum_when_paid_back(world):
    invoice = make_invoice(world, amount_ore=200_00)
    [incoming] = imported(world, bgmax.OutgoingPayment(invoice.ocr, 250_00, "1"))
    invoice.refresh_from_db()
    assert incoming.result == MatchResult.OVER and incoming.surplus_ore == 50_00
    assert (invoice.status, invoice.paid_ore) == (InvoiceStatus.PAID, 250_00)
    client = admin_client(world)
    listed = client.get("/personal/ekonomi/aterbetalningar/").content.decode()
    assert invoice.number in listed and "50 kr" in listed
    assert client.post(reverse("billing:surplus_refunded", args=[incoming.pk])).status_code == 302
    invoice.refresh_from_db()
    incoming.refresh_from_db()
    assert (invoice.status, invoice.paid_ore) == (InvoiceStatus.PAID, 200_00)
    assert incoming.surplus_refunded_at is not None and incoming.handled_at is not None
    assert invoice.number not in client.get("/personal/ekonomi/aterbetalningar/").content.decode()
    with pytest.raises(DomainError) as refused:
        payments.do_refund_surplus(admin(world), incoming)
    assert refused.value.code == BillingError.SURPLUS_NOT_REFUNDABLE
    assert AuditEntry.objects.filter(action=AuditEvent.SURPLUS_REFUND).count() == 1


@pytest.mark.rule("FEE-6")
def test_a_surplus_moved_to_another_invoice_leaves_the_first_and_the_rest_is_owed_back(world):
    first = make_invoice(world, amount_ore=200_00)
    second = make_invoice(world, amount_ore=30_00)
    [incoming] = imported(world, bgmax.OutgoingPayment(first.ocr, 250_00, "1"))
    payments.do_assign_incoming_payment(admin(world), incoming, second)
    first.refresh_from_db()
    second.refresh_from_db()
    incoming.refresh_from_db()
    assert (first.status, first.paid_ore) == (InvoiceStatus.PAID, 200_00)
    assert (second.status, second.paid_ore) == (InvoiceStatus.PAID, 50_00)
    assert incoming.surplus_ore == 20_00 and incoming.invoice_id == second.pk
    payments.do_refund_surplus(admin(world), incoming)
    second.refresh_from_db()
    assert (second.status, second.paid_ore) == (InvoiceStatus.PAID, 30_00)
    # Money in: 250 kr; on invoices 230 kr; paid back 20 kr.
    assert first.paid_ore + second.paid_ore + 20_00 == 250_00


def test_the_surplus_list_costs_the_same_with_one_row_as_with_many(world):
    client = admin_client(world)
    imported(world, bgmax.OutgoingPayment(make_invoice(world).ocr, 250_00, "1"))

    def more() -> None:
        outgoing = [bgmax.OutgoingPayment(make_invoice(world).ocr, 300_00, str(n)) for n in range(10, 14)]
        payments.do_import_bgmax(admin(world), world.provider.pk, a_file(*outgoing))

    assert_same_query_count(lambda: client.get("/personal/ekonomi/aterbetalningar/"), more)


# --- refunds lower the paid sum (FEE-6, FEE-7) -----------------------------------------------------------


@pytest.mark.rule("FEE-6")
def test_a_refund_lowers_what_the_invoice_has_been_paid_and_its_status_follows(world):
    invoice = make_invoice(world, amount_ore=200_00)
    do_record_payment(admin(world), invoice.pk, amount_ore=200_00, reference="bgmax:r1")
    do_record_refund(admin(world), invoice.pk, amount_ore=50_00, reference="swish-refund:A")
    again = do_record_refund(admin(world), invoice.pk, amount_ore=50_00, reference="swish-refund:A")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_ore, invoice.due_ore) == (InvoiceStatus.UNPAID, 150_00, 50_00)
    assert invoice.paid_at is None and InvoiceRefund.objects.count() == 1 and again.amount_ore == 50_00
    do_record_refund(admin(world), invoice.pk, amount_ore=150_00, reference="swish-refund:B")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_ore) == (InvoiceStatus.UNPAID, 0)
    with pytest.raises(DomainError) as refused:
        do_record_refund(admin(world), invoice.pk, amount_ore=1, reference="swish-refund:C")
    assert refused.value.code == BillingError.REFUND_AMOUNT_INVALID


@pytest.mark.rule("FEE-7")
def test_a_swish_refund_lowers_the_paid_sum_once_and_the_receipt_shows_it(world, swish_simulator, settings, client):
    settings.VARDNAV_PUBLIC_URL = "http://127.0.0.1:9"  # callbacks from the simulator go nowhere here
    invoice = make_invoice(world, amount_ore=200_00)
    payment = payments.do_start_swish_payment(actor_for(invoice.payer), invoice)
    swish_simulator.pay(payment.instruction_id)
    payment = payments.do_refresh_swish_payment(actor_for(invoice.payer), payment)
    assert payment.status == SwishStatus.PAID
    refund = payments.do_refund_swish_payment(admin(world), payment, amount_ore=80_00)
    invoice.refresh_from_db()
    assert refund.status == "PAID"
    assert (invoice.status, invoice.paid_ore) == (InvoiceStatus.UNPAID, 120_00)
    # The refund's callback (replayed) and a second poll change nothing again.
    body = {"id": refund.instruction_id, "status": "PAID", "amount": "80.00", "currency": "SEK"}
    url = reverse("billing:swish_callback", args=[refund.callback_token])
    for _ in range(2):
        response = client.post(url, data=body, content_type="application/json")
        assert response.status_code == 200 and response.json()["changed"] is False
    forged = client.post(
        reverse("billing:swish_callback", args=["not-the-token"]), data=body, content_type="application/json"
    )
    assert forged.status_code == 400
    payments.do_refresh_swish_refund(admin(world), refund)
    invoice.refresh_from_db()
    assert invoice.paid_ore == 120_00 and InvoiceRefund.objects.count() == 1
    receipt = pdf_text(render_invoice_document(invoice_document(invoice), with_personal_number=False))
    assert "Återbetalt" in receipt and "80 kr" in receipt and "Obetald" in receipt


# --- BgMax payee (FEE-6) ----------------------------------------------------------------------------------


@pytest.mark.rule("FEE-6")
def test_a_bgmax_file_for_another_bankgiro_is_refused_whole_naming_the_line(world):
    invoice = make_invoice(world)
    foreign = a_file(bgmax.OutgoingPayment(invoice.ocr, 200_00, "1"), payee="9912346")
    with pytest.raises(DomainError) as refused:
        payments.do_import_bgmax(admin(world), world.provider.pk, foreign)
    assert refused.value.code == BillingError.BGMAX_WRONG_PAYEE
    response = admin_client(world).post("/personal/ekonomi/bgmax/", {"file": SimpleUploadedFile("bgmax.txt", foreign)})
    page = response.content.decode()
    assert response.status_code == 422 and "bankgiro 9912346 (rad 2)" in page and "Ingenting har bokförts" in page
    invoice.refresh_from_db()
    assert invoice.paid_ore == 0 and not IncomingPayment.objects.exists()


# --- the incoming-payments export is audited (FEE-6) -----------------------------------------------------


@pytest.mark.rule("FEE-6")
def test_the_incoming_payments_csv_export_is_audited(world):
    imported(world, bgmax.OutgoingPayment("", 5_00, "1", reference_code="1"))
    response = admin_client(world).get("/personal/ekonomi/inbetalningar.csv")
    assert response.status_code == 200 and "5" in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditEvent.INCOMING_PAYMENT_EXPORT)
    assert entry.extra["rows"] == 1 and entry.actor_staff_id == world.provider_admin.pk


# --- the letter queue (FEE-5, PRIV-4) ----------------------------------------------------------------------


def queue(world, invoice, lines: list[str], *, forwarded: bool = False) -> Letter:
    return Letter.objects.create(
        recipient=invoice.payer,
        kind=LetterKind.INVOICE,
        invoice=invoice,
        address="\n".join(lines),
        via_forwarding=forwarded,
        created_at=invoice.created_at,
    )


@pytest.mark.rule("FEE-5")
def test_the_letter_queue_prints_a_batch_audited_and_marks_letters_posted(world):
    first = queue(world, make_invoice(world), ["Anna Andersson", "Storgatan 1", "111 22 Stockholm"])
    second = queue(world, make_invoice(world), ["Bo Berg", "Lillgatan 2", "222 33 Malmö"])
    queue(world, make_invoice(world, provider=world.other_provider), ["Annan", "X 1"])
    client = admin_client(world)
    page = client.get("/personal/ekonomi/brev/").content.decode()
    assert first.invoice.number in page and second.invoice.number in page and "Annan" not in page
    pdf = client.get("/personal/ekonomi/brev/utskrift.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    printed = pdf_text(pdf.content)
    assert "Storgatan 1" in printed and "Lillgatan 2" in printed and first.invoice.ocr in printed
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 2
    entry = AuditEntry.objects.get(action=AuditEvent.LETTER_BATCH_DOWNLOAD)
    assert sorted(entry.extra["letters"]) == sorted([first.pk, second.pk])
    nothing = client.post("/personal/ekonomi/brev/", {})
    assert nothing.status_code == 422 and "Välj brev som väntar" in nothing.content.decode()
    posted = client.post("/personal/ekonomi/brev/", {"letter": [first.pk, second.pk]})
    assert posted.status_code == 302
    assert not Letter.objects.filter(pk__in=[first.pk, second.pk], posted_at__isnull=True).exists()
    assert "Inga brev väntar" in client.get("/personal/ekonomi/brev/").content.decode()
    with pytest.raises(DomainError):
        letters.do_mark_letters_posted(admin(world), [first.pk])
    with pytest.raises(DomainError) as empty:
        letters.do_download_letter_batch(admin(world))
    assert empty.value.code == BillingError.LETTER_QUEUE_EMPTY


@pytest.mark.rule("PRIV-4")
def test_a_protected_residents_letter_in_the_batch_carries_only_the_forwarding_address(world):
    from vardnav.billing.letters import queue_letter
    from vardnav.people.letters import letter_address
    from vardnav.people.register import get_population_register

    record = get_population_register().lookup(world.protected.personal_number)
    assert record is not None and record.forwarding_address is not None
    invoice = make_invoice(world, payer=world.protected)
    addressing = letter_address(world.protected)
    assert addressing is not None and addressing.via_forwarding
    queue_letter(invoice, LetterKind.INVOICE, addressing)
    page = admin_client(world).get("/personal/ekonomi/brev/").content.decode()
    assert "Skatteverkets förmedlingsadress" in page
    printed = pdf_text(admin_client(world).get("/personal/ekonomi/brev/utskrift.pdf").content)
    assert record.forwarding_address.street in printed
    if record.address is not None:
        assert record.address.street not in printed


def test_the_letter_queue_costs_the_same_with_one_letter_as_with_many(world):
    client = admin_client(world)
    queue(world, make_invoice(world), ["A", "B"])

    def more() -> None:
        for _ in range(3):
            queue(world, make_invoice(world), ["C", "D"])

    assert_same_query_count(lambda: client.get("/personal/ekonomi/brev/"), more)


def test_only_finance_staff_reach_the_letter_queue_and_the_surplus_list(world):
    desk = desk_client(world)
    for url in ("/personal/ekonomi/brev/", "/personal/ekonomi/brev/utskrift.pdf", "/personal/ekonomi/aterbetalningar/"):
        assert desk.get(url).status_code in (403, 404)
    assert not AuditEntry.objects.filter(action=AuditEvent.LETTER_BATCH_DOWNLOAD).exists()


# --- a Swish request from the desk (BOOK-5) ---------------------------------------------------------------


@pytest.mark.rule("BOOK-5")
def test_the_desk_sends_a_swish_request_to_the_payers_phone_and_shows_the_receipt(world, swish_simulator, settings):
    settings.VARDNAV_PUBLIC_URL = "http://127.0.0.1:9"
    invoice = make_invoice(world, amount_ore=150_00)
    client = desk_client(world)
    page = client.get(f"/personal/kassa/?query={invoice.number}").content.decode()
    start_url = reverse("billing:desk_swish_start", args=[invoice.pk])
    assert start_url in page and "Mobilnummer kopplat till Swish" in page
    bad = client.post(start_url, {"phone": "08-123 456"})
    assert bad.status_code == 422 and "Skriv mobilnumret" in bad.content.decode()
    assert not SwishPayment.objects.exists()
    started = client.post(start_url, {"phone": "070-123 45 67"})
    assert started.status_code == 302
    swish = SwishPayment.objects.get()
    assert swish.desk_unit_id == world.unit_x.pk and swish.amount_ore == 150_00
    request = next(p for p in swish_simulator.payments() if p["id"] == swish.instruction_id)
    assert request["payerAlias"] == "46701234567"  # e-commerce: the request goes to the payer's phone
    waiting = client.get(started["Location"])
    assert waiting.status_code == 200 and "Sidan visar kvittot av sig själv" in waiting.content.decode()
    assert client.get(started["Location"] + "?svar=json").json()["final"] is False  # the page's script asks
    swish_simulator.pay(swish.instruction_id, payer_alias="46701234567")
    assert client.get(started["Location"] + "?svar=json").json()["final"] is True
    paid = client.get(started["Location"])
    assert paid.status_code == 302
    receipt = client.get(paid["Location"]).content.decode()
    booked = Payment.objects.get(invoice=invoice)
    assert booked.method == PaymentMethod.DESK_SWISH and booked.unit_id == world.unit_x.pk
    assert booked.registered_by_id == world.receiver_x.pk
    assert booked.receipt_number in receipt and "150 kr" in receipt and "Swish i kassan" in receipt
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    # The page asked again (the callback could come too): booked once.
    client.get(started["Location"])
    assert Payment.objects.filter(invoice=invoice).count() == 1


@pytest.mark.rule("BOOK-5")
def test_a_desk_swish_request_is_only_for_a_desk_and_its_own_provider(world, swish_simulator, settings):
    invoice = make_invoice(world, provider=world.other_provider)
    desk = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    with pytest.raises(PermissionDenied):
        payments.do_start_desk_swish_payment(desk, invoice, phone="0701234567")
    with pytest.raises(PermissionDenied):
        payments.do_start_desk_swish_payment(admin(world), make_invoice(world), phone="0701234567")
    response = desk_client(world).post(reverse("billing:desk_swish_start", args=[invoice.pk]), {"phone": "0701234567"})
    assert response.status_code == 404
    assert not SwishPayment.objects.exists()
