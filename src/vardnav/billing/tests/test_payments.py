"""Payments (FEE-6): booking exactly once, BgMax files matched by OCR, Swish against the simulator
(callbacks replayed, out of order, unknown or forged), refunds, and the desk (BOOK-5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.personas import actor_for
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.billing import bgmax, payments
from vardnav.billing.actions import do_record_payment
from vardnav.billing.errors import BillingError
from vardnav.billing.models import (
    IncomingPayment,
    InvoiceStatus,
    MatchResult,
    Payment,
    PaymentMethod,
    SwishPayment,
    SwishStatus,
)
from vardnav.billing.tests.payment_helpers import make_invoice, our_bankgiro
from vardnav.core.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db


def admin(world):
    return actor_for(world.provider_admin)


# --- booking ------------------------------------------------------------------------------------------


@pytest.mark.rule("FEE-6")
def test_a_payment_is_booked_once_however_often_it_arrives(world):
    invoice = make_invoice(world, amount_ore=150_00)
    first = do_record_payment(admin(world), invoice.pk, amount_ore=100_00, reference="bgmax:1")
    again = do_record_payment(admin(world), invoice.pk, amount_ore=100_00, reference="bgmax:1")
    invoice.refresh_from_db()
    assert first is not None and again == first
    assert Payment.objects.count() == 1
    assert (invoice.paid_ore, invoice.status) == (100_00, InvoiceStatus.UNPAID)
    do_record_payment(admin(world), invoice.pk, amount_ore=50_00, reference="bgmax:2")
    invoice.refresh_from_db()
    assert (invoice.paid_ore, invoice.status) == (150_00, InvoiceStatus.PAID) and invoice.paid_at is not None
    assert do_record_payment(admin(world), invoice.pk, amount_ore=10_00, reference="bgmax:3") is None
    assert AuditEntry.objects.filter(action=AuditEvent.PAYMENT_RECORD).count() == 2


# --- BgMax --------------------------------------------------------------------------------------------


def bgmax_file(*payments_: bgmax.OutgoingPayment) -> bytes:
    return bgmax.write(list(payments_), payee_bankgiro=our_bankgiro(), day=dt.date(2026, 12, 4))


@pytest.mark.rule("FEE-6")
def test_a_bgmax_file_books_by_ocr_and_lists_partial_over_and_unmatched_payments(world):
    exact = make_invoice(world, amount_ore=200_00)
    partial = make_invoice(world, amount_ore=200_00)
    over = make_invoice(world, amount_ore=100_00)
    data = bgmax_file(
        bgmax.OutgoingPayment(exact.ocr, 200_00, "1"),
        bgmax.OutgoingPayment(partial.ocr, 50_00, "2"),
        bgmax.OutgoingPayment(over.ocr, 130_00, "3"),
        bgmax.OutgoingPayment("1000000000017", 75_00, "4"),  # an OCR of no invoice
        bgmax.OutgoingPayment("", 20_00, "5", reference_code="1"),  # no reference at all
    )
    summary = payments.do_import_bgmax(admin(world), world.provider.pk, data)
    assert (summary.matched, summary.partial, summary.over, summary.unmatched) == (1, 1, 1, 2)
    for invoice in (exact, partial, over):
        invoice.refresh_from_db()
    assert exact.status == InvoiceStatus.PAID and over.status == InvoiceStatus.PAID
    assert (partial.status, partial.paid_ore, partial.due_ore) == (InvoiceStatus.UNPAID, 50_00, 150_00)
    assert IncomingPayment.objects.get(invoice=over).surplus_ore == 30_00
    listed = sorted(row.result for row in finance_rows(world))
    assert listed == sorted([MatchResult.PARTIAL, MatchResult.OVER, MatchResult.UNMATCHED, MatchResult.UNMATCHED])


def finance_rows(world):
    from vardnav.billing.access import finance_incoming_payments

    return finance_incoming_payments(admin(world))


@pytest.mark.rule("FEE-6")
def test_a_malformed_file_is_refused_whole_with_the_line_and_books_nothing(world):
    invoice = make_invoice(world)
    lines = bgmax_file(bgmax.OutgoingPayment(invoice.ocr, 200_00, "1"), bgmax.OutgoingPayment("x", 1, "2"))
    broken = lines.replace(b"000000000000000001", b"00000000000000000A", 1)  # the second payment's amount
    with pytest.raises(DomainError) as refused:
        payments.do_import_bgmax(admin(world), world.provider.pk, broken)
    assert refused.value.code == BillingError.BGMAX_MALFORMED
    assert "4" in refused.value.message
    invoice.refresh_from_db()
    assert invoice.paid_ore == 0 and not Payment.objects.exists() and not IncomingPayment.objects.exists()


@pytest.mark.rule("FEE-6")
def test_a_file_read_twice_or_a_payment_in_two_files_books_once(world):
    invoice = make_invoice(world)
    data = bgmax_file(bgmax.OutgoingPayment(invoice.ocr, 200_00, "1"))
    payments.do_import_bgmax(admin(world), world.provider.pk, data)
    with pytest.raises(DomainError) as refused:
        payments.do_import_bgmax(admin(world), world.provider.pk, data)
    assert refused.value.code == BillingError.BGMAX_ALREADY_IMPORTED
    other_file = bgmax.write(
        [bgmax.OutgoingPayment(invoice.ocr, 200_00, "1"), bgmax.OutgoingPayment("", 5_00, "9", reference_code="1")],
        payee_bankgiro=our_bankgiro(),
        day=dt.date(2026, 12, 4),
    )
    payments.do_import_bgmax(admin(world), world.provider.pk, other_file)
    invoice.refresh_from_db()
    assert invoice.paid_ore == 200_00 and Payment.objects.count() == 1


def test_only_the_provider_admin_reads_files_and_handles_the_list(world):
    data = bgmax_file(bgmax.OutgoingPayment("", 20_00, "5", reference_code="1"))
    with pytest.raises(PermissionDenied):
        payments.do_import_bgmax(actor_for(world.handler_x, unit=world.unit_x), world.provider.pk, data)
    with pytest.raises(PermissionDenied):
        payments.do_import_bgmax(actor_for(world.provider_admin_other), world.provider.pk, data)
    payments.do_import_bgmax(admin(world), world.provider.pk, data)
    incoming = IncomingPayment.objects.get()
    with pytest.raises(DomainError):
        payments.do_handle_incoming_payment(admin(world), incoming, note="  ")
    payments.do_handle_incoming_payment(admin(world), incoming, note="Återbetald till betalaren")
    assert finance_rows(world) == []
    with pytest.raises(DomainError):
        payments.do_handle_incoming_payment(admin(world), incoming, note="igen")


# --- Swish --------------------------------------------------------------------------------------------


def start(world, invoice, settings):
    settings.VARDNAV_PUBLIC_URL = "http://127.0.0.1:9"  # callbacks from the simulator go nowhere here
    return payments.do_start_swish_payment(actor_for(invoice.payer), invoice)


def callback_body(swish_simulator, payment):
    return next(p for p in swish_simulator.payments() if p["id"] == payment.instruction_id)


def post_callback(client, token, body):
    return client.post(reverse("billing:swish_callback", args=[token]), data=body, content_type="application/json")


@pytest.mark.rule("FEE-6")
def test_a_swish_payment_is_booked_from_the_callback_once(world, swish_simulator, settings, client):
    invoice = make_invoice(world, amount_ore=123_45)
    payment = start(world, invoice, settings)
    assert payment.status == SwishStatus.CREATED and payment.amount_ore == 123_45
    assert callback_body(swish_simulator, payment)["amount"] == "123.45"
    assert start(world, invoice, settings) == payment  # a second click reuses the waiting request
    swish_simulator.pay(payment.instruction_id)
    body = callback_body(swish_simulator, payment)
    response = post_callback(client, payment.callback_token, body)
    assert response.status_code == 200 and response.json() == {"status": "PAID", "changed": True}
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.paid_ore == 123_45
    # Replayed (Swish repeats callbacks): nothing changes twice.
    again = post_callback(client, payment.callback_token, body)
    assert again.status_code == 200 and again.json()["changed"] is False
    assert Payment.objects.filter(method=PaymentMethod.SWISH).count() == 1
    invoice.refresh_from_db()
    assert invoice.paid_ore == 123_45


@pytest.mark.rule("FEE-6")
def test_a_late_callback_out_of_order_changes_nothing(world, swish_simulator, settings, client):
    invoice = make_invoice(world)
    payment = start(world, invoice, settings)
    swish_simulator.pay(payment.instruction_id)
    paid_body = callback_body(swish_simulator, payment)
    # The resident's page asked Swish first (the callback was late): paid once.
    assert payments.do_refresh_swish_payment(actor_for(invoice.payer), payment).status == SwishStatus.PAID
    declined = {**paid_body, "status": "DECLINED", "errorCode": "RF07"}
    assert post_callback(client, payment.callback_token, declined).json()["changed"] is False
    assert post_callback(client, payment.callback_token, paid_body).json()["changed"] is False
    payment.refresh_from_db()
    assert payment.status == SwishStatus.PAID and Payment.objects.count() == 1


@pytest.mark.rule("FEE-6")
def test_forged_and_unknown_callbacks_are_refused_and_change_nothing(world, swish_simulator, settings, client):
    invoice = make_invoice(world)
    payment = start(world, invoice, settings)
    body = callback_body(swish_simulator, payment)
    # Claims PAID, but Swish (asked over mutual TLS) says the payment still waits.
    forged = {**body, "status": "PAID", "paymentReference": "F" * 32}
    assert post_callback(client, payment.callback_token, forged).status_code == 400
    # The right payment on another payment's URL, and a changed amount.
    swish_simulator.pay(payment.instruction_id)
    paid = callback_body(swish_simulator, payment)
    assert post_callback(client, "not-the-token", paid).status_code == 400
    assert post_callback(client, payment.callback_token, {**paid, "amount": "1.00"}).status_code == 400
    # Not a payment object, and a payment nobody asked for.
    assert post_callback(client, payment.callback_token, {"hello": "swish"}).status_code == 400
    assert post_callback(client, payment.callback_token, {**paid, "id": "A" * 32}).status_code == 400
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert payment.status == SwishStatus.CREATED and invoice.paid_ore == 0 and not Payment.objects.exists()
    assert AuditEntry.objects.filter(action=AuditEvent.SWISH_CALLBACK_REFUSE).count() == 5
    # The real callback still works afterwards.
    assert post_callback(client, payment.callback_token, paid).json() == {"status": "PAID", "changed": True}


def test_a_declined_swish_payment_leaves_the_invoice_unpaid_and_a_new_one_can_start(
    world, swish_simulator, settings, client
):
    invoice = make_invoice(world)
    payment = start(world, invoice, settings)
    swish_simulator.decline(payment.instruction_id)
    assert (
        post_callback(client, payment.callback_token, callback_body(swish_simulator, payment)).json()["status"]
        == "DECLINED"
    )
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.UNPAID
    assert start(world, invoice, settings) != payment


def test_swish_unreachable_is_a_clear_refusal_not_a_crash(world, swish_simulator, settings):
    invoice = make_invoice(world)
    settings.SWISH_BASE_URL = "https://127.0.0.1:9/swish-cpcapi/"
    with pytest.raises(DomainError) as refused:
        payments.do_start_swish_payment(actor_for(invoice.payer), invoice)
    assert refused.value.code == BillingError.SWISH_UNAVAILABLE
    assert not SwishPayment.objects.filter(status=SwishStatus.CREATED).exists()


@pytest.mark.rule("FEE-6")
def test_a_paid_swish_payment_is_refunded_up_to_its_amount(world, swish_simulator, settings, client):
    invoice = make_invoice(world, amount_ore=200_00)
    payment = start(world, invoice, settings)
    swish_simulator.pay(payment.instruction_id)
    post_callback(client, payment.callback_token, callback_body(swish_simulator, payment))
    payment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        payments.do_refund_swish_payment(actor_for(world.handler_x, unit=world.unit_x), payment, amount_ore=1_00)
    refund = payments.do_refund_swish_payment(admin(world), payment, amount_ore=150_00)
    assert refund.status == "PAID"
    with pytest.raises(DomainError) as refused:
        payments.do_refund_swish_payment(admin(world), payment, amount_ore=60_00)
    assert refused.value.code == BillingError.REFUND_AMOUNT_INVALID


# --- the desk (BOOK-5) ---------------------------------------------------------------------------------


@pytest.mark.rule("BOOK-5")
def test_the_desk_takes_card_and_swish_never_cash(world):
    desk = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    invoice = make_invoice(world, amount_ore=100_00)
    for cash in ("cash", "kontant"):
        with pytest.raises(DomainError) as refused:
            payments.do_register_desk_payment(desk, invoice, method=cash)
        assert refused.value.code == BillingError.DESK_CASH_REFUSED
    with pytest.raises(DomainError):
        do_record_payment(desk, invoice.pk, amount_ore=100_00, reference="desk:x", method="cash")
    invoice.refresh_from_db()
    assert invoice.paid_ore == 0
    payment = payments.do_register_desk_payment(desk, invoice, method="desk_card")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and payment.receipt_number and payment.unit_id == world.unit_x.pk
    other = make_invoice(world, amount_ore=100_00)
    assert payments.do_register_desk_payment(desk, other, method="desk_swish").method == PaymentMethod.DESK_SWISH


@pytest.mark.rule("BOOK-5")
def test_only_staff_at_a_physical_unit_of_the_provider_register_desk_payments(world):
    invoice = make_invoice(world)
    for actor in (
        actor_for(world.receiver_x),  # no unit chosen
        actor_for(world.provider_admin_other),
        actor_for(world.resident_a),
    ):
        with pytest.raises(PermissionDenied):
            payments.do_register_desk_payment(actor, invoice, method="desk_card")
