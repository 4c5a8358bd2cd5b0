"""Every change to fees: the schedule, which e-services are charged, the provider's policy, and
the fee of each case (FEE-1, FEE-2). Each is audited in its own transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TypeVar

from django.db import transaction
from django.urls import reverse

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.billing import fees
from vardnav.billing.access import current_case_fee
from vardnav.billing.checks import (
    check_amount_ore,
    check_card_number,
    check_card_period,
    check_child_age,
    check_contact_kind,
    check_issuer,
    check_profession,
    check_return_window,
)
from vardnav.billing.errors import BillingError
from vardnav.billing.models import (
    DESK_METHODS,
    BillingPolicy,
    CaseFee,
    Exemption,
    Fee,
    FeeReason,
    FreeCard,
    FreeCardStatus,
    Invoice,
    InvoiceRefund,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    RefundMethod,
    ReturnWindow,
    ServiceCharge,
)
from vardnav.cases.hooks import handling_profession, has_handling_profession
from vardnav.cases.models import Case, CaseStatus, Outcome
from vardnav.cases.notices import resident_recipients
from vardnav.catalog.models import Service
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import PermissionDenied
from vardnav.notifications.actions import notify_resident
from vardnav.notifications.models import NoticeKind
from vardnav.organizations.access import acting_staff, is_platform, is_provider_admin
from vardnav.organizations.models import CareProvider, Profession
from vardnav.people.models import Person


def _require_fee_admin(actor: Actor, provider_id: int) -> None:
    if is_platform(actor) or is_provider_admin(actor, provider_id):
        return
    raise PermissionDenied(BillingError.PROVIDER_ADMIN_REQUIRED)


@dataclass(frozen=True)
class NewFee:
    profession: str
    contact_kind: str
    amount: object  # "100", "87,50" or öre as int (API)
    inside_ceiling: bool
    valid_from: dt.date
    valid_until: dt.date | None = None


def do_add_fee(actor: Actor, provider_id: int, new: NewFee) -> Fee:
    """A provider admin adds a fee from a day on. An open fee for the same profession and contact
    kind that started earlier ends the day before; any other overlap is refused. Nothing is
    changed in the past: a fee starts today at the earliest. Only the platform may enter a
    schedule that already applies (bringing a provider's current fees in when it connects)."""
    _require_fee_admin(actor, provider_id)
    profession = check_profession(new.profession)
    contact_kind = check_contact_kind(new.contact_kind)
    amount = check_amount_ore(new.amount)
    if new.valid_from < clock.today() and not is_platform(actor):
        raise BillingError.FEE_IN_PAST.error(field="valid_from")
    if new.valid_until is not None and new.valid_until < new.valid_from:
        raise BillingError.FEE_PERIOD_BACKWARDS.error(field="valid_until")
    with transaction.atomic():
        # One admin at a time per provider's schedule: the overlap check below must see every row.
        CareProvider.objects.select_for_update().get(pk=provider_id)
        same = Fee.objects.filter(provider_id=provider_id, profession=profession, contact_kind=contact_kind)
        to_end: list[Fee] = []
        for existing in same.order_by("valid_from"):
            ends = existing.valid_until or dt.date.max
            new_ends = new.valid_until or dt.date.max
            if ends < new.valid_from or existing.valid_from > new_ends:
                continue
            if existing.valid_until is None and new.valid_until is None and existing.valid_from < new.valid_from:
                to_end.append(existing)
                continue
            raise BillingError.FEE_PERIOD_OVERLAPS.error(
                field="valid_from",
                profession=Profession(profession).label,
                contact_kind=existing.get_contact_kind_display(),
                valid_from=existing.valid_from.isoformat(),
            )
        for existing in to_end:
            existing.valid_until = new.valid_from - dt.timedelta(days=1)
            existing.save(update_fields=["valid_until"])
            do_record(actor, AuditEvent.FEE_END, existing, extra={"valid_until": existing.valid_until.isoformat()})
        staff = acting_staff(actor)
        fee = Fee.objects.create(
            provider_id=provider_id,
            profession=profession,
            contact_kind=contact_kind,
            amount_ore=amount,
            inside_ceiling=new.inside_ceiling,
            valid_from=new.valid_from,
            valid_until=new.valid_until,
            created_by=staff,
            created_at=clock.now(),
        )
        do_record(actor, AuditEvent.FEE_CREATE, fee, extra={"amount_ore": amount})
    return fee


def do_set_service_charge(actor: Actor, service: Service, *, profession: str | None, contact_kind: str = "") -> None:
    """How an e-service is charged: by which profession and kind of contact, or not at all (None)."""
    _require_fee_admin(actor, service.provider_id)
    with transaction.atomic():
        if profession is None:
            ServiceCharge.objects.filter(service=service).delete()
            extra: dict[str, str] = {"charged": "no"}
        else:
            values = {"profession": check_profession(profession), "contact_kind": check_contact_kind(contact_kind)}
            ServiceCharge.objects.update_or_create(service=service, defaults=values)
            extra = values
        do_record(actor, AuditEvent.SERVICE_CHARGE_SET, service, extra=extra)


def do_set_billing_policy(
    actor: Actor,
    provider_id: int,
    *,
    child_free_under_age: object,
    uses_efrikort: bool | None = None,
    return_window_days: object = None,
) -> BillingPolicy:
    """The provider's fee rules: the children's age limit, whether its region uses e-frikort (FEE-3), and
    the return window (VISIT-4), which is dated: a new window applies from today, earlier closures keep theirs."""
    _require_fee_admin(actor, provider_id)
    age = check_child_age(child_free_under_age)
    window = None if return_window_days is None else check_return_window(return_window_days)
    today = clock.today()
    with transaction.atomic():
        values: dict[str, object] = {"child_free_under_age": age}
        if uses_efrikort is not None:
            values["uses_efrikort"] = bool(uses_efrikort)
        policy, _ = BillingPolicy.objects.update_or_create(provider_id=provider_id, defaults=values)
        extra: dict[str, object] = {"child_free_under_age": age, "uses_efrikort": policy.uses_efrikort}
        if window is not None and window != fees.return_window_days(provider_id, today):
            ReturnWindow.objects.update_or_create(
                provider_id=provider_id,
                valid_from=today,
                defaults={"days": window, "created_by": acting_staff(actor), "created_at": clock.now()},
            )
            extra["return_window_days"] = window
        do_record(actor, AuditEvent.BILLING_POLICY_SET, policy, extra=extra)
    return policy


def _insert_case_fee(case: Case, quote: fees.Quote, *, reason: str, changed_by_id: int | None) -> CaseFee:
    return CaseFee.objects.create(
        case=case,
        profession=quote.profession,
        contact_kind=quote.contact_kind,
        fee=quote.fee,
        schedule_amount_ore=quote.schedule_amount_ore,
        amount_ore=quote.amount_ore,
        exemption=quote.exemption,
        inside_ceiling=quote.inside_ceiling,
        reason=reason,
        changed_by_id=changed_by_id,
        created_at=clock.now(),
    )


def do_set_case_fee(actor: Actor, case: Case) -> CaseFee | None:
    """FEE-2 at submission: the fee of the service's profession on the day, with computed exemptions.
    Runs in the submission's transaction (the case engine's extension point); a free service gets no row."""
    # A digital visit is charged by the profession handling it (the complaint area's), not the service's.
    profession = handling_profession(case)
    # The charge as the submission's offer read it, when it did (no query of its own).
    charge = fees.charge_for(case.service, profession, facts=case.offer_facts)
    if charge is None:
        return None  # a free service: no persons to read (one query on every submission, not three)
    subject = Person.objects.get(pk=case.subject_id)
    payer = subject if case.submitted_by_id == case.subject_id else Person.objects.get(pk=case.submitted_by_id)
    quote = fees.expected(
        subject,
        payer,
        case.service,
        case.submitted_at.astimezone(STOCKHOLM).date(),
        profession=profession,
        charge=charge,
    )
    if not quote.charged:
        return None
    case_fee = _insert_case_fee(case, quote, reason=FeeReason.SUBMITTED, changed_by_id=None)
    do_record(actor, AuditEvent.CASE_FEE_SET, case_fee, subject_person_id=case.subject_id, unit_id=case.unit_id)
    return case_fee


def do_change_case_profession(actor: Actor, case: Case, *, profession: str, followed: bool = False) -> CaseFee:
    """FEE-2: the case moves to another profession; the fee follows (e.g. 100 kr → free) and the
    resident is told, with the reason on the case page. The age is the one on the submission day.

    A case whose service says who handles it (a digital visit) moves only with its service (an internal
    referral, VISIT-6, which calls this with `followed`): moving only its fee would leave the two apart."""
    profession = check_profession(profession)
    if case.status == CaseStatus.CLOSED:
        raise BillingError.CASE_CLOSED.error()
    if not followed and has_handling_profession(case.service.kind):
        raise BillingError.PROFESSION_FOLLOWS_SERVICE.error(field="profession")
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("service").get(pk=case.pk)
        before = current_case_fee(locked.pk)
        if before is None:
            raise BillingError.CASE_HAS_NO_FEE.error()
        if before.profession == profession:
            raise BillingError.SAME_PROFESSION.error(field="profession")
        subject = Person.objects.get(pk=locked.subject_id)
        payer = Person.objects.get(pk=locked.submitted_by_id)
        quote = fees.expected(
            subject, payer, locked.service, locked.submitted_at.astimezone(STOCKHOLM).date(), profession=profession
        )
        after = _insert_case_fee(locked, quote, reason=FeeReason.PROFESSION_CHANGED, changed_by_id=actor.staff_id)
        do_record(
            actor,
            AuditEvent.CASE_FEE_PROFESSION_CHANGE,
            after,
            subject_person_id=locked.subject_id,
            unit_id=locked.unit_id,
            extra={"from": before.profession, "to": profession, "amount_ore": after.amount_ore},
        )
        if after.amount_ore != before.amount_ore:
            _notify_fee_changed(locked)
    return after


def _notify_fee_changed(case: Case) -> None:
    """The notice says only that a fee changed: no service, profession or amount (no health data)."""
    for recipient in resident_recipients(case):
        for_child = case.subject_id != recipient.pk
        notify_resident(
            recipient,
            NoticeKind.FEE_CHANGED,
            link=reverse("cases:mine") if for_child else reverse("cases:detail", args=[case.pk]),
            login_link=reverse("cases:mine"),
            for_child=for_child,
            protected=for_child and Person.objects.filter(pk=case.subject_id, protected_identity=True).exists(),
        )


def do_charge_case(actor: Actor, case: Case) -> CaseFee | None:
    """FEE-3 when the case is closed (the visit is done): the fee is charged through the cost ceiling.

    A valid frikort (the e-frikort service's or a confirmed hand-entered card) makes it free; a fee
    inside the ceiling is registered with the e-frikort service, which cuts the last fee so the
    ceiling is never passed; fees outside the ceiling are charged in full. Runs in the closing
    transaction; a case is charged once (a duplicate closed as such is not charged).
    """
    from vardnav.billing.efrikort import efrikort

    current = current_case_fee(case.pk)
    if current is None or case.outcome == Outcome.DUPLICATE:
        return None
    if CaseFee.objects.filter(case_id=case.pk, reason=FeeReason.CHARGED).exists():
        return _record_free_return(actor, case, current)
    subject = Person.objects.get(pk=case.subject_id)
    payer = Person.objects.get(pk=case.submitted_by_id)
    base = fees.quote(
        subject, case.service, case.submitted_at.astimezone(STOCKHOLM).date(), profession=current.profession
    )
    day = (case.closed_at or clock.now()).astimezone(STOCKHOLM).date()
    charged = base
    if base.amount_ore and base.inside_ceiling:
        if fees.manual_free_card_on(subject, day, case.provider_id):
            charged = replace(base, amount_ore=0, exemption=Exemption.FREE_CARD)
        else:
            registered = efrikort().register_fee(
                subject, payer, day, base.amount_ore, reference=f"case-{case.pk}", case_id=case.pk
            )
            exemption = Exemption.FREE_CARD if registered.charged_ore == 0 else base.exemption
            charged = replace(base, amount_ore=registered.charged_ore, exemption=exemption)
    row = _insert_case_fee(case, charged, reason=FeeReason.CHARGED, changed_by_id=None)
    do_record(actor, AuditEvent.CASE_FEE_CHARGE, row, subject_person_id=case.subject_id, unit_id=case.unit_id)
    return row


def _record_free_return(actor: Actor, case: Case, current: CaseFee) -> CaseFee | None:
    """VISIT-4: the case was charged at its first closing and closed again after a return within the
    provider's window: the return is recorded at 0 kr with its reason, never charged a second time.
    (A case reopened otherwise is not charged again either; it just gets no row.)"""
    day = (case.closed_at or clock.now()).astimezone(STOCKHOLM).date()
    if fees.free_return(case.pk, case.provider_id, day) is None:
        return None
    returned = fees.Quote(
        True,
        current.profession,
        current.contact_kind,
        current.fee,
        current.schedule_amount_ore,
        0,
        Exemption.FREE_RETURN,
        current.inside_ceiling,
    )
    row = _insert_case_fee(case, returned, reason=FeeReason.RETURNED, changed_by_id=None)
    do_record(
        actor,
        AuditEvent.CASE_FEE_CHARGE,
        row,
        subject_person_id=case.subject_id,
        unit_id=case.unit_id,
        extra={"free_return": True},
    )
    return row


@dataclass(frozen=True)
class NewFreeCard:
    provider_id: int
    card_number: object
    issuer: object
    valid_from: dt.date
    valid_until: dt.date


def do_enter_free_card(actor: Actor, new: NewFreeCard) -> FreeCard:
    """FEE-3 where the region has no e-frikort: the resident (or a guardian for a child) enters the card;
    the provider's staff confirm it before it makes visits free."""
    from vardnav.cases.actions import check_resident_subject

    subject = check_resident_subject(actor)
    assert actor.person_id is not None  # check_resident_subject refuses an actor without a person
    card_number = check_card_number(new.card_number)
    issuer = check_issuer(new.issuer)
    check_card_period(new.valid_from, new.valid_until)
    if not CareProvider.objects.filter(pk=new.provider_id).exists():
        raise BillingError.PROVIDER_NOT_FOUND.error(field="provider")
    if fees.uses_efrikort(new.provider_id):
        raise BillingError.EFRIKORT_REGION.error(field="provider")
    with transaction.atomic():
        if FreeCard.objects.filter(person=subject, card_number=card_number, provider_id=new.provider_id).exists():
            raise BillingError.FREE_CARD_ALREADY_ENTERED.error(field="card_number")
        card = FreeCard.objects.create(
            person=subject,
            provider_id=new.provider_id,
            card_number=card_number,
            issuer=issuer,
            valid_from=new.valid_from,
            valid_until=new.valid_until,
            entered_by_id=actor.person_id,
            entered_at=clock.now(),
        )
        do_record(actor, AuditEvent.FREE_CARD_ENTER, card, subject_person_id=subject.pk)
    return card


def do_decide_free_card(actor: Actor, card: FreeCard, *, confirm: bool) -> FreeCard:
    """The provider's administrator confirms (or rejects) a hand-entered frikort after checking it."""
    _require_fee_admin(actor, card.provider_id)
    with transaction.atomic():
        locked = FreeCard.objects.select_for_update().get(pk=card.pk)
        if locked.status != FreeCardStatus.PENDING:
            raise BillingError.FREE_CARD_DECIDED.error()
        locked.status = FreeCardStatus.CONFIRMED if confirm else FreeCardStatus.REJECTED
        locked.decided_by_id = actor.staff_id
        locked.decided_at = clock.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        event = AuditEvent.FREE_CARD_CONFIRM if confirm else AuditEvent.FREE_CARD_REJECT
        do_record(actor, event, locked, subject_person_id=locked.person_id)
    return locked


# --- the seam with payments (FEE-6) -----------------------------------------------------------------


Booked = TypeVar("Booked", Payment, InvoiceRefund)


def _booked_or_locked_invoice(model: type[Booked], reference: str, invoice_id: int) -> Booked | Invoice:
    """Exactly-once booking: the row already booked under `reference`, or else the invoice, locked for
    a new one. Checked again under the invoice's lock: a concurrent booking of the same source waited there.
    Call inside a transaction."""
    existing = model.objects.filter(reference=reference).first()
    if existing is not None:
        return existing
    invoice = Invoice.objects.select_for_update().filter(pk=invoice_id).first()
    if invoice is None:
        raise BillingError.PAYMENT_INVOICE_NOT_FOUND.error()
    return model.objects.filter(reference=reference).first() or invoice


def _change_paid_sum(
    actor: Actor, invoice: Invoice, change_ore: int, event: AuditEvent, booked: Payment | InvoiceRefund, method: str
) -> None:
    """Move the locked invoice's paid sum by `change_ore` (a payment in, a refund out) and its status
    with it: an unpaid invoice now covered is paid; a paid one no longer covered is unpaid again; a
    credited one stays credited. Audited with the booking."""
    invoice.paid_ore += change_ore
    fields = ["paid_ore"]
    covered = invoice.paid_ore >= invoice.total_ore
    if invoice.status == InvoiceStatus.UNPAID and covered:
        invoice.status, invoice.paid_at = InvoiceStatus.PAID, clock.now()
        fields += ["status", "paid_at"]
    elif invoice.status == InvoiceStatus.PAID and not covered:
        invoice.status, invoice.paid_at = InvoiceStatus.UNPAID, None
        fields += ["status", "paid_at"]
    invoice.save(update_fields=fields)
    do_record(
        actor,
        event,
        booked,
        subject_person_id=invoice.payer_id,
        extra={"invoice": invoice.number, "method": method, "amount_ore": abs(change_ore), "status": invoice.status},
    )


def do_record_payment(
    actor: Actor,
    invoice_id: int,
    *,
    amount_ore: int,
    reference: str,
    method: str = PaymentMethod.BANKGIRO,
    received_at: dt.datetime | None = None,
    unit_id: int | None = None,
    receipt_number: str = "",
    registered_by_id: int | None = None,
) -> Payment | None:
    """FEE-6: book a payment against an invoice, exactly once.

    `reference` names the source (a Swish payment, a BgMax payment, a desk receipt) and is unique:
    the same source booked again returns the first booking and changes nothing. The invoice is
    locked, `paid_ore` grows by the amount, and the invoice is PAID (with `paid_at`) once it is
    covered. An invoice already paid or credited is left alone and None returned: the caller puts
    the money on the staff's list (over- or unmatched payments). Never cash (BOOK-5)."""
    if method not in PaymentMethod.values:
        raise BillingError.DESK_METHOD_INVALID.error(field="method")
    if amount_ore <= 0:
        raise BillingError.INVALID_AMOUNT.error(field="amount")
    with transaction.atomic():
        invoice = _booked_or_locked_invoice(Payment, reference, invoice_id)
        if not isinstance(invoice, Invoice):
            return invoice  # booked before
        if invoice.status != InvoiceStatus.UNPAID:
            return None
        now = clock.now()
        payment = Payment.objects.create(
            invoice=invoice,
            method=method,
            amount_ore=amount_ore,
            reference=reference,
            received_at=received_at or now,
            registered_by_id=(registered_by_id or actor.staff_id) if method in DESK_METHODS else None,
            unit_id=unit_id,
            receipt_number=receipt_number,
            created_at=now,
        )
        _change_paid_sum(actor, invoice, amount_ore, AuditEvent.PAYMENT_RECORD, payment, method)
    return payment


def do_record_refund(
    actor: Actor,
    invoice_id: int,
    *,
    amount_ore: int,
    reference: str,
    method: str = RefundMethod.SWISH,
    refunded_at: dt.datetime | None = None,
) -> InvoiceRefund:
    """Book money paid back on an invoice once it has left, exactly once (`reference` names the
    source, e.g. a Swish refund, and is unique: booked again, the first booking is returned).

    The invoice's `paid_ore` is lowered by the amount (never below 0). A paid invoice no longer
    covered becomes unpaid again (partly paid while something remains); a credited invoice stays
    credited. This and do_record_payment are the only writers of `paid_ore`, `status`, `paid_at`."""
    if method not in RefundMethod.values:
        raise BillingError.REFUND_NOT_POSSIBLE.error()
    if amount_ore <= 0:
        raise BillingError.REFUND_AMOUNT_INVALID.error(field="amount")
    with transaction.atomic():
        invoice = _booked_or_locked_invoice(InvoiceRefund, reference, invoice_id)
        if not isinstance(invoice, Invoice):
            return invoice  # booked before
        if amount_ore > invoice.paid_ore:
            raise BillingError.REFUND_AMOUNT_INVALID.error(field="amount")
        now = clock.now()
        refund = InvoiceRefund.objects.create(
            invoice=invoice,
            method=method,
            amount_ore=amount_ore,
            reference=reference,
            refunded_at=refunded_at or now,
            created_at=now,
        )
        _change_paid_sum(actor, invoice, -amount_ore, AuditEvent.INVOICE_REFUND_RECORD, refund, method)
    return refund
