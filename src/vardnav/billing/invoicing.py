"""Invoices, reminders, collection and credit notes (FEE-4, FEE-5, FEE-7, FEE-8).

Why a scheduled run rather than the closing transaction: an invoice must follow within 24 hours
of closing (FEE-4) even when the worker was down, so the run picks up every closed, charged case
without an invoice, whenever it closed. It is idempotent: each case is locked and checked before
its invoice is inserted, and the one-invoice-per-case constraint refuses a second one, so two
workers at once still make one invoice. The same run sends reminders and hands invoices to
collection, each step once (one Dunning of each kind per invoice).

What is said never carries health data: no service, unit, profession or condition on the invoice,
the notice, the e-mail or the letter; only the provider, the case number and the amounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.billing.checks import check_credit_reason
from vardnav.billing.errors import BillingError
from vardnav.billing.letters import queue_letter
from vardnav.billing.models import (
    CaseFee,
    CreditNote,
    DeliveryChannel,
    Dunning,
    DunningKind,
    FeeReason,
    Invoice,
    InvoiceStage,
    InvoiceStatus,
    LetterKind,
    ReminderFeeMaximum,
)
from vardnav.billing.ocr import invoice_ocr
from vardnav.cases.models import Case, CaseStatus
from vardnav.cases.notices import resident_recipients
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import PermissionDenied
from vardnav.notifications.actions import notify_resident, outside_channels
from vardnav.notifications.models import NoticeKind, OutgoingChannel
from vardnav.organizations.access import is_provider_admin
from vardnav.people.letters import letter_address
from vardnav.people.models import Person

# Region Örebro and Dalarna: due 30 days from the invoice date; the reminder routine starts a week
# after the due date; a reminder is due in 14 days, after which the invoice goes to collection.
PAYMENT_TERMS_DAYS = 30
REMINDER_AFTER_DAYS = 7
REMINDER_TERMS_DAYS = 14
BATCH = 200


def invoice_number(case_id: int) -> str:
    return f"F{case_id:08d}"


def credit_note_number(invoice: Invoice) -> str:
    return "K" + invoice.number[1:]


def reminder_fee_maximum(day: dt.date) -> ReminderFeeMaximum | None:
    """The legal maximum valid on `day` (dated configuration)."""
    return ReminderFeeMaximum.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def payer_of(case: Case) -> Person:
    """Who pays: who acted (the resident, or the guardian who submitted a child's case)."""
    recipients = resident_recipients(case)
    return recipients[0] if recipients else Person.objects.get(pk=case.submitted_by_id)


def _notify(invoice: Invoice, kind: NoticeKind, patient_protected: bool) -> None:
    link = reverse("billing:invoice", args=[invoice.pk])
    notify_resident(
        Person.objects.get(pk=invoice.payer_id),
        kind,
        link=link,
        login_link=link,
        for_child=invoice.patient_id != invoice.payer_id,
        protected=patient_protected,
    )


def _patient_protected(invoice: Invoice) -> bool:
    return (
        invoice.patient_id != invoice.payer_id
        and Person.objects.filter(pk=invoice.patient_id, protected_identity=True).exists()
    )


@dataclass(frozen=True)
class Delivery:
    channel: str
    addressing: object | None  # people.letters.Addressing for a letter


def _delivery(payer: Person, *, patient_protected: bool) -> Delivery:
    """FEE-5: the confirmed e-mail address, otherwise a letter to the postal address. PRIV-3/PRIV-4:
    a protected payer (or a protected child's case) never by e-mail; their letter goes only to
    Skatteverket's forwarding address."""
    if OutgoingChannel.EMAIL in outside_channels(payer, protected=patient_protected):
        return Delivery(DeliveryChannel.EMAIL, None)
    addressing = letter_address(payer)
    if addressing is None:
        return Delivery(DeliveryChannel.APP, None)
    channel = DeliveryChannel.FORWARDED_LETTER if addressing.via_forwarding else DeliveryChannel.LETTER
    return Delivery(channel, addressing)


def _charged_fee(case_id: int) -> CaseFee | None:
    return CaseFee.objects.filter(case_id=case_id, reason=FeeReason.CHARGED).order_by("-created_at", "-id").first()


def do_issue_invoice(case_id: int) -> Invoice | None:
    """The invoice of one closed, charged case; None if it has one already or owes nothing."""
    try:
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=case_id)
            if case.status != CaseStatus.CLOSED or Invoice.objects.filter(case_id=case_id).exists():
                return None
            charged = _charged_fee(case_id)
            if charged is None or charged.amount_ore == 0:
                return None
            payer = payer_of(case)
            patient_protected = (
                case.subject_id != payer.pk
                and Person.objects.filter(pk=case.subject_id, protected_identity=True).exists()
            )
            delivery = _delivery(payer, patient_protected=patient_protected)
            today = clock.today()
            invoice = Invoice.objects.create(
                case=case,
                provider_id=case.provider_id,
                payer=payer,
                patient_id=case.subject_id,
                number=invoice_number(case.pk),
                ocr=invoice_ocr(case.pk),
                amount_ore=charged.amount_ore,
                delivery=delivery.channel,
                issued_on=today,
                due_on=today + dt.timedelta(days=PAYMENT_TERMS_DAYS),
                created_at=clock.now(),
            )
            if delivery.addressing is not None:
                queue_letter(invoice, LetterKind.INVOICE, delivery.addressing)  # type: ignore[arg-type]
            _notify(invoice, NoticeKind.INVOICE, patient_protected)
            do_record(
                Actor.system(),
                AuditEvent.INVOICE_ISSUE,
                invoice,
                subject_person_id=case.subject_id,
                unit_id=case.unit_id,
                extra={"amount_ore": invoice.amount_ore, "delivery": invoice.delivery},
            )
            return invoice
    except IntegrityError:
        # Another worker inserted the case's invoice between our check and our insert.
        if Invoice.objects.filter(case_id=case_id).exists():
            return None
        raise


def cases_to_invoice(limit: int = BATCH) -> list[int]:
    """Closed cases charged a fee that have no invoice yet, oldest closing first (catches up after downtime)."""
    charged = CaseFee.objects.filter(case_id=OuterRef("pk"), reason=FeeReason.CHARGED, amount_ore__gt=0)
    invoiced = Invoice.objects.filter(case_id=OuterRef("pk"))
    return list(
        Case.objects.filter(status=CaseStatus.CLOSED)
        .filter(Exists(charged))
        .exclude(Exists(invoiced))
        .order_by("closed_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def do_issue_due_invoices(limit: int = BATCH) -> int:
    """One batch of the scheduled run: invoice every closed, charged case without one."""
    return sum(1 for case_id in cases_to_invoice(limit) if do_issue_invoice(case_id) is not None)


# --- after the due date (FEE-8) -----------------------------------------------------------------------


def do_send_reminders(limit: int = BATCH) -> int:
    """A reminder with the reminder fee (the legal maximum on the day) for each unpaid invoice a week
    past its due date; the reminder reuses the invoice's OCR number. Each invoice once."""
    today = clock.today()
    maximum = reminder_fee_maximum(today)
    fee = maximum.reminder_ore if maximum else 0
    with transaction.atomic():
        invoices = list(
            Invoice.objects.select_for_update(skip_locked=True)
            .filter(
                status=InvoiceStatus.UNPAID,
                stage=InvoiceStage.ISSUED,
                due_on__lt=today - dt.timedelta(days=REMINDER_AFTER_DAYS - 1),
            )
            .order_by("due_on", "id")[:limit]
        )
        for invoice in invoices:
            Dunning.objects.create(
                invoice=invoice,
                kind=DunningKind.REMINDER,
                fee_ore=fee,
                sent_on=today,
                due_on=today + dt.timedelta(days=REMINDER_TERMS_DAYS),
                created_at=clock.now(),
            )
            invoice.reminder_fee_ore += fee
            invoice.stage = InvoiceStage.REMINDED
            invoice.save(update_fields=["reminder_fee_ore", "stage"])
            _send_step(invoice, LetterKind.REMINDER, NoticeKind.INVOICE_REMINDER)
            do_record(
                Actor.system(),
                AuditEvent.INVOICE_REMIND,
                invoice,
                subject_person_id=invoice.patient_id,
                extra={"fee_ore": fee},
            )
    return len(invoices)


def do_send_to_collection(limit: int = BATCH) -> int:
    """Invoices still unpaid after the reminder's due date go to the debt collector (inkasso): they
    appear in the collection export, carrying the case number, and the payer is told. Each once."""
    today = clock.today()
    reminded = Dunning.objects.filter(invoice_id=OuterRef("pk"), kind=DunningKind.REMINDER, due_on__lt=today)
    with transaction.atomic():
        invoices = list(
            Invoice.objects.select_for_update(skip_locked=True)
            .filter(status=InvoiceStatus.UNPAID, stage=InvoiceStage.REMINDED)
            .filter(Exists(reminded))
            .order_by("due_on", "id")[:limit]
        )
        for invoice in invoices:
            Dunning.objects.create(
                invoice=invoice,
                kind=DunningKind.COLLECTION,
                fee_ore=0,  # the collection fee is the debt collector's, on its own demand
                sent_on=today,
                due_on=today,
                created_at=clock.now(),
            )
            invoice.stage = InvoiceStage.COLLECTION
            invoice.save(update_fields=["stage"])
            _send_step(invoice, LetterKind.COLLECTION, NoticeKind.INVOICE_COLLECTION)
            do_record(Actor.system(), AuditEvent.INVOICE_TO_COLLECTION, invoice, subject_person_id=invoice.patient_id)
    return len(invoices)


def _send_step(invoice: Invoice, letter_kind: str, notice: NoticeKind) -> None:
    """A later document goes the way the invoice went; a letter is re-addressed from the register today."""
    patient_protected = _patient_protected(invoice)
    if invoice.delivery in (DeliveryChannel.LETTER, DeliveryChannel.FORWARDED_LETTER):
        addressing = letter_address(Person.objects.get(pk=invoice.payer_id))
        if addressing is not None:
            queue_letter(invoice, letter_kind, addressing)
    _notify(invoice, notice, patient_protected)


def run_billing(limit: int = BATCH) -> tuple[int, int, int]:
    """The scheduled run: invoices, reminders, collection, each until its backlog is cleared."""
    totals = []
    for step in (do_issue_due_invoices, do_send_reminders, do_send_to_collection):
        total = 0
        while True:
            done = step(limit=limit)
            total += done
            if done < limit:
                break
        totals.append(total)
    return totals[0], totals[1], totals[2]


# --- credit notes --------------------------------------------------------------------------------------


def do_credit_invoice(actor: Actor, invoice_id: int, *, reason: object) -> CreditNote:
    """FEE-8: a provider admin corrects a wrong invoice with a credit note for the whole invoice (a new
    document; the invoice stays as it was, marked credited). A paid invoice is refunded instead."""
    text = check_credit_reason(reason)
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().filter(pk=invoice_id).first()
        if invoice is None:
            raise BillingError.INVOICE_NOT_FOUND.error()
        if actor.staff_id is None or not is_provider_admin(actor, invoice.provider_id):
            raise PermissionDenied(BillingError.PROVIDER_ADMIN_REQUIRED)
        if invoice.status == InvoiceStatus.CREDITED:
            raise BillingError.INVOICE_ALREADY_CREDITED.error()
        if invoice.status == InvoiceStatus.PAID or invoice.paid_ore:
            raise BillingError.INVOICE_PAID.error()
        note = CreditNote.objects.create(
            invoice=invoice,
            number=credit_note_number(invoice),
            amount_ore=invoice.total_ore,
            reason=text,
            created_by_id=actor.staff_id,
            created_at=clock.now(),
        )
        invoice.status = InvoiceStatus.CREDITED
        invoice.save(update_fields=["status"])
        _send_step(invoice, LetterKind.CREDIT_NOTE, NoticeKind.INVOICE_CREDITED)
        do_record(
            actor,
            AuditEvent.INVOICE_CREDIT,
            note,
            subject_person_id=invoice.patient_id,
            extra={"invoice": invoice.pk, "amount_ore": note.amount_ore},
        )
    return note
