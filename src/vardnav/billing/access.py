"""Fetching fees for an actor: the provider's schedule for its staff, a resident's case fees.

The schedule is not secret (a provider publishes its fees), but the pages show a
staff member their own provider's only. A case's fee is reached through the
case, so only those who may see the case see what it costs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from vardnav.billing.efrikort import CeilingStatus
from vardnav.billing.models import (
    BillingPolicy,
    CaseFee,
    CeilingCharge,
    CreditNote,
    Dunning,
    Fee,
    FeeReason,
    FreeCard,
    FreeCardStatus,
    IncomingPayment,
    Invoice,
    InvoiceRefund,
    InvoiceStage,
    InvoiceStatus,
    Letter,
    MatchResult,
    Payment,
    RefundMethod,
    ServiceCharge,
    SwishPayment,
)
from vardnav.cases.access import resident_case_scope
from vardnav.cases.models import Case
from vardnav.catalog.models import Service
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError, NotFound
from vardnav.organizations.access import acting_staff, is_provider_admin
from vardnav.organizations.models import CareProvider
from vardnav.people.models import Person

MY_FEES_LIMIT = 200
FREE_CARD_LIMIT = 100


def staff_provider_id(actor: Actor) -> int:
    """The provider of the acting staff member (their own schedule); anyone else: NotFound."""
    staff = acting_staff(actor)
    if staff is None:
        raise NotFound()
    return staff.provider_id


def may_edit_fees(actor: Actor) -> bool:
    staff = acting_staff(actor)
    return staff is not None and is_provider_admin(actor, staff.provider_id)


def fee_schedule(provider_id: int) -> list[Fee]:
    return list(Fee.objects.filter(provider_id=provider_id).order_by("profession", "contact_kind", "valid_from", "id"))


@dataclass(frozen=True)
class ServiceRow:
    service: Service
    charge: ServiceCharge | None


def service_charges(provider_id: int) -> list[ServiceRow]:
    """Every active e-service of the provider with how it is charged (None: free), in two queries."""
    services = list(Service.objects.filter(provider_id=provider_id, is_active=True).order_by("name", "pk"))
    charges = {c.service_id: c for c in ServiceCharge.objects.filter(service__in=services)}
    return [ServiceRow(service, charges.get(service.pk)) for service in services]


def access_provider_service(provider_id: int, service_id: int) -> Service:
    from vardnav.billing.errors import BillingError

    service = Service.objects.filter(provider_id=provider_id, pk=service_id).first()
    if service is None:
        raise NotFound(BillingError.SERVICE_NOT_FOUND)
    return service


def billing_policy(provider_id: int) -> BillingPolicy:
    """The provider's policy, or the defaults (not stored until an admin changes them)."""
    return BillingPolicy.objects.filter(provider_id=provider_id).first() or BillingPolicy(provider_id=provider_id)


def current_case_fee(case_id: int) -> CaseFee | None:
    return CaseFee.objects.filter(case_id=case_id).order_by("-created_at", "-id").first()


def case_fee_history(case_id: int) -> list[CaseFee]:
    return list(CaseFee.objects.filter(case_id=case_id).order_by("created_at", "id"))


def resident_case_fees(actor: Actor) -> list[tuple[Case, CaseFee]]:
    """The newest fee of each case the resident may see (their own, or the child's they act for),
    newest case first, in two queries."""
    # A free return (VISIT-4) adds a 0 kr row after the charge; the list shows what the case cost.
    latest = (
        CaseFee.objects.filter(case_id=OuterRef("pk"))
        .exclude(reason=FeeReason.RETURNED)
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    cases = list(
        Case.objects.filter(resident_case_scope(actor))
        .annotate(current_fee_id=Subquery(latest))
        .filter(current_fee_id__isnull=False)
        .select_related("unit")
        .order_by("-submitted_at", "-id")[:MY_FEES_LIMIT]
    )
    fees = CaseFee.objects.in_bulk([case.current_fee_id for case in cases])
    return [(case, fees[case.current_fee_id]) for case in cases]


# --- the cost ceiling and frikort (FEE-3) ----------------------------------------------------------


@dataclass(frozen=True)
class CeilingView:
    status: CeilingStatus
    charges: list[CeilingCharge]
    cards: list[FreeCard]


def resident_ceiling(actor: Actor) -> CeilingView:
    """The ceiling of the person the resident acts for (their own, or the child's shared one)."""
    from vardnav.billing.efrikort import efrikort
    from vardnav.cases.actions import check_resident_subject

    subject = check_resident_subject(actor)
    assert actor.person_id is not None  # check_resident_subject refuses an actor without a person
    payer = Person.objects.get(pk=actor.person_id)
    today = clock.today()
    status = efrikort().status(subject, payer, today)
    charges: list[CeilingCharge] = []
    if status.period_starts_on is not None:
        charges = list(
            CeilingCharge.objects.filter(
                period__holder_id=status.holder_id,
                period__scope=status.scope,
                period__starts_on=status.period_starts_on,
            ).order_by("day", "id")
        )
    cards = list(FreeCard.objects.filter(person=subject).select_related("provider").order_by("-entered_at", "-id"))
    return CeilingView(status, charges, cards)


def providers_for_cards() -> list[CareProvider]:
    """FEE-3: the providers whose region has no e-frikort, where a frikort is entered by hand."""
    efrikort = BillingPolicy.objects.filter(uses_efrikort=True).values("provider_id")
    return list(CareProvider.objects.exclude(pk__in=efrikort).order_by("name", "pk"))


def efrikort_providers() -> list[CareProvider]:
    """FEE-3: the providers whose region uses e-frikort (the card is fetched, never entered by hand)."""
    efrikort = BillingPolicy.objects.filter(uses_efrikort=True).values("provider_id")
    return list(CareProvider.objects.filter(pk__in=efrikort).order_by("name", "pk"))


def free_card_queue(actor: Actor) -> list[FreeCard]:
    """Hand-entered frikort for the provider admin to check: pending first, then the latest decided."""
    from vardnav.billing.errors import BillingError
    from vardnav.core.errors import PermissionDenied

    provider_id = staff_provider_id(actor)
    if not may_edit_fees(actor):
        raise PermissionDenied(BillingError.PROVIDER_ADMIN_REQUIRED)
    cards = FreeCard.objects.filter(provider_id=provider_id).select_related("person").order_by("status", "-entered_at")
    pending = [card for card in cards.filter(status=FreeCardStatus.PENDING)[:FREE_CARD_LIMIT]]
    decided = [card for card in cards.exclude(status=FreeCardStatus.PENDING).order_by("-decided_at")[:FREE_CARD_LIMIT]]
    return pending + decided


def access_free_card_for_staff(actor: Actor, card_id: int) -> FreeCard:
    from vardnav.billing.errors import BillingError

    provider_id = staff_provider_id(actor)
    card = FreeCard.objects.filter(pk=card_id, provider_id=provider_id).first()
    if card is None:
        raise NotFound(BillingError.FREE_CARD_NOT_FOUND)
    return card


# --- invoices (FEE-4, FEE-7, FEE-8) ----------------------------------------------------------------

MY_INVOICES_LIMIT = 200
COLLECTION_LIMIT = 5000
INVOICE_ROW_FIELDS = (
    "pk",
    "number",
    "ocr",
    "issued_on",
    "due_on",
    "amount_ore",
    "reminder_fee_ore",
    "paid_ore",
    "status",
    "stage",
    "case__number",
)


def resident_invoice_rows(actor: Actor) -> list[dict[str, Any]]:
    """The invoices the logged-in resident pays (their own and their children's cases they acted
    for), newest first, as plain rows in one query."""
    if actor.person_id is None:
        return []
    return list(
        Invoice.objects.filter(payer_id=actor.person_id)
        .order_by("-issued_on", "-id")
        .values(*INVOICE_ROW_FIELDS)[:MY_INVOICES_LIMIT]
    )


@dataclass(frozen=True)
class InvoiceDocument:
    """An invoice with what its document shows: the provider, the case number, the payer, the steps."""

    invoice: Invoice
    provider_name: str
    case_number: str
    payer: Person
    dunnings: list[Dunning]
    credit_note: CreditNote | None
    refunded_ore: int = 0


def invoice_document(invoice: Invoice) -> InvoiceDocument:
    case = Case.objects.only("number").get(pk=invoice.case_id)
    provider = CareProvider.objects.only("name").get(pk=invoice.provider_id)
    return InvoiceDocument(
        invoice=invoice,
        provider_name=provider.name,
        case_number=case.number,
        payer=Person.objects.get(pk=invoice.payer_id),
        dunnings=list(Dunning.objects.filter(invoice=invoice).order_by("sent_on", "id")),
        credit_note=CreditNote.objects.filter(invoice=invoice).first(),
        refunded_ore=refunded_on(invoice),
    )


def refunded_on(invoice: Invoice) -> int:
    """What has been paid back on the invoice (completed refunds; a surplus moved to another invoice
    is not money paid back)."""
    from django.db.models import Sum

    total = (
        InvoiceRefund.objects.filter(invoice=invoice)
        .exclude(method=RefundMethod.MOVED)
        .aggregate(total=Sum("amount_ore"))["total"]
    )
    return int(total or 0)


def access_invoice_for_resident(actor: Actor, invoice_id: int) -> InvoiceDocument:
    """Only the payer reaches an invoice; anyone else gets NotFound (not even that it exists)."""
    from vardnav.billing.errors import BillingError

    invoice = Invoice.objects.filter(pk=invoice_id, payer_id=actor.person_id).first() if actor.person_id else None
    if invoice is None:
        raise NotFound(BillingError.INVOICE_NOT_FOUND)
    return invoice_document(invoice)


def case_invoice(case_id: int) -> Invoice | None:
    """The invoice of a case the caller has already been allowed to see."""
    return Invoice.objects.filter(case_id=case_id).first()


def collection_rows(actor: Actor) -> list[dict[str, Any]]:
    """The provider's invoices handed to collection, for the debt collector's file (provider admins)."""
    from vardnav.billing.errors import BillingError
    from vardnav.core.errors import PermissionDenied

    provider_id = staff_provider_id(actor)
    if not may_edit_fees(actor):
        raise PermissionDenied(BillingError.PROVIDER_ADMIN_REQUIRED)
    return list(
        Invoice.objects.filter(provider_id=provider_id, stage=InvoiceStage.COLLECTION, status=InvoiceStatus.UNPAID)
        .order_by("due_on", "id")
        .values(*INVOICE_ROW_FIELDS, "payer_id")[:COLLECTION_LIMIT]
    )


def access_invoice_for_staff(actor: Actor, invoice_id: int) -> Invoice:
    """An invoice of the staff member's own provider: its admins (finance) reach every one, as the
    invoice carries no health data; other staff only through a case they may see (an audited read)."""
    from vardnav.billing.errors import BillingError
    from vardnav.cases.access import access_case_for_staff

    provider_id = staff_provider_id(actor)
    invoice = Invoice.objects.filter(pk=invoice_id, provider_id=provider_id).first()
    if invoice is None:
        raise NotFound(BillingError.INVOICE_NOT_FOUND)
    if may_edit_fees(actor):
        return invoice
    try:
        access_case_for_staff(actor, invoice.case_id, purpose="faktura")
    except NotFound:
        raise NotFound(BillingError.INVOICE_NOT_FOUND) from None
    return invoice


# --- payments and the finance views (FEE-6, BOOK-5, part 8) -------------------------------------------

FINANCE_LIST_LIMIT = 200


def access_my_invoice(actor: Actor, invoice_id: int) -> Invoice:
    """An invoice the resident pays: they are its payer (for a child's case, the guardian who acted)."""
    if actor.person_id is None:
        raise NotFound()
    invoice = Invoice.objects.filter(pk=invoice_id, payer_id=actor.person_id).first()
    if invoice is None:
        raise NotFound()
    return invoice


def access_my_swish_payment(actor: Actor, invoice: Invoice, payment_id: int) -> SwishPayment:
    payment = SwishPayment.objects.filter(pk=payment_id, invoice=invoice).first()
    if payment is None:
        raise NotFound()
    return payment


@dataclass(frozen=True)
class InvoiceRow:
    id: int
    number: str
    ocr: str
    amount_ore: int
    total_ore: int
    paid_ore: int
    due_ore: int
    status: str
    status_label: str
    stage: str
    issued_on: dt.date
    due_on: dt.date


def _invoice_rows(queryset: QuerySet[Invoice]) -> list[InvoiceRow]:
    rows = []
    for values in queryset.values(
        "id", "number", "ocr", "amount_ore", "reminder_fee_ore", "paid_ore", "status", "stage", "issued_on", "due_on"
    ):
        total = values["amount_ore"] + values["reminder_fee_ore"]
        due = max(total - values["paid_ore"], 0) if values["status"] == InvoiceStatus.UNPAID else 0
        rows.append(
            InvoiceRow(
                id=values["id"],
                number=values["number"],
                ocr=values["ocr"],
                amount_ore=values["amount_ore"],
                total_ore=total,
                paid_ore=values["paid_ore"],
                due_ore=due,
                status=values["status"],
                status_label=str(InvoiceStatus(values["status"]).label),
                stage=values["stage"],
                issued_on=values["issued_on"],
                due_on=values["due_on"],
            )
        )
    return rows


def my_unpaid_invoices(actor: Actor) -> list[InvoiceRow]:
    if actor.person_id is None:
        return []
    return _invoice_rows(
        Invoice.objects.filter(payer_id=actor.person_id, status=InvoiceStatus.UNPAID).order_by("-issued_on", "-id")[
            :MY_FEES_LIMIT
        ]
    )


def finance_provider_id(actor: Actor) -> int:
    """The provider whose invoices the acting administrator may see; anyone else is refused."""
    from vardnav.billing.payments import require_finance

    staff = acting_staff(actor)
    if staff is None:
        raise NotFound()
    require_finance(actor, staff.provider_id)
    return staff.provider_id


def finance_invoices(
    actor: Actor, *, status: str = "", query: str = "", limit: int = FINANCE_LIST_LIMIT
) -> list[InvoiceRow]:
    """Part 8: the provider's invoices by status, or the one(s) with an invoice or OCR number."""
    provider_id = finance_provider_id(actor)
    invoices = Invoice.objects.filter(provider_id=provider_id)
    if status in InvoiceStatus.values:
        invoices = invoices.filter(status=status)
    query = "".join(query.split())
    if query:
        invoices = invoices.filter(Q(number__iexact=query) | Q(ocr=query))
    return _invoice_rows(invoices.order_by("-issued_on", "-id")[:limit])


def access_finance_invoice(actor: Actor, invoice_id: int) -> Invoice:
    provider_id = finance_provider_id(actor)
    invoice = Invoice.objects.filter(pk=invoice_id, provider_id=provider_id).first()
    if invoice is None:
        raise NotFound()
    return invoice


def invoice_payments(invoice: Invoice) -> list[Payment]:
    return list(Payment.objects.filter(invoice=invoice).order_by("received_at", "id"))


def invoice_swish_payments(invoice: Invoice) -> list[SwishPayment]:
    return list(SwishPayment.objects.filter(invoice=invoice).prefetch_related("refunds").order_by("created_at", "id"))


@dataclass(frozen=True)
class IncomingRow:
    id: int
    payment_date: dt.date
    ocr: str
    amount_ore: int
    surplus_ore: int
    result: str
    result_label: str
    invoice_number: str
    handled: bool
    handled_note: str
    assignable: bool = False


def finance_incoming_payments(
    actor: Actor, *, handled: bool = False, limit: int = FINANCE_LIST_LIMIT
) -> list[IncomingRow]:
    """Part 8: the provider's partial, over- and unmatched payments from Bankgirot, oldest first."""
    provider_id = finance_provider_id(actor)
    rows = (
        IncomingPayment.objects.filter(bgmax_import__provider_id=provider_id, handled_at__isnull=not handled)
        .exclude(result=MatchResult.MATCHED)
        .order_by("payment_date", "id")
        .values(
            "id",
            "payment_date",
            "ocr",
            "amount_ore",
            "surplus_ore",
            "result",
            "invoice__number",
            "handled_note",
            "payment_id",
        )[:limit]
    )
    return [
        IncomingRow(
            id=row["id"],
            payment_date=row["payment_date"],
            ocr=row["ocr"],
            amount_ore=row["amount_ore"],
            surplus_ore=row["surplus_ore"],
            result=row["result"],
            result_label=str(MatchResult(row["result"]).label),
            invoice_number=row["invoice__number"] or "",
            handled=handled,
            handled_note=row["handled_note"],
            assignable=not handled and _assignable(row),
        )
        for row in rows
    ]


def _assignable(row: Mapping[str, Any]) -> bool:
    """As payments.assignable_ore, on a row of values (an unhandled payment)."""
    if row["amount_ore"] <= 0:
        return False
    if row["payment_id"] is None and row["result"] != MatchResult.OVER:
        return True
    return bool(row["surplus_ore"] > 0)


def access_incoming_payment(actor: Actor, incoming_id: int) -> IncomingPayment:
    provider_id = finance_provider_id(actor)
    incoming = (
        IncomingPayment.objects.select_related("bgmax_import")
        .filter(pk=incoming_id, bgmax_import__provider_id=provider_id)
        .first()
    )
    if incoming is None:
        raise NotFound()
    return incoming


def access_desk_invoice(actor: Actor, query: str) -> Invoice:
    """The desk finds an unpaid invoice of its provider by invoice or OCR number (BOOK-5)."""
    from vardnav.billing.errors import BillingError
    from vardnav.billing.payments import desk_unit

    unit = desk_unit(actor)
    query = "".join(str(query or "").split())
    if not query:
        raise BillingError.INVOICE_SEARCH_EMPTY.error(field="query")
    invoice = (
        Invoice.objects.filter(provider_id=unit.provider_id).filter(Q(number__iexact=query) | Q(ocr=query)).first()
    )
    if invoice is None:
        raise BillingError.PAYMENT_INVOICE_NOT_FOUND.error(field="query")
    return invoice


def access_desk_payment(actor: Actor, payment_id: int) -> Payment:
    from vardnav.billing.payments import desk_unit

    unit = desk_unit(actor)
    payment = Payment.objects.select_related("invoice", "unit").filter(pk=payment_id, unit=unit).first()
    if payment is None:
        raise NotFound()
    return payment


def finance_ceiling_status(actor: Actor, personal_number: str) -> tuple[Person, CeilingStatus]:
    """Part 8: a resident's cost-ceiling status for the provider's administrator — an audited read,
    once per viewing. Only a person the provider has invoiced or charged can be looked up."""
    from vardnav.audit.actions import do_record
    from vardnav.audit.events import AuditEvent
    from vardnav.billing.efrikort import efrikort
    from vardnav.billing.errors import BillingError
    from vardnav.people.access import get_person_by_personal_number

    provider_id = finance_provider_id(actor)
    try:
        person = get_person_by_personal_number(str(personal_number or "").strip())
    except DomainError:
        # A malformed number names no resident: the same answer as an unknown one (the page's form says
        # which it is before it gets here; the API's contract keeps 422 for what the schema can state).
        person = None
    known = person is not None and (
        Invoice.objects.filter(provider_id=provider_id).filter(Q(payer=person) | Q(patient=person)).exists()
        or CaseFee.objects.filter(case__provider_id=provider_id, case__subject_id=person.pk).exists()
    )
    if person is None or not known:
        raise BillingError.CEILING_PERSON_NOT_FOUND.error(field="personal_number")
    status = efrikort().status(person, person, clock.today())
    do_record(actor, AuditEvent.CEILING_STATUS_READ, person, subject_person_id=person.pk)
    return person, status


def invoices_csv_rows(actor: Actor, *, status: str = "") -> list[InvoiceRow]:
    """The CSV export: the same rows as the list (no health data: numbers, amounts, dates, status)."""
    return finance_invoices(actor, status=status, limit=10_000)


def incoming_csv_rows(actor: Actor, *, handled: bool = False) -> list[IncomingRow]:
    return finance_incoming_payments(actor, handled=handled, limit=10_000)


LETTER_BATCH_LIMIT = 200


def queued_letters(actor: Actor, *, limit: int = LETTER_BATCH_LIMIT) -> list[Letter]:
    """The provider's letters waiting to be posted, oldest first (the finance staff's letter queue).
    One query; the rows carry the invoice number, no health data."""
    provider_id = finance_provider_id(actor)
    return list(
        Letter.objects.filter(invoice__provider_id=provider_id, posted_at__isnull=True)
        .select_related("invoice")
        .order_by("created_at", "id")[:limit]
    )


def access_queued_letters(actor: Actor, letter_ids: list[int]) -> list[Letter]:
    """The named letters of the provider still waiting to be posted (others are not the actor's)."""
    provider_id = finance_provider_id(actor)
    return list(
        Letter.objects.filter(pk__in=letter_ids, invoice__provider_id=provider_id, posted_at__isnull=True)
        .select_related("invoice")
        .order_by("created_at", "id")
    )


def access_assignable_invoice(actor: Actor, query: str) -> Invoice:
    """An unpaid invoice of the administrator's provider, found by invoice or OCR number (to put an
    incoming payment on). Anything else, another provider's included, is one answer: not found."""
    from vardnav.billing.errors import BillingError

    provider_id = finance_provider_id(actor)
    query = "".join(str(query or "").split())
    if not query:
        raise BillingError.INVOICE_SEARCH_EMPTY.error(field="query")
    invoice = (
        Invoice.objects.filter(provider_id=provider_id, status=InvoiceStatus.UNPAID)
        .filter(Q(number__iexact=query) | Q(ocr=query))
        .first()
    )
    if invoice is None or invoice.due_ore <= 0:
        raise BillingError.ASSIGN_INVOICE_NOT_FOUND.error(field="query")
    return invoice


@dataclass(frozen=True)
class SurplusRow:
    id: int
    payment_date: dt.date
    ocr: str
    surplus_ore: int
    invoice_number: str


def surplus_refund_rows(actor: Actor, *, limit: int = FINANCE_LIST_LIMIT) -> list[SurplusRow]:
    """Incoming payments whose surplus is owed back and not yet paid back (one query)."""
    provider_id = finance_provider_id(actor)
    rows = (
        IncomingPayment.objects.filter(
            bgmax_import__provider_id=provider_id, surplus_ore__gt=0, surplus_refunded_at__isnull=True
        )
        .order_by("payment_date", "id")
        .values("id", "payment_date", "ocr", "surplus_ore", "invoice__number")[:limit]
    )
    return [
        SurplusRow(
            id=row["id"],
            payment_date=row["payment_date"],
            ocr=row["ocr"],
            surplus_ore=row["surplus_ore"],
            invoice_number=row["invoice__number"] or "",
        )
        for row in rows
    ]


def access_desk_invoice_by_id(actor: Actor, invoice_id: int) -> Invoice:
    """An invoice of the desk's provider (BOOK-5); another provider's is not found."""
    from vardnav.billing.payments import desk_unit

    unit = desk_unit(actor)
    invoice = Invoice.objects.filter(pk=invoice_id, provider_id=unit.provider_id).first()
    if invoice is None:
        raise NotFound()
    return invoice


def access_desk_swish_payment(actor: Actor, swish_id: int) -> SwishPayment:
    """A Swish request started at this desk (the unit the staff member works at now)."""
    from vardnav.billing.payments import desk_unit

    unit = desk_unit(actor)
    payment = SwishPayment.objects.select_related("invoice").filter(pk=swish_id, desk_unit=unit).first()
    if payment is None:
        raise NotFound()
    return payment
