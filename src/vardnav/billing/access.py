"""Fetching fees for an actor: the provider's schedule for its staff, a resident's case fees.

The schedule is not secret (a provider publishes its fees), but the pages show a
staff member their own provider's only. A case's fee is reached through the
case, so only those who may see the case see what it costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery

from vardnav.billing.efrikort import CeilingStatus
from vardnav.billing.models import (
    BillingPolicy,
    CaseFee,
    CeilingCharge,
    CreditNote,
    Dunning,
    Fee,
    FreeCard,
    FreeCardStatus,
    Invoice,
    InvoiceStage,
    InvoiceStatus,
    ServiceCharge,
)
from vardnav.cases.access import resident_case_scope
from vardnav.cases.models import Case
from vardnav.catalog.models import Service
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import NotFound
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
    latest = CaseFee.objects.filter(case_id=OuterRef("pk")).order_by("-created_at", "-id").values("pk")[:1]
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
    return list(CareProvider.objects.order_by("name", "pk"))


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
    )


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
