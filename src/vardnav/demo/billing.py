"""The demo's patient fees: each provider's schedule for 2026, which e-services are charged, and
the providers' own child age limits (Region Västerå: children free under 20, like Skåne) and
whether their region uses e-frikort (Region Norrsund does).

Through the billing actions, like the rest of the demo. Idempotent: a provider that
has any fee keeps its schedule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vardnav.billing.actions import (
    NewFee,
    NewFreeCard,
    do_add_fee,
    do_enter_free_card,
    do_set_billing_policy,
    do_set_service_charge,
)
from vardnav.billing.models import Fee
from vardnav.catalog.models import Service, ServiceKind
from vardnav.core.actor import Actor, ActorKind
from vardnav.organizations.models import CareProvider

SCHEDULE_START = dt.date(2026, 1, 1)

# (profession, contact kind, kronor, inside the cost ceiling)
_FEES = [
    ("doctor", "digital", 200, True),
    ("doctor", "physical", 200, True),
    ("doctor", "video", 200, True),
    ("doctor", "certificate", 400, False),
    ("midwife", "digital", 100, True),
    ("psychologist", "digital", 200, True),
    ("physiotherapist", "digital", 200, True),
    ("nurse", "physical", 100, True),
    ("nurse", "vaccination", 350, False),
    # Nurse contacts in the e-services are free: a case moved from a doctor to a nurse costs nothing.
]
# Which profession's fee each charged e-service carries; the others are free.
_SERVICE_CHARGES = {
    ServiceKind.PRESCRIPTION_RENEWAL: ("doctor", "digital"),
    ServiceKind.CERTIFICATE_RENEW: ("doctor", "certificate"),
    ServiceKind.CERTIFICATE_NEW: ("doctor", "certificate"),
    ServiceKind.CONTRACEPTIVE_RENEW: ("midwife", "digital"),
    ServiceKind.CONTRACEPTIVE_START: ("midwife", "digital"),
    ServiceKind.CONTRACEPTIVE_CHANGE: ("midwife", "digital"),
}
_CHILD_FREE_UNDER = {"region-vastera": 20}
# FEE-3: Region Norrsund's region uses e-frikort (the card is fetched); the others take cards by hand.
_USES_EFRIKORT = {"region-norrsund"}


def load_demo_billing(actor: Actor, report: Any) -> None:
    for provider in CareProvider.objects.order_by("pk"):
        if Fee.objects.filter(provider=provider).exists():
            continue
        report.add("avgifter")
        for profession, contact_kind, kronor, inside in _FEES:
            do_add_fee(
                actor,
                provider.pk,
                NewFee(profession, contact_kind, kronor * 100, inside, SCHEDULE_START),
            )
        for service in Service.objects.filter(provider=provider, kind__in=list(_SERVICE_CHARGES)):
            profession, contact_kind = _SERVICE_CHARGES[ServiceKind(service.kind)]
            do_set_service_charge(actor, service, profession=profession, contact_kind=contact_kind)
        if provider.slug in _CHILD_FREE_UNDER or provider.slug in _USES_EFRIKORT:
            do_set_billing_policy(
                actor,
                provider.pk,
                child_free_under_age=_CHILD_FREE_UNDER.get(provider.slug, 18),
                uses_efrikort=provider.slug in _USES_EFRIKORT,
            )


def load_demo_ceiling(report: Any) -> None:
    """Resident A has paid three fees this period (1 450 kr ceiling, 600 kr paid); resident B has entered
    a frikort from another region for Region Västerå's administrator to check."""
    from vardnav.billing.efrikort import LocalEFrikort
    from vardnav.billing.models import CeilingCharge, FreeCard
    from vardnav.core import clock
    from vardnav.demo import identities
    from vardnav.people.access import get_person_by_personal_number

    resident_a = get_person_by_personal_number(identities.RESIDENT_A)
    resident_b = get_person_by_personal_number(identities.RESIDENT_B)
    today = clock.today()
    if resident_a is not None and not CeilingCharge.objects.filter(reference__startswith="demo-").exists():
        report.add("avgifter i högkostnadsskyddet")
        for n, (days_ago, fee) in enumerate([(60, 20000), (30, 20000), (7, 20000)]):
            LocalEFrikort().register_fee(
                resident_a, resident_a, today - dt.timedelta(days=days_ago), fee, reference=f"demo-{n}", case_id=None
            )
    other = CareProvider.objects.filter(slug="region-vastera").first()
    if resident_b is not None and other is not None and not FreeCard.objects.filter(person=resident_b).exists():
        report.add("frikort")
        do_enter_free_card(
            Actor(kind=ActorKind.RESIDENT, person_id=resident_b.pk),
            NewFreeCard(
                provider_id=other.pk,
                card_number="GOT-204466",
                issuer="Region Gotland",
                valid_from=today - dt.timedelta(days=40),
                valid_until=today + dt.timedelta(days=300),
            ),
        )


def load_demo_invoices() -> int:
    """Mina fakturor is not empty in the demo: resident A's two certificate cases at demo_unit_x, handled
    and closed by its staff, invoiced by the invoice run's action; one paid by bankgiro, one unpaid.

    Called by the `load_demo` command after the world (not by load_demo(): the test fixture's case
    tables start empty). Through the actions; idempotent (nothing when resident A has an invoice).
    Returns how many invoices were issued."""
    from django.db import transaction

    from vardnav.billing.actions import do_record_payment
    from vardnav.billing.invoicing import do_issue_invoice
    from vardnav.billing.models import Invoice, PaymentMethod
    from vardnav.cases.actions import do_close_case, do_distribute_case, do_submit_case
    from vardnav.catalog.access import services_offered_at
    from vardnav.demo import data, identities
    from vardnav.organizations.models import Listing, Staff, Unit
    from vardnav.people.access import get_person_by_personal_number

    resident = get_person_by_personal_number(identities.RESIDENT_A)
    unit = Unit.objects.filter(slug=data.UNIT_X_SLUG).first()
    receiver = Staff.objects.filter(hsa_id=data.RECEIVER_X_HSA).first()
    handler = Staff.objects.filter(hsa_id=data.HANDLER_X_HSA).first()
    service = services_offered_at(unit).filter(kind=ServiceKind.CERTIFICATE_NEW).first() if unit else None
    if None in (resident, unit, receiver, handler, service) or Invoice.objects.filter(payer=resident).exists():
        return 0
    if not Listing.objects.filter(person=resident, unit=unit, ended_at__isnull=True).exists():
        return 0  # resident A has listed elsewhere: the certificate service is for the unit one is listed at
    assert resident is not None and unit is not None and receiver is not None and handler is not None
    assert service is not None
    as_resident = Actor(kind=ActorKind.RESIDENT, person_id=resident.pk)
    as_receiver = Actor(
        kind=ActorKind.STAFF, staff_id=receiver.pk, provider_id=receiver.provider_id, unit_id=unit.pk, role="receiver"
    )
    as_handler = Actor(
        kind=ActorKind.STAFF, staff_id=handler.pk, provider_id=handler.provider_id, unit_id=unit.pk, role="handler"
    )
    issued = 0
    with transaction.atomic():  # both invoices or none
        for kind, purpose, paid in (("work", "Till min arbetsgivare.", True), ("school", "Till kursen i höst.", False)):
            case = do_submit_case(as_resident, service=service, unit=unit, answers={"kind": kind, "purpose": purpose})
            do_distribute_case(as_receiver, case, handler=handler)
            do_close_case(as_handler, case, outcome="answered")
            invoice = do_issue_invoice(case.pk)
            if invoice is None:
                continue
            issued += 1
            if paid:
                do_record_payment(
                    Actor.system(),
                    invoice.pk,
                    amount_ore=invoice.total_ore,
                    reference=f"demo:{invoice.number}",
                    method=PaymentMethod.BANKGIRO,
                )
    return issued
