"""Every change made by payments (FEE-6, BOOK-5): Swish payment requests, their callbacks and
refunds, BgMax files from Bankgirot, desk payments at physical units, and the staff's handling of
payments that did not match. Each books money only through actions.do_record_payment (exactly once)
and is audited.

Trust in Swish's callbacks: Swish does not sign them, so a callback is a hint, never a fact.
It must arrive on the payment's own unguessable callback URL, agree with what Vårdnav asked for
(id, amount, currency, Swish number, reference), and agree with the payment's status as Swish
reports it over the mutually authenticated API (Swish's server certificate checked against the
configured chain, SWISH_CA_FILE, and our merchant certificate presented). Only that fetched status
is booked. Anything else is refused and changes nothing; a replayed or late callback finds the
payment already final and changes nothing again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from typing import Any, NoReturn

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.billing import bgmax, ocr, swish
from vardnav.billing.actions import do_record_payment, do_record_refund
from vardnav.billing.errors import BillingError
from vardnav.billing.models import (
    BgMaxImport,
    IncomingPayment,
    Invoice,
    InvoiceStatus,
    MatchResult,
    Payment,
    PaymentMethod,
    RefundMethod,
    SwishPayment,
    SwishRefund,
    SwishStatus,
)
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import PermissionDenied
from vardnav.organizations.access import acting_staff, is_platform, is_provider_admin
from vardnav.organizations.models import Unit, UnitKind

logger = logging.getLogger(__name__)

# Units where residents come in person (BOOK-5's desk); digital units and the patient board have no desk.
DESK_UNIT_KINDS = (
    UnitKind.PRIMARY_CARE,
    UnitKind.VACCINATION,
    UnitKind.SPECIALIST,
    UnitKind.MIDWIFE,
)


def require_finance(actor: Actor, provider_id: int) -> None:
    """The finance views are the provider administrator's (or the platform's)."""
    if is_platform(actor) or is_provider_admin(actor, provider_id):
        return
    raise PermissionDenied(BillingError.FINANCE_ACCESS_REQUIRED)


# --- Swish ------------------------------------------------------------------------------------------


def _payee_reference(invoice: Invoice) -> str:
    """Swish's payeePaymentReference allows 1–35 of [0-9A-Za-z-]: the invoice number, nothing else."""
    return re.sub(r"[^0-9A-Za-z-]", "", invoice.number)[:35] or str(invoice.pk)


def swish_booking_reference(payment: SwishPayment) -> str:
    """The Payment reference a paid Swish request is booked under (once)."""
    return f"swish:{payment.instruction_id}"


def desk_swish_receipt(payment: SwishPayment) -> str:
    return f"K{payment.desk_unit_id or 0:04d}-{payment.instruction_id[:8]}"


def callback_url(token: str) -> str:
    return settings.VARDNAV_PUBLIC_URL.rstrip("/") + reverse("billing:swish_callback", args=[token])


def do_start_swish_payment(actor: Actor, invoice: Invoice) -> SwishPayment:
    """The resident pays an invoice with Swish: a payment request for what is due (m-commerce: no
    payer alias, the resident opens the Swish app). A request already waiting for the invoice is
    reused (a second click never asks for the money twice)."""
    return _start_swish(actor, invoice, started_by_id=actor.person_id)


def _start_swish(
    actor: Actor,
    invoice: Invoice,
    *,
    payer_alias: str = "",
    started_by_id: int | None = None,
    desk_unit: Unit | None = None,
) -> SwishPayment:
    """Ask Swish for what is due on the invoice, once: a waiting request is followed rather than a
    second one sent. With `payer_alias` (e-commerce) the request goes to that phone's Swish app."""
    open_request = SwishPayment.objects.filter(invoice=invoice, status=SwishStatus.CREATED).first()
    if open_request is not None:
        refreshed = do_refresh_swish_payment(actor, open_request)
        if refreshed.status == SwishStatus.CREATED:
            return refreshed
    invoice.refresh_from_db()
    due = invoice.due_ore
    if due <= 0:
        raise BillingError.INVOICE_NOT_PAYABLE.error()
    try:
        client = swish.get_swish_client()
    except Exception:  # noqa: BLE001 - not configured here: the resident pays by bankgiro, the desk by card
        logger.warning("swish is not configured")
        raise BillingError.SWISH_UNAVAILABLE.error() from None
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            payment = SwishPayment.objects.create(
                instruction_id=swish.new_instruction_id(),
                invoice=invoice,
                amount_ore=due,
                callback_token=token,
                started_by_id=started_by_id,
                desk_unit=desk_unit,
                desk_staff=acting_staff(actor) if desk_unit is not None else None,
                created_at=clock.now(),
            )
            do_record(
                actor,
                AuditEvent.SWISH_PAYMENT_START,
                payment,
                subject_person_id=invoice.payer_id,
                unit_id=desk_unit.pk if desk_unit is not None else None,
                extra={"invoice": invoice.number, "amount_ore": due, "desk": desk_unit is not None},
            )
    except IntegrityError:
        # Another click got there first: use its request.
        return SwishPayment.objects.get(invoice=invoice, status=SwishStatus.CREATED)
    try:
        client.create_payment(
            payment.instruction_id,
            amount_ore=due,
            callback_url=callback_url(token),
            payee_payment_reference=_payee_reference(invoice),
            message=f"Faktura {_payee_reference(invoice)}"[:50],
            payer_alias=payer_alias or None,
        )
    except swish.SwishError as exc:
        SwishPayment.objects.filter(pk=payment.pk, status=SwishStatus.CREATED).update(
            status=SwishStatus.ERROR, error_code=exc.code[:20], settled_at=clock.now()
        )
        if exc.code == swish.TRANSPORT or (exc.http_status or 0) >= 500:
            raise BillingError.SWISH_UNAVAILABLE.error() from None
        if payer_alias and exc.code in ("BE18", "ACMT03", "ACMT01"):
            raise BillingError.DESK_PHONE_INVALID.error(field="phone") from None
        raise BillingError.SWISH_REFUSED.error() from None
    return payment


def _settle(actor: Actor, payment_id: int, status: swish.PaymentStatus) -> tuple[SwishPayment, bool]:
    """Move a waiting payment to the final state Swish reported; a final payment is left as it is.
    Returns the payment and whether this call changed it."""
    with transaction.atomic():
        payment = SwishPayment.objects.select_for_update().select_related("invoice").get(pk=payment_id)
        if payment.status != SwishStatus.CREATED or not status.final:
            return payment, False
        payment.status = status.status
        payment.payment_reference = status.payment_reference[:40]
        payment.error_code = status.error_code[:20]
        payment.settled_at = clock.now()
        payment.save(update_fields=["status", "payment_reference", "error_code", "settled_at"])
        do_record(
            actor,
            AuditEvent.SWISH_PAYMENT_SETTLE,
            payment,
            subject_person_id=payment.invoice.payer_id,
            extra={"status": status.status, "error_code": status.error_code},
        )
        if status.status == SwishStatus.PAID:
            booked = do_record_payment(
                actor,
                payment.invoice_id,
                amount_ore=status.amount_ore,
                reference=swish_booking_reference(payment),
                method=PaymentMethod.DESK_SWISH if payment.desk_unit_id else PaymentMethod.SWISH,
                unit_id=payment.desk_unit_id,
                receipt_number=desk_swish_receipt(payment) if payment.desk_unit_id else "",
                registered_by_id=payment.desk_staff_id,
            )
            if booked is None:
                logger.warning("swish payment for an invoice no longer unpaid", extra={"swish": payment.pk})
    return payment, True


def do_refresh_swish_payment(actor: Actor, payment: SwishPayment) -> SwishPayment:
    """Ask Swish for a waiting payment's status (the resident's page polls; a lost callback is no loss)."""
    if payment.status != SwishStatus.CREATED:
        return payment
    try:
        status = swish.get_swish_client().retrieve_payment(payment.instruction_id)
    except swish.SwishError:
        return payment
    except Exception:  # noqa: BLE001 - Swish not configured: nothing to ask
        return payment
    if status.id != payment.instruction_id or status.amount_ore != payment.amount_ore:
        return payment
    return _settle(actor, payment.pk, status)[0]


@dataclass(frozen=True)
class CallbackResult:
    payment: SwishPayment
    changed: bool


def _refuse(payment: SwishPayment | None, reason: str) -> NoReturn:
    with transaction.atomic():
        do_record(
            Actor.system(),
            AuditEvent.SWISH_CALLBACK_REFUSE,
            payment,
            object_type=None if payment is not None else "billing.swishpayment",
            object_id=None if payment is not None else "unknown",
            extra={"reason": reason},
        )
    raise BillingError.SWISH_CALLBACK_REFUSED.error()


def do_handle_swish_callback(token: str, body: Any) -> CallbackResult:
    """A callback from Swish (or someone claiming to be Swish) on a payment's callback URL.

    Refused (and nothing changed) when the payload is not a payment object, names no payment of
    ours, came to another payment's URL, or disagrees with the payment or with Swish's own answer
    to a status request. A callback for a payment already final changes nothing."""
    try:
        claimed = swish.payment_status(body)
    except swish.SwishError:
        _refuse(None, "malformed")
    payment = SwishPayment.objects.select_related("invoice").filter(instruction_id=claimed.id).first()
    if payment is None:
        refund = SwishRefund.objects.select_related("swish_payment").filter(instruction_id=claimed.id).first()
        if refund is not None:
            return _handle_refund_callback(token, refund)
        _refuse(None, "unknown payment")
    if not constant_time_compare(payment.callback_token, token):
        _refuse(payment, "wrong callback url")
    agrees = (
        claimed.amount_ore == payment.amount_ore
        and claimed.currency == "SEK"
        and claimed.payee_alias == settings.SWISH_PAYEE_ALIAS
        and claimed.payee_payment_reference == _payee_reference(payment.invoice)
        and claimed.final
    )
    if not agrees:
        _refuse(payment, "payload differs from the payment")
    if payment.status != SwishStatus.CREATED:
        return CallbackResult(payment, changed=False)  # replayed or late: already final
    try:
        fetched = swish.get_swish_client().retrieve_payment(payment.instruction_id)
    except swish.SwishError:
        raise BillingError.SWISH_UNAVAILABLE.error() from None  # Swish retries the callback
    if (
        fetched.id != claimed.id
        or fetched.status != claimed.status
        or fetched.amount_ore != payment.amount_ore
        or fetched.payment_reference != claimed.payment_reference
    ):
        _refuse(payment, "payload differs from Swish's status")
    settled, changed = _settle(Actor.system(), payment.pk, fetched)
    return CallbackResult(settled, changed=changed)


def do_refund_swish_payment(actor: Actor, payment: SwishPayment, *, amount_ore: int) -> SwishRefund:
    """The provider's administrator pays money back through Swish (a credited or over-paid invoice)."""
    require_finance(actor, payment.invoice.provider_id)
    staff = acting_staff(actor)
    if staff is None:
        raise PermissionDenied(BillingError.FINANCE_ACCESS_REQUIRED)
    with transaction.atomic():
        locked = SwishPayment.objects.select_for_update().get(pk=payment.pk)
        if locked.status != SwishStatus.PAID or not locked.payment_reference:
            raise BillingError.REFUND_NOT_POSSIBLE.error()
        refunded = sum(r.amount_ore for r in locked.refunds.exclude(status="ERROR"))
        if amount_ore <= 0 or refunded + amount_ore > locked.amount_ore:
            raise BillingError.REFUND_AMOUNT_INVALID.error(field="amount")
        token = secrets.token_urlsafe(32)
        refund = SwishRefund.objects.create(
            instruction_id=swish.new_instruction_id(),
            swish_payment=locked,
            amount_ore=amount_ore,
            callback_token=token,
            created_by=staff,
            created_at=clock.now(),
        )
        do_record(
            actor,
            AuditEvent.SWISH_REFUND,
            refund,
            subject_person_id=payment.invoice.payer_id,
            extra={"amount_ore": amount_ore, "invoice": payment.invoice.number},
        )
    client = swish.get_swish_client()
    try:
        client.create_refund(
            refund.instruction_id,
            original_payment_reference=locked.payment_reference,
            amount_ore=amount_ore,
            callback_url=callback_url(token),
            payer_payment_reference=_payee_reference(payment.invoice),
            message="Återbetalning",
        )
    except swish.SwishError as exc:
        SwishRefund.objects.filter(pk=refund.pk).update(
            status="ERROR", error_code=exc.code[:20], settled_at=clock.now()
        )
        raise BillingError.SWISH_UNAVAILABLE.error() from None
    return do_refresh_swish_refund(actor, refund)


def _settle_refund(actor: Actor, refund_id: int, status: swish.RefundStatus) -> tuple[SwishRefund, bool]:
    """Move a refund to what Swish reported; once it is PAID the money has left and the invoice's
    paid sum is lowered (do_record_refund, once). A final refund is left as it is, so a replayed
    callback or a second poll changes nothing."""
    with transaction.atomic():
        refund = SwishRefund.objects.select_for_update().select_related("swish_payment").get(pk=refund_id)
        if refund.status in swish.REFUND_FINAL_STATES or refund.status == status.status:
            return refund, False
        refund.status = status.status[:10]
        refund.error_code = status.error_code[:20]
        refund.settled_at = clock.now() if status.status in swish.REFUND_FINAL_STATES else None
        refund.save(update_fields=["status", "error_code", "settled_at"])
        booked = Payment.objects.filter(reference=swish_booking_reference(refund.swish_payment)).first()
        if status.status == swish.REFUND_PAID and booked is not None:
            # Only money the invoice was credited with comes off it (a payment that arrived after the
            # invoice was settled was never counted).
            paid = Invoice.objects.filter(pk=booked.invoice_id).values_list("paid_ore", flat=True).first() or 0
            amount = min(refund.amount_ore, paid)
            if amount > 0:
                do_record_refund(
                    actor,
                    booked.invoice_id,
                    amount_ore=amount,
                    reference=f"swish-refund:{refund.instruction_id}",
                    method=RefundMethod.SWISH,
                )
    return refund, True


def do_refresh_swish_refund(actor: Actor, refund: SwishRefund) -> SwishRefund:
    """Ask Swish how a refund stands (after creating it, on its callback, or when staff look again)."""
    if refund.status in swish.REFUND_FINAL_STATES:
        return refund
    try:
        status = swish.get_swish_client().retrieve_refund(refund.instruction_id)
    except swish.SwishError:
        return refund
    except Exception:  # noqa: BLE001 - Swish not configured: nothing to ask
        return refund
    if status.id != refund.instruction_id or status.amount_ore != refund.amount_ore:
        return refund
    return _settle_refund(actor, refund.pk, status)[0]


def _handle_refund_callback(token: str, refund: SwishRefund) -> CallbackResult:
    """A callback for a refund: on its own URL, then the refund's status is fetched from Swish."""
    if not refund.callback_token or not constant_time_compare(refund.callback_token, token):
        _refuse(refund.swish_payment, "wrong callback url")
    if refund.status in swish.REFUND_FINAL_STATES:
        return CallbackResult(refund.swish_payment, changed=False)
    before = refund.status
    refreshed = do_refresh_swish_refund(Actor.system(), refund)
    return CallbackResult(refreshed.swish_payment, changed=refreshed.status != before)


# --- BgMax --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    bgmax_import: BgMaxImport
    matched: int
    partial: int
    over: int
    unmatched: int


def do_import_bgmax(actor: Actor, provider_id: int, data: bytes) -> ImportSummary:
    """Read a BgMax file from Bankgirot and book its payments by OCR number.

    A malformed file is refused whole, naming the line (nothing booked). A file already read is
    refused. Each payment: OCR of an unpaid invoice of the provider → booked (MATCHED, or PARTIAL
    when less than due, OVER when more: the surplus is listed); anything else → UNMATCHED, listed
    for staff (no OCR, an unknown or invalid OCR, a deduction, an invoice already paid or credited)."""
    require_finance(actor, provider_id)
    if not data:
        raise BillingError.BGMAX_FILE_MISSING.error(field="file")
    try:
        parsed = bgmax.parse(data)
    except bgmax.BgMaxError as exc:
        raise BillingError.BGMAX_MALFORMED.error(field="file", line=exc.line, detail=exc.message) from None
    check_bgmax_payee(parsed)
    digest = hashlib.sha256(data).hexdigest()
    counts = {result: 0 for result in MatchResult.values}
    with transaction.atomic():
        if BgMaxImport.objects.filter(sha256=digest).exists():
            raise BillingError.BGMAX_ALREADY_IMPORTED.error(field="file")
        payments = parsed.payments
        try:
            with transaction.atomic():
                record = BgMaxImport.objects.create(
                    provider_id=provider_id,
                    sha256=digest,
                    file_timestamp=parsed.timestamp[:20],
                    test_file=parsed.test,
                    payment_count=len(payments),
                    total_ore=sum(p.amount_ore for p in payments),
                    imported_by=acting_staff(actor),
                    imported_at=clock.now(),
                )
        except IntegrityError:
            raise BillingError.BGMAX_ALREADY_IMPORTED.error(field="file") from None
        for deposit in parsed.deposits:
            day = deposit.payment_date or clock.today()
            for payment in deposit.payments:
                for result in _book_bgmax_payment(actor, provider_id, record, payment, day):
                    counts[result] += 1
        do_record(actor, AuditEvent.BGMAX_IMPORT, record, extra={"payments": len(payments), **counts})
    return ImportSummary(
        record,
        counts[MatchResult.MATCHED],
        counts[MatchResult.PARTIAL],
        counts[MatchResult.OVER],
        counts[MatchResult.UNMATCHED],
    )


def _bankgiro_digits(number: str) -> str:
    return "".join(ch for ch in str(number) if ch.isdigit()).lstrip("0")


def check_bgmax_payee(parsed: bgmax.BgMaxFile) -> None:
    """A file for another payee's bankgiro is not ours: refused whole, naming the opening record."""
    expected = _bankgiro_digits(settings.VARDNAV_BANKGIRO)
    for deposit in parsed.deposits:
        if _bankgiro_digits(deposit.payee_bankgiro) != expected:
            raise BillingError.BGMAX_WRONG_PAYEE.error(
                field="file",
                line=deposit.line,
                bankgiro=deposit.payee_bankgiro,
                expected=settings.VARDNAV_BANKGIRO,
            )


def _book_bgmax_payment(
    actor: Actor, provider_id: int, record: BgMaxImport, payment: bgmax.BgMaxPayment, day: dt.date
) -> list[str]:
    base = f"bgmax:{day:%Y%m%d}:{payment.serial}"
    candidates = payment.ocr_candidates() if not payment.deduction else []
    if not candidates:
        if IncomingPayment.objects.filter(reference=base).exists():
            return []
        IncomingPayment.objects.create(
            bgmax_import=record,
            reference=base,
            ocr=ocr.normalise_ocr(payment.reference)[:25],
            amount_ore=payment.amount_ore,
            payment_date=day,
            result=MatchResult.UNMATCHED,
        )
        return [MatchResult.UNMATCHED]
    results: list[str] = []
    for part, (raw_reference, amount) in enumerate(candidates):
        reference = base if len(candidates) == 1 else f"{base}:{part}"
        if IncomingPayment.objects.filter(reference=reference).exists():
            continue  # in an earlier file too: booked once
        number = ocr.normalise_ocr(raw_reference)
        invoice = None
        if ocr.is_valid_ocr(number):
            invoice = Invoice.objects.filter(ocr=number, provider_id=provider_id).first()
        result, booked, surplus = MatchResult.UNMATCHED, None, 0
        if invoice is not None and invoice.status == InvoiceStatus.UNPAID and amount > 0:
            due = invoice.due_ore
            booked = do_record_payment(
                actor,
                invoice.pk,
                amount_ore=amount,
                reference=reference,
                method=PaymentMethod.BANKGIRO,
                received_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
            )
            if booked is not None:
                if amount < due:
                    result = MatchResult.PARTIAL
                elif amount > due:
                    result, surplus = MatchResult.OVER, amount - due
                else:
                    result = MatchResult.MATCHED
        elif invoice is not None and amount > 0:
            result, surplus = MatchResult.OVER, amount  # paid or credited already: all of it is surplus
        IncomingPayment.objects.create(
            bgmax_import=record,
            reference=reference,
            ocr=number[:25],
            amount_ore=amount,
            payment_date=day,
            result=result,
            invoice=invoice,
            payment=booked,
            surplus_ore=surplus,
        )
        results.append(result)
    return results


def do_handle_incoming_payment(actor: Actor, incoming: IncomingPayment, *, note: str) -> IncomingPayment:
    """Staff mark a partial, over- or unmatched payment as handled, saying what was done."""
    require_finance(actor, incoming.bgmax_import.provider_id)
    note = " ".join(str(note or "").split())
    if not note or len(note) > 300:
        raise BillingError.HANDLED_NOTE_REQUIRED.error(field="note")
    with transaction.atomic():
        locked = IncomingPayment.objects.select_for_update().get(pk=incoming.pk)
        if locked.handled_at is not None:
            raise BillingError.INCOMING_PAYMENT_HANDLED.error()
        locked.handled_by = acting_staff(actor)
        locked.handled_at = clock.now()
        locked.handled_note = note
        locked.save(update_fields=["handled_by", "handled_at", "handled_note"])
        do_record(actor, AuditEvent.INCOMING_PAYMENT_HANDLE, locked, extra={"result": locked.result})
    return locked


def assignable_ore(incoming: IncomingPayment) -> int:
    """What of an incoming payment staff may still put on an invoice: all of an unmatched payment,
    the surplus of an over-payment; nothing of a deduction, a partial payment (already booked on
    its invoice) or a handled one."""
    if incoming.handled_at is not None or incoming.amount_ore <= 0:
        return 0
    if incoming.payment_id is None:
        return incoming.surplus_ore if incoming.result == MatchResult.OVER else int(incoming.amount_ore)
    return incoming.surplus_ore


def do_assign_incoming_payment(actor: Actor, incoming: IncomingPayment, invoice: Invoice) -> IncomingPayment:
    """Staff put an unmatched payment, or an over-payment's surplus, on an unpaid invoice of the
    provider they found by number or OCR (FEE-6). Booked through do_record_payment exactly once
    (the reference is the incoming payment's); a surplus moved away from the invoice it was paid
    on is taken off that invoice's paid sum. What the new invoice did not need stays as surplus,
    listed to be paid back. The payment is then handled."""
    provider_id = incoming.bgmax_import.provider_id
    require_finance(actor, provider_id)
    if invoice.provider_id != provider_id:
        raise BillingError.ASSIGN_INVOICE_NOT_FOUND.error(field="query")
    with transaction.atomic():
        locked = IncomingPayment.objects.select_for_update().get(pk=incoming.pk)
        amount = assignable_ore(locked)
        if amount <= 0:
            raise BillingError.INCOMING_PAYMENT_NOT_ASSIGNABLE.error()
        target = Invoice.objects.select_for_update().get(pk=invoice.pk)
        due = target.due_ore
        if target.status != InvoiceStatus.UNPAID or due <= 0:
            raise BillingError.ASSIGN_INVOICE_NOT_FOUND.error(field="query")
        previous = locked.payment
        if previous is not None:
            # The surplus was counted on the invoice it came with: it moves, so it leaves that one.
            do_record_refund(
                actor,
                previous.invoice_id,
                amount_ore=amount,
                reference=f"moved:{locked.reference}",
                method=RefundMethod.MOVED,
            )
        booked = do_record_payment(
            actor,
            target.pk,
            amount_ore=amount,
            reference=f"assigned:{locked.reference}",
            method=PaymentMethod.BANKGIRO,
            received_at=dt.datetime.combine(locked.payment_date, dt.time(12), tzinfo=dt.UTC),
        )
        if booked is None:
            raise BillingError.ASSIGN_INVOICE_NOT_FOUND.error(field="query")
        locked.invoice = target
        locked.payment = booked
        locked.surplus_ore = max(amount - due, 0)
        locked.handled_by = acting_staff(actor)
        locked.handled_at = clock.now()
        locked.handled_note = f"Bokförd på faktura {target.number}"
        locked.save(update_fields=["invoice", "payment", "surplus_ore", "handled_by", "handled_at", "handled_note"])
        do_record(
            actor,
            AuditEvent.INCOMING_PAYMENT_ASSIGN,
            locked,
            subject_person_id=target.payer_id,
            extra={"invoice": target.number, "amount_ore": amount, "surplus_ore": locked.surplus_ore},
        )
    return locked


def do_refund_surplus(actor: Actor, incoming: IncomingPayment) -> IncomingPayment:
    """Staff record that an incoming payment's surplus has been paid back to the payer (by bank
    transfer, outside Vårdnav). Where the surplus was counted on an invoice, the invoice's paid sum
    is lowered by it (do_record_refund, once)."""
    require_finance(actor, incoming.bgmax_import.provider_id)
    with transaction.atomic():
        locked = IncomingPayment.objects.select_for_update().get(pk=incoming.pk)
        if locked.surplus_ore <= 0 or locked.surplus_refunded_at is not None:
            raise BillingError.SURPLUS_NOT_REFUNDABLE.error()
        if locked.payment is not None:
            do_record_refund(
                actor,
                locked.payment.invoice_id,
                amount_ore=locked.surplus_ore,
                reference=f"surplus:{locked.reference}",
                method=RefundMethod.BANK_TRANSFER,
            )
        now = clock.now()
        locked.surplus_refunded_by = acting_staff(actor)
        locked.surplus_refunded_at = now
        fields = ["surplus_refunded_by", "surplus_refunded_at"]
        if locked.handled_at is None:
            locked.handled_by, locked.handled_at = locked.surplus_refunded_by, now
            locked.handled_note = "Överskottet är återbetalt"
            fields += ["handled_by", "handled_at", "handled_note"]
        locked.save(update_fields=fields)
        do_record(
            actor,
            AuditEvent.SURPLUS_REFUND,
            locked,
            extra={"amount_ore": locked.surplus_ore, "invoice": locked.invoice_id},
        )
    return locked


# --- the desk (BOOK-5) --------------------------------------------------------------------------------


def desk_unit(actor: Actor) -> Unit:
    """The physical unit the staff member works at now (their desk), or refused."""
    staff = acting_staff(actor)
    unit = Unit.objects.filter(pk=actor.unit_id).first() if staff is not None and actor.unit_id else None
    if unit is None or unit.kind not in DESK_UNIT_KINDS or unit.provider_id != staff.provider_id:  # type: ignore[union-attr]
        raise PermissionDenied(BillingError.DESK_UNIT_REQUIRED)
    return unit


def check_desk_method(value: object) -> str:
    """BOOK-5: card or Swish; cash is refused with its own message."""
    text = str(value or "").strip().lower()
    if text in ("cash", "kontant", "kontanter"):
        raise BillingError.DESK_CASH_REFUSED.error(field="method")
    if text not in ("desk_card", "desk_swish"):
        raise BillingError.DESK_METHOD_INVALID.error(field="method")
    return text


def do_start_desk_swish_payment(actor: Actor, invoice: Invoice, *, phone: object) -> SwishPayment:
    """BOOK-5 at the desk: staff send a Swish payment request for what is due to the payer's own
    phone (e-commerce: the request carries the payer alias, and the payer approves in their Swish
    app). The desk page then follows its status; once paid it is booked as a desk Swish payment with
    a receipt. A request already waiting for the invoice is followed rather than a second one sent."""
    from vardnav.billing.checks import check_swish_phone

    unit = desk_unit(actor)
    payer_alias = check_swish_phone(phone)
    if invoice.provider_id != unit.provider_id:
        raise PermissionDenied(BillingError.DESK_UNIT_REQUIRED)
    payment = _start_swish(actor, invoice, payer_alias=payer_alias, desk_unit=unit)
    if payment.desk_unit_id != unit.pk:
        raise BillingError.SWISH_REQUEST_WAITING.error()  # the resident's own request waits in their app
    return payment


def desk_swish_booking(payment: SwishPayment) -> Payment | None:
    """The desk payment a paid desk Swish request was booked as (for its receipt)."""
    return Payment.objects.filter(reference=swish_booking_reference(payment)).first()


def do_register_desk_payment(actor: Actor, invoice: Invoice, *, method: object) -> Any:
    """A resident pays what is due at the desk of a physical unit, by card or Swish (BOOK-5);
    staff register it and hand over the receipt. Never cash."""
    unit = desk_unit(actor)
    chosen = check_desk_method(method)
    if invoice.provider_id != unit.provider_id:
        raise PermissionDenied(BillingError.DESK_UNIT_REQUIRED)
    invoice.refresh_from_db()
    due = invoice.due_ore
    if due <= 0:
        raise BillingError.INVOICE_NOT_PAYABLE.error()
    receipt = f"K{unit.pk:04d}-{secrets.token_hex(4).upper()}"
    with transaction.atomic():
        payment = do_record_payment(
            actor,
            invoice.pk,
            amount_ore=due,
            reference=f"desk:{receipt}",
            method=chosen,
            unit_id=unit.pk,
            receipt_number=receipt,
        )
        if payment is None:
            raise BillingError.INVOICE_NOT_PAYABLE.error()
        do_record(
            actor,
            AuditEvent.DESK_PAYMENT_REGISTER,
            payment,
            subject_person_id=invoice.payer_id,
            unit_id=unit.pk,
            extra={"method": chosen, "amount_ore": due, "receipt": receipt},
        )
    return payment
