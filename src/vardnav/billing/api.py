"""Fees in /api/v1: the expected fee before sending, my cases' fees, the provider's schedule
(staff; provider admins add fees and set how e-services are charged) and a case's fee,
which follows the profession (FEE-1, FEE-2). Amounts are integer öre."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from django.http import HttpResponse
from ninja import Field, Router, Schema
from ninja.params.functions import Header, Path, Query
from ninja.responses import Status

from vardnav.billing import access, actions, fees
from vardnav.billing.models import BillingPolicy, CaseFee, Fee, FreeCard
from vardnav.cases.access import (
    access_case_for_resident,
    access_case_for_staff,
    access_case_to_handle,
    access_submission_offer,
)
from vardnav.cases.actions import check_resident_subject
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.http import ApiRequest, pdf_download
from vardnav.core.idempotency import Outcome, check_idempotency_key, run_idempotent
from vardnav.identity.api_auth import resident_auth, staff_auth

router = Router(tags=["billing"])
MAX_ID = 2**63 - 1
# The schema's choices (the fuzzer sends only these); a test keeps them equal to the model's.
ProfessionCode = Literal[
    "doctor", "nurse", "psychologist", "physiotherapist", "midwife", "sexologist", "assistant_nurse", "administrative"
]
ContactKindCode = Literal["digital", "physical", "video", "vaccination", "certificate"]


class QuoteOut(Schema):
    charged: bool = Field(description="Whether the e-service carries a fee at all")
    profession: str
    contact_kind: str
    schedule_amount_ore: int
    amount_ore: int
    exemption: str = Field(description="'', aged_85, child, not_charged or no_fee_for_profession")
    inside_ceiling: bool


class CaseFeeOut(Schema):
    case_id: int
    case_number: str
    profession: str
    contact_kind: str
    schedule_amount_ore: int
    amount_ore: int
    exemption: str
    inside_ceiling: bool
    reason: str
    created_at: dt.datetime


class CaseFeeHistoryOut(Schema):
    current: CaseFeeOut | None
    history: list[CaseFeeOut]


class FeeOut(Schema):
    id: int
    profession: str
    contact_kind: str
    amount_ore: int
    inside_ceiling: bool
    valid_from: dt.date
    valid_until: dt.date | None


class FeeIn(Schema):
    profession: ProfessionCode
    contact_kind: ContactKindCode
    amount_ore: int = Field(ge=0, le=10_000_000)
    inside_ceiling: bool = True
    valid_from: dt.date = Field(description="Today or later")
    valid_until: dt.date | None = Field(None, description="Last day (inclusive); leave out for until further notice")


class ServiceChargeIn(Schema):
    profession: ProfessionCode | None = Field(None, description="Leave out for a service without a fee")
    contact_kind: ContactKindCode | None = None


class ServiceChargeOut(Schema):
    service_id: int
    service: str
    profession: str | None
    contact_kind: str | None


class PolicyIn(Schema):
    child_free_under_age: int = Field(ge=0, le=25)
    uses_efrikort: bool | None = Field(None, description="FEE-3: the provider's region uses e-frikort (HKS)")
    return_window_days: int | None = Field(None, ge=0, le=30, description="VISIT-4: free return, from today")


class PolicyOut(Schema):
    child_free_under_age: int
    uses_efrikort: bool
    return_window_days: int


class ProfessionIn(Schema):
    profession: ProfessionCode


def _once(
    actor: Actor, idempotency_key: str | None, operation: str, fingerprint: Any, perform: Callable[[], Outcome]
) -> Status[Any]:
    """A creating operation done once per Idempotency-Key (a retry replays the first answer)."""
    result = run_idempotent(actor, check_idempotency_key(idempotency_key), operation, fingerprint, perform)
    return Status(result.status, result.body)


def _quote(quote: fees.Quote) -> dict[str, Any]:
    return {
        "charged": quote.charged,
        "profession": quote.profession,
        "contact_kind": quote.contact_kind,
        "schedule_amount_ore": quote.schedule_amount_ore,
        "amount_ore": quote.amount_ore,
        "exemption": quote.exemption,
        "inside_ceiling": quote.inside_ceiling,
    }


def _case_fee(case_fee: CaseFee, number: str) -> dict[str, Any]:
    return {
        "case_id": case_fee.case_id,
        "case_number": number,
        "profession": case_fee.profession,
        "contact_kind": case_fee.contact_kind,
        "schedule_amount_ore": case_fee.schedule_amount_ore,
        "amount_ore": case_fee.amount_ore,
        "exemption": case_fee.exemption,
        "inside_ceiling": case_fee.inside_ceiling,
        "reason": case_fee.reason,
        "created_at": case_fee.created_at,
    }


def _history(case_id: int, number: str) -> dict[str, Any]:
    history = [_case_fee(each, number) for each in access.case_fee_history(case_id)]
    return {"current": history[-1] if history else None, "history": history}


def _fee(fee: Fee) -> dict[str, Any]:
    return {
        "id": fee.pk,
        "profession": fee.profession,
        "contact_kind": fee.contact_kind,
        "amount_ore": fee.amount_ore,
        "inside_ceiling": fee.inside_ceiling,
        "valid_from": fee.valid_from,
        "valid_until": fee.valid_until,
    }


# --- residents ----------------------------------------------------------------------------------


@router.get("/me/fees/quote", response=QuoteOut, auth=resident_auth, summary="The expected fee before sending a case")
def my_quote(
    request: ApiRequest,
    service_id: int = Query(..., ge=1, le=MAX_ID),
    unit_id: int | None = Query(None, ge=1, le=MAX_ID),
) -> dict[str, Any]:
    routed = access_submission_offer(request.auth, service_id=service_id, unit_id=unit_id)
    subject = check_resident_subject(request.auth)
    return _quote(fees.quote(subject, routed.offer.service, clock.today()))


@router.get("/me/fees", response=list[CaseFeeOut], auth=resident_auth, summary="Mina avgifter: each case's fee")
def my_fees(request: ApiRequest) -> list[dict[str, Any]]:
    return [_case_fee(case_fee, case.number) for case, case_fee in access.resident_case_fees(request.auth)]


@router.get(
    "/me/cases/{case_id}/fee", response=CaseFeeHistoryOut, auth=resident_auth, summary="My case's fee and its changes"
)
def my_case_fee(request: ApiRequest, case_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    case = access_case_for_resident(request.auth, case_id)
    return _history(case.pk, case.number)


# --- staff ---------------------------------------------------------------------------------------


@router.get("/staff/fees", response=list[FeeOut], auth=staff_auth, summary="The provider's fee schedule")
def staff_fees(request: ApiRequest) -> list[dict[str, Any]]:
    return [_fee(fee) for fee in access.fee_schedule(access.staff_provider_id(request.auth))]


@router.post("/staff/fees", response={201: FeeOut}, auth=staff_auth, summary="Add a fee (provider admins)")
def add_fee(
    request: ApiRequest, payload: FeeIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
) -> Status[dict[str, Any]]:
    actor = request.auth
    provider_id = access.staff_provider_id(actor)
    new = actions.NewFee(
        profession=payload.profession,
        contact_kind=payload.contact_kind,
        amount=payload.amount_ore,
        inside_ceiling=payload.inside_ceiling,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )

    def perform() -> tuple[int, dict[str, Any]]:
        fee = actions.do_add_fee(actor, provider_id, new)
        return 201, {
            **_fee(fee),
            "valid_from": fee.valid_from.isoformat(),
            "valid_until": fee.valid_until.isoformat() if fee.valid_until else None,
        }

    return _once(actor, idempotency_key, "billing.add_fee", payload.dict(), perform)


@router.get(
    "/staff/fees/services", response=list[ServiceChargeOut], auth=staff_auth, summary="How each e-service is charged"
)
def staff_service_charges(request: ApiRequest) -> list[dict[str, Any]]:
    return [
        {
            "service_id": row.service.pk,
            "service": row.service.name,
            "profession": row.charge.profession if row.charge else None,
            "contact_kind": row.charge.contact_kind if row.charge else None,
        }
        for row in access.service_charges(access.staff_provider_id(request.auth))
    ]


@router.put(
    "/staff/fees/services/{service_id}",
    response=ServiceChargeOut,
    auth=staff_auth,
    summary="Set how an e-service is charged (provider admins)",
)
def set_service_charge(
    request: ApiRequest, payload: ServiceChargeIn, service_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    provider_id = access.staff_provider_id(request.auth)
    service = access.access_provider_service(provider_id, service_id)
    actions.do_set_service_charge(
        request.auth, service, profession=payload.profession, contact_kind=payload.contact_kind or ""
    )
    return {
        "service_id": service.pk,
        "service": service.name,
        "profession": payload.profession,
        "contact_kind": payload.contact_kind if payload.profession else None,
    }


@router.get("/staff/fees/policy", response=PolicyOut, auth=staff_auth, summary="The provider's fee policy")
def staff_policy(request: ApiRequest) -> dict[str, Any]:
    return _policy(access.billing_policy(access.staff_provider_id(request.auth)))


def _policy(policy: BillingPolicy) -> dict[str, Any]:
    return {
        "child_free_under_age": policy.child_free_under_age,
        "uses_efrikort": policy.uses_efrikort,
        "return_window_days": fees.return_window_days(policy.provider_id, clock.today()),
    }


@router.put("/staff/fees/policy", response=PolicyOut, auth=staff_auth, summary="Set the fee policy (provider admins)")
def set_staff_policy(request: ApiRequest, payload: PolicyIn) -> dict[str, Any]:
    policy = actions.do_set_billing_policy(
        request.auth,
        access.staff_provider_id(request.auth),
        child_free_under_age=payload.child_free_under_age,
        uses_efrikort=payload.uses_efrikort,
        return_window_days=payload.return_window_days,
    )
    return _policy(policy)


@router.get(
    "/staff/cases/{case_id}/fee", response=CaseFeeHistoryOut, auth=staff_auth, summary="A case's fee (audited read)"
)
def staff_case_fee(request: ApiRequest, case_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    case = access_case_for_staff(request.auth, case_id, purpose="avgift")
    return _history(case.pk, case.number)


@router.post(
    "/staff/cases/{case_id}/fee/profession",
    response={201: CaseFeeOut},
    auth=staff_auth,
    summary="Move the case to another profession; the fee follows (FEE-2)",
)
def change_profession(
    request: ApiRequest,
    payload: ProfessionIn,
    case_id: int = Path(..., ge=1, le=MAX_ID),
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    actor = request.auth
    case = access_case_to_handle(actor, case_id)

    def perform() -> tuple[int, dict[str, Any]]:
        after = actions.do_change_case_profession(actor, case, profession=payload.profession)
        body = _case_fee(after, case.number)
        return 201, {**body, "created_at": after.created_at.isoformat()}

    return _once(actor, idempotency_key, "billing.case_profession", {"case": case.pk, **payload.dict()}, perform)


# --- the cost ceiling and frikort (FEE-3) --------------------------------------------------------


class CeilingChargeOut(Schema):
    day: dt.date
    fee_ore: int
    charged_ore: int


class FreeCardOut(Schema):
    id: int
    provider_id: int
    card_number: str
    issuer: str
    valid_from: dt.date
    valid_until: dt.date
    status: str


class CeilingOut(Schema):
    ceiling_ore: int
    paid_ore: int
    remaining_ore: int
    period_starts_on: dt.date | None
    period_ends_on: dt.date | None
    has_free_card: bool
    card_number: str
    scope: str = Field(description="own, or children (shared by a guardian's children under 18)")
    charges: list[CeilingChargeOut]
    free_cards: list[FreeCardOut]


class FreeCardIn(Schema):
    provider_id: int = Field(ge=1, le=MAX_ID)
    card_number: str = Field(min_length=4, max_length=20, pattern=r"^[A-Za-z0-9-]+$")
    issuer: str = Field(min_length=2, max_length=100)
    valid_from: dt.date
    valid_until: dt.date


class StaffFreeCardOut(FreeCardOut):
    person_id: int
    personal_number: str


class DecisionIn(Schema):
    decision: Literal["confirm", "reject"]


def _card(card: FreeCard) -> dict[str, Any]:
    return {
        "id": card.pk,
        "provider_id": card.provider_id,
        "card_number": card.card_number,
        "issuer": card.issuer,
        "valid_from": card.valid_from,
        "valid_until": card.valid_until,
        "status": card.status,
    }


@router.get("/me/cost-ceiling", response=CeilingOut, auth=resident_auth, summary="Högkostnadsskydd and frikort")
def my_ceiling(request: ApiRequest) -> dict[str, Any]:
    view = access.resident_ceiling(request.auth)
    status = view.status
    return {
        "ceiling_ore": status.ceiling_ore,
        "paid_ore": status.paid_ore,
        "remaining_ore": status.remaining_ore,
        "period_starts_on": status.period_starts_on,
        "period_ends_on": status.period_ends_on,
        "has_free_card": status.has_free_card,
        "card_number": status.card_number,
        "scope": status.scope,
        "charges": [{"day": c.day, "fee_ore": c.fee_ore, "charged_ore": c.charged_ore} for c in view.charges],
        "free_cards": [_card(card) for card in view.cards],
    }


@router.post(
    "/me/free-cards", response={201: FreeCardOut}, auth=resident_auth, summary="Enter a frikort by hand (staff confirm)"
)
def enter_free_card(
    request: ApiRequest, payload: FreeCardIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
) -> Status[dict[str, Any]]:
    actor = request.auth
    new = actions.NewFreeCard(
        provider_id=payload.provider_id,
        card_number=payload.card_number,
        issuer=payload.issuer,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )

    def perform() -> tuple[int, dict[str, Any]]:
        card = _card(actions.do_enter_free_card(actor, new))
        return 201, {**card, "valid_from": new.valid_from.isoformat(), "valid_until": new.valid_until.isoformat()}

    return _once(actor, idempotency_key, "billing.free_card", payload.dict(), perform)


@router.get(
    "/staff/free-cards", response=list[StaffFreeCardOut], auth=staff_auth, summary="Hand-entered frikort to check"
)
def staff_free_cards(request: ApiRequest) -> list[dict[str, Any]]:
    return [
        {**_card(card), "person_id": card.person_id, "personal_number": card.person.personal_number}
        for card in access.free_card_queue(request.auth)
    ]


@router.post(
    "/staff/free-cards/{card_id}/decision",
    response=FreeCardOut,
    auth=staff_auth,
    summary="Confirm or reject a hand-entered frikort (provider admins)",
)
def decide_free_card(
    request: ApiRequest, payload: DecisionIn, card_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    card = access.access_free_card_for_staff(request.auth, card_id)
    return _card(actions.do_decide_free_card(request.auth, card, confirm=payload.decision == "confirm"))


# --- invoices (FEE-4, FEE-7, FEE-8) ------------------------------------------------------------------


class InvoiceOut(Schema):
    id: int
    number: str
    case_number: str
    ocr: str
    bankgiro: str
    issued_on: dt.date
    due_on: dt.date
    amount_ore: int = Field(description="The patient fee")
    reminder_fee_ore: int
    paid_ore: int
    due_ore: int = Field(description="What is left to pay; 0 when paid or credited")
    status: str = Field(description="unpaid, paid or credited")
    stage: str = Field(description="issued, reminded or collection")
    delivery: str = Field(description="email, letter, forwarded_letter or app")
    credit_note_number: str | None = None


class InvoiceListOut(Schema):
    id: int
    number: str
    case_number: str
    issued_on: dt.date
    due_on: dt.date
    total_ore: int
    status: str


class CreditIn(Schema):
    reason: str = Field(description="Why the invoice is credited (no health data: it is printed)")


class CreditNoteOut(Schema):
    id: int
    number: str
    invoice_id: int
    amount_ore: int


def _invoice(document: access.InvoiceDocument) -> dict[str, Any]:
    from django.conf import settings

    invoice = document.invoice
    return {
        "id": invoice.pk,
        "number": invoice.number,
        "case_number": document.case_number,
        "ocr": invoice.ocr,
        "bankgiro": settings.VARDNAV_BANKGIRO,
        "issued_on": invoice.issued_on,
        "due_on": invoice.due_on,
        "amount_ore": invoice.amount_ore,
        "reminder_fee_ore": invoice.reminder_fee_ore,
        "paid_ore": invoice.paid_ore,
        "due_ore": invoice.due_ore,
        "status": invoice.status,
        "stage": invoice.stage,
        "delivery": invoice.delivery,
        "credit_note_number": document.credit_note.number if document.credit_note else None,
    }


@router.get("/me/invoices", response=list[InvoiceListOut], auth=resident_auth, summary="Mina fakturor")
def my_invoices(request: ApiRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": row["pk"],
            "number": row["number"],
            "case_number": row["case__number"],
            "issued_on": row["issued_on"],
            "due_on": row["due_on"],
            "total_ore": int(row["amount_ore"]) + int(row["reminder_fee_ore"]),
            "status": row["status"],
        }
        for row in access.resident_invoice_rows(request.auth)
    ]


@router.get("/me/invoices/{invoice_id}", response=InvoiceOut, auth=resident_auth, summary="One of my invoices")
def my_invoice(request: ApiRequest, invoice_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return _invoice(access.access_invoice_for_resident(request.auth, invoice_id))


@router.get(
    "/me/invoices/{invoice_id}/pdf",
    auth=resident_auth,
    summary="One of my invoices as a PDF (the receipt)",
    response={200: None},
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}, "description": "The PDF"}}},
)
def my_invoice_pdf(
    request: ApiRequest,
    invoice_id: int = Path(..., ge=1, le=MAX_ID),
    personal_number: bool = Query(False, description="Print my personal number on it (FEE-7)"),
) -> HttpResponse:
    from vardnav.billing.pdf import render_invoice_document

    document = access.access_invoice_for_resident(request.auth, invoice_id)
    response = HttpResponse(
        render_invoice_document(document, with_personal_number=personal_number), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="faktura-{document.invoice.number}.pdf"'
    return response


@router.get("/staff/cases/{case_id}/invoice", response=InvoiceOut, auth=staff_auth, summary="A case's invoice (staff)")
def staff_case_invoice(request: ApiRequest, case_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    from vardnav.billing.errors import BillingError
    from vardnav.core.errors import NotFound

    case = access_case_for_staff(request.auth, case_id, purpose="faktura")
    invoice = access.case_invoice(case.pk)
    if invoice is None:
        raise NotFound(BillingError.INVOICE_NOT_FOUND)
    return _invoice(access.invoice_document(invoice))


@router.post(
    "/staff/invoices/{invoice_id}/credit",
    response={201: CreditNoteOut},
    auth=staff_auth,
    summary="Credit a wrong invoice with a credit note (provider admins)",
)
def credit_invoice(
    request: ApiRequest,
    payload: CreditIn,
    invoice_id: int = Path(..., ge=1, le=MAX_ID),
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    from vardnav.billing.invoicing import do_credit_invoice

    actor = request.auth
    invoice = access.access_invoice_for_staff(actor, invoice_id)

    def perform() -> tuple[int, dict[str, Any]]:
        note = do_credit_invoice(actor, invoice.pk, reason=payload.reason)
        return 201, {"id": note.pk, "number": note.number, "invoice_id": invoice.pk, "amount_ore": note.amount_ore}

    return _once(actor, idempotency_key, "billing.credit_invoice", {"invoice": invoice.pk, **payload.dict()}, perform)


# --- payments (FEE-6, BOOK-5) and the finance views (part 8) -------------------------------------------


class SwishPaymentOut(Schema):
    id: int
    invoice_id: int
    status: str = Field(
        description="CREATED (waiting for the payer in the Swish app), PAID, DECLINED, ERROR, CANCELLED"
    )
    amount_ore: int
    created_at: dt.datetime
    settled_at: dt.datetime | None


class FinanceInvoiceOut(Schema):
    id: int
    number: str
    ocr: str
    status: str
    stage: str
    issued_on: dt.date
    due_on: dt.date
    amount_ore: int
    total_ore: int
    paid_ore: int
    due_ore: int


class IncomingPaymentOut(Schema):
    id: int
    payment_date: dt.date
    ocr: str
    amount_ore: int = Field(description="Negative for a deduction")
    surplus_ore: int
    result: str = Field(description="partial, over or unmatched")
    invoice_number: str
    handled: bool
    handled_note: str


class IncomingHandledIn(Schema):
    note: str = Field(min_length=1, max_length=300, description="What was done, e.g. refunded to the payer")


class BgMaxIn(Schema):
    content: str = Field(
        min_length=1, max_length=10_000_000, description="The BgMax file's text (ISO-8859-1 characters)"
    )


class BgMaxImportOut(Schema):
    id: int
    payments: int
    matched: int
    partial: int
    over: int
    unmatched: int


class CeilingLookupIn(Schema):
    personal_number: str = Field(min_length=1, max_length=13)


class CeilingLookupOut(Schema):
    ceiling_ore: int
    paid_ore: int
    remaining_ore: int
    period_starts_on: dt.date | None
    period_ends_on: dt.date | None
    has_free_card: bool
    card_number: str


class DeskPaymentIn(Schema):
    invoice: str = Field(min_length=1, max_length=30, description="Invoice or OCR number")
    method: Literal["desk_card", "desk_swish"] = Field(description="Card or Swish; never cash (BOOK-5)")


class DeskPaymentOut(Schema):
    id: int
    invoice_number: str
    method: str
    amount_ore: int
    receipt_number: str
    received_at: dt.datetime


class SwishRefundIn(Schema):
    amount_ore: int = Field(ge=1, le=10_000_000)


class SwishRefundOut(Schema):
    id: int
    swish_payment_id: int
    amount_ore: int
    status: str


def _swish_payment(payment: Any) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "invoice_id": payment.invoice_id,
        "status": payment.status,
        "amount_ore": payment.amount_ore,
        "created_at": payment.created_at,
        "settled_at": payment.settled_at,
    }


@router.post(
    "/me/invoices/{invoice_id}/swish",
    response={201: SwishPaymentOut},
    auth=resident_auth,
    summary="Pay my invoice with Swish (a payment request for what is due; open the Swish app to approve)",
)
def start_swish_payment(request: ApiRequest, invoice_id: int = Path(..., ge=1, le=MAX_ID)) -> Status[dict[str, Any]]:
    from vardnav.billing import payments

    invoice = access.access_my_invoice(request.auth, invoice_id)
    return Status(201, _swish_payment(payments.do_start_swish_payment(request.auth, invoice)))


@router.get(
    "/me/invoices/{invoice_id}/swish/{payment_id}",
    response=SwishPaymentOut,
    auth=resident_auth,
    summary="The status of my Swish payment (asks Swish while it waits)",
)
def swish_payment_status(
    request: ApiRequest,
    invoice_id: int = Path(..., ge=1, le=MAX_ID),
    payment_id: int = Path(..., ge=1, le=MAX_ID),
) -> dict[str, Any]:
    from vardnav.billing import payments

    invoice = access.access_my_invoice(request.auth, invoice_id)
    payment = access.access_my_swish_payment(request.auth, invoice, payment_id)
    return _swish_payment(payments.do_refresh_swish_payment(request.auth, payment))


@router.get(
    "/staff/invoices",
    response=list[FinanceInvoiceOut],
    auth=staff_auth,
    summary="The provider's invoices by status, or by invoice or OCR number (provider admins)",
)
def finance_invoices(
    request: ApiRequest,
    status: Literal["unpaid", "paid", "credited"] | None = Query(None),
    q: str = Query("", max_length=30),
) -> list[dict[str, Any]]:
    return [vars(row) for row in access.finance_invoices(request.auth, status=status or "", query=q)]


@router.get(
    "/staff/incoming-payments",
    response=list[IncomingPaymentOut],
    auth=staff_auth,
    summary="Partial, over- and unmatched payments from Bankgirot (provider admins)",
)
def incoming_payments(request: ApiRequest, handled: bool = Query(False)) -> list[dict[str, Any]]:
    return [vars(row) for row in access.finance_incoming_payments(request.auth, handled=handled)]


@router.post(
    "/staff/incoming-payments/{incoming_id}/handled",
    response=IncomingPaymentOut,
    auth=staff_auth,
    summary="Mark a payment from the list as handled, saying what was done",
)
def incoming_payment_handled(
    request: ApiRequest, payload: IncomingHandledIn, incoming_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    from vardnav.billing import payments

    incoming = access.access_incoming_payment(request.auth, incoming_id)
    return _incoming(payments.do_handle_incoming_payment(request.auth, incoming, note=payload.note))


@router.post(
    "/staff/bgmax",
    response={201: BgMaxImportOut},
    auth=staff_auth,
    summary="Read a BgMax file from Bankgirot: book payments by OCR; a malformed file is refused whole",
)
def import_bgmax(request: ApiRequest, payload: BgMaxIn) -> Status[dict[str, Any]]:
    from vardnav.billing import payments

    provider_id = access.finance_provider_id(request.auth)
    try:
        data = payload.content.encode("iso-8859-1")
    except UnicodeEncodeError:
        data = payload.content.encode("utf-8")  # read as ISO-8859-1 by the parser, as the bank's file is
    summary = payments.do_import_bgmax(request.auth, provider_id, data)
    return Status(
        201,
        {
            "id": summary.bgmax_import.pk,
            "payments": summary.bgmax_import.payment_count,
            "matched": summary.matched,
            "partial": summary.partial,
            "over": summary.over,
            "unmatched": summary.unmatched,
        },
    )


@router.post(
    "/staff/ceiling-status",
    response=CeilingLookupOut,
    auth=staff_auth,
    summary="A resident's cost-ceiling status (provider admins; audited read)",
)
def ceiling_status(request: ApiRequest, payload: CeilingLookupIn) -> dict[str, Any]:
    _person, status = access.finance_ceiling_status(request.auth, payload.personal_number)
    return {
        "ceiling_ore": status.ceiling_ore,
        "paid_ore": status.paid_ore,
        "remaining_ore": status.remaining_ore,
        "period_starts_on": status.period_starts_on,
        "period_ends_on": status.period_ends_on,
        "has_free_card": status.has_free_card,
        "card_number": status.card_number,
    }


@router.post(
    "/staff/desk-payments",
    response={201: DeskPaymentOut},
    auth=staff_auth,
    summary="Register a card or Swish payment at the desk of a physical unit (BOOK-5)",
)
def desk_payment(request: ApiRequest, payload: DeskPaymentIn) -> Status[dict[str, Any]]:
    from vardnav.billing import payments

    invoice = access.access_desk_invoice(request.auth, payload.invoice)
    payment = payments.do_register_desk_payment(request.auth, invoice, method=payload.method)
    return Status(
        201,
        {
            "id": payment.pk,
            "invoice_number": invoice.number,
            "method": payment.method,
            "amount_ore": payment.amount_ore,
            "receipt_number": payment.receipt_number,
            "received_at": payment.received_at,
        },
    )


@router.post(
    "/staff/swish-payments/{swish_payment_id}/refunds",
    response={201: SwishRefundOut},
    auth=staff_auth,
    summary="Pay back (part of) a Swish payment (provider admins)",
)
def refund_swish_payment(
    request: ApiRequest, payload: SwishRefundIn, swish_payment_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[dict[str, Any]]:
    from vardnav.billing import payments
    from vardnav.billing.models import SwishPayment
    from vardnav.core.errors import NotFound

    provider_id = access.finance_provider_id(request.auth)
    payment = (
        SwishPayment.objects.select_related("invoice")
        .filter(pk=swish_payment_id, invoice__provider_id=provider_id)
        .first()
    )
    if payment is None:
        raise NotFound()
    refund = payments.do_refund_swish_payment(request.auth, payment, amount_ore=payload.amount_ore)
    return Status(
        201,
        {"id": refund.pk, "swish_payment_id": payment.pk, "amount_ore": refund.amount_ore, "status": refund.status},
    )


# --- the payment gaps: assignment, surpluses, the letter queue, Swish from the desk ---------------------


class AssignIn(Schema):
    invoice: str = Field(min_length=1, max_length=30, description="The unpaid invoice's number or OCR number")


class SurplusOut(Schema):
    id: int
    payment_date: dt.date
    ocr: str
    surplus_ore: int = Field(description="Owed back to the payer")
    invoice_number: str


class LetterOut(Schema):
    id: int
    kind: str = Field(description="invoice, reminder, collection or credit_note")
    invoice_number: str
    via_forwarding: bool = Field(description="Addressed to Skatteverket's forwarding address (PRIV-4)")
    created_at: dt.datetime


class LettersPostedIn(Schema):
    letters: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        min_length=1, max_length=500, description="The ids of the letters posted"
    )


class DeskSwishIn(Schema):
    invoice: str = Field(min_length=1, max_length=30, description="Invoice or OCR number")
    phone: str = Field(min_length=1, max_length=30, description="The payer's Swedish mobile number linked to Swish")


class DeskSwishOut(SwishPaymentOut):
    receipt_number: str = Field(description="The desk receipt once paid, else ''")


def _incoming(incoming: Any) -> dict[str, Any]:
    return {
        "id": incoming.pk,
        "payment_date": incoming.payment_date,
        "ocr": incoming.ocr,
        "amount_ore": incoming.amount_ore,
        "surplus_ore": incoming.surplus_ore,
        "result": incoming.result,
        "invoice_number": incoming.invoice.number if incoming.invoice is not None else "",
        "handled": incoming.handled_at is not None,
        "handled_note": incoming.handled_note,
    }


@router.post(
    "/staff/incoming-payments/{incoming_id}/assign",
    response=IncomingPaymentOut,
    auth=staff_auth,
    summary="Book an unmatched payment, or an over-payment's surplus, on an unpaid invoice (provider admins)",
)
def assign_incoming_payment(
    request: ApiRequest, payload: AssignIn, incoming_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    from vardnav.billing import payments

    incoming = access.access_incoming_payment(request.auth, incoming_id)
    invoice = access.access_assignable_invoice(request.auth, payload.invoice)
    return _incoming(payments.do_assign_incoming_payment(request.auth, incoming, invoice))


@router.get(
    "/staff/surplus-refunds",
    response=list[SurplusOut],
    auth=staff_auth,
    summary="Over-payments whose surplus is owed back to the payer (provider admins)",
)
def surplus_refunds(request: ApiRequest) -> list[dict[str, Any]]:
    return [vars(row) for row in access.surplus_refund_rows(request.auth)]


@router.post(
    "/staff/incoming-payments/{incoming_id}/surplus-refunded",
    response=IncomingPaymentOut,
    auth=staff_auth,
    summary="Record that an over-payment's surplus has been paid back (lowers the invoice's paid sum)",
)
def surplus_refunded(request: ApiRequest, incoming_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    from vardnav.billing import payments

    incoming = access.access_incoming_payment(request.auth, incoming_id)
    return _incoming(payments.do_refund_surplus(request.auth, incoming))


def _letter(letter: Any) -> dict[str, Any]:
    return {
        "id": letter.pk,
        "kind": letter.kind,
        "invoice_number": letter.invoice.number,
        "via_forwarding": letter.via_forwarding,
        "created_at": letter.created_at,
    }


@router.get(
    "/staff/letters",
    response=list[LetterOut],
    auth=staff_auth,
    summary="Letters waiting to be printed and posted (provider admins; no health data)",
)
def queued_letters(request: ApiRequest) -> list[dict[str, Any]]:
    return [_letter(letter) for letter in access.queued_letters(request.auth)]


@router.get(
    "/staff/letters/batch",
    auth=staff_auth,
    summary="The queued letters as one PDF to print (audited)",
    response={200: None},
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}, "description": "The letters"}}},
)
def letter_batch(request: ApiRequest) -> HttpResponse:
    from vardnav.billing.letters import do_download_letter_batch

    _letters, printed = do_download_letter_batch(request.auth)
    return pdf_download(printed, f"brev-{clock.today().isoformat()}.pdf")


@router.post(
    "/staff/letters/posted",
    response=list[LetterOut],
    auth=staff_auth,
    summary="Mark printed letters as posted (provider admins)",
)
def letters_posted(request: ApiRequest, payload: LettersPostedIn) -> list[dict[str, Any]]:
    from vardnav.billing.letters import do_mark_letters_posted

    posted = do_mark_letters_posted(request.auth, payload.letters)
    return [_letter(letter) for letter in posted]


def _desk_swish(payment: Any) -> dict[str, Any]:
    from vardnav.billing import payments

    booked = payments.desk_swish_booking(payment) if payment.status == "PAID" else None
    return {**_swish_payment(payment), "receipt_number": booked.receipt_number if booked is not None else ""}


@router.post(
    "/staff/desk-swish-payments",
    response={201: DeskSwishOut},
    auth=staff_auth,
    summary="Send a Swish payment request for what is due to the payer's phone, at the desk (BOOK-5)",
)
def start_desk_swish(request: ApiRequest, payload: DeskSwishIn) -> Status[dict[str, Any]]:
    from vardnav.billing import payments

    invoice = access.access_desk_invoice(request.auth, payload.invoice)
    return Status(201, _desk_swish(payments.do_start_desk_swish_payment(request.auth, invoice, phone=payload.phone)))


@router.get(
    "/staff/desk-swish-payments/{swish_payment_id}",
    response=DeskSwishOut,
    auth=staff_auth,
    summary="The status of a Swish request sent from this desk (asks Swish while it waits)",
)
def desk_swish_status(request: ApiRequest, swish_payment_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    from vardnav.billing import payments

    payment = access.access_desk_swish_payment(request.auth, swish_payment_id)
    return _desk_swish(payments.do_refresh_swish_payment(request.auth, payment))
