"""What a case costs: the schedule's fee for the profession and kind of contact on the day,
and the exemptions computed from the person, never typed in (FEE-1, FEE-2).

- 85 and over: free (SFS 2016:1298, now HSL 17 kap.).
- Children: free while younger than the provider's age limit (BillingPolicy, 18 by default).
- A service without a ServiceCharge carries no fee, except a digital visit, which is a
  digital contact with the profession that handles it (the complaint area's, then the one
  it is referred to); a profession without a fee in the schedule on that day costs nothing
  (e.g. a case moved from a doctor to a nurse where nurse contacts are free).
- A return in the same case within the provider's return window after closure costs
  nothing (VISIT-4): the case is not charged again (ReturnWindow, dated; 4 days by default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from django.db.models import OuterRef, Q, Subquery

from vardnav.billing.models import (
    DEFAULT_CHILD_FREE_UNDER_AGE,
    DEFAULT_RETURN_WINDOW_DAYS,
    FREE_FROM_AGE,
    BillingPolicy,
    CaseFee,
    ContactKind,
    Exemption,
    Fee,
    FeeReason,
    ReturnWindow,
    ServiceCharge,
)
from vardnav.catalog.access import register_offer_fact
from vardnav.catalog.models import Service, ServiceKind
from vardnav.core.clock import STOCKHOLM
from vardnav.core.compiled import CompiledQuery
from vardnav.people.models import Person

# E-services charged without a ServiceCharge row: by the profession that handles the case (FEE-2).
HANDLED_CHARGES = {ServiceKind.DIGITAL_VISIT: ContactKind.DIGITAL}


@dataclass(frozen=True)
class Quote:
    """The fee a case has or would have."""

    charged: bool  # the service carries a fee at all
    profession: str
    contact_kind: str
    fee: Fee | None
    schedule_amount_ore: int
    amount_ore: int
    exemption: str
    inside_ceiling: bool


def child_free_under_age(provider_id: int) -> int:
    policy = BillingPolicy.objects.filter(provider_id=provider_id).first()
    return policy.child_free_under_age if policy else DEFAULT_CHILD_FREE_UNDER_AGE


def fee_on(provider_id: int, profession: str, contact_kind: str, day: dt.date) -> Fee | None:
    """The schedule's fee for the profession and contact kind that applies on the day."""
    return (
        Fee.objects.filter(
            provider_id=provider_id, profession=profession, contact_kind=contact_kind, valid_from__lte=day
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from")
        .first()
    )


def uses_efrikort(provider_id: int) -> bool:
    """FEE-3: whether the provider's region uses the national e-frikort (BillingPolicy)."""
    return BillingPolicy.objects.filter(provider_id=provider_id, uses_efrikort=True).exists()


def return_window_days(provider_id: int, day: dt.date) -> int:
    """VISIT-4: the provider's return window on the day (the dated ReturnWindow, else 4 days)."""
    row = ReturnWindow.objects.filter(provider_id=provider_id, valid_from__lte=day).order_by("-valid_from").first()
    return row.days if row is not None else DEFAULT_RETURN_WINDOW_DAYS


def free_return(case_id: int, provider_id: int, day: dt.date) -> CaseFee | None:
    """VISIT-4: the case was closed and charged, and the resident returns in it within the provider's
    window (counted from the closing day): the return costs nothing. Returns the charge it follows."""
    charged = CaseFee.objects.filter(case_id=case_id, reason=FeeReason.CHARGED).order_by("-created_at", "-id").first()
    if charged is None:
        return None
    closed_on = charged.created_at.astimezone(STOCKHOLM).date()
    if (day - closed_on).days > return_window_days(provider_id, closed_on):
        return None
    return charged


# Asked on every submission: compiled once per process (core.compiled, issue 13).
_SERVICE_CHARGE = CompiledQuery(
    lambda v: (
        ServiceCharge.objects.filter(service_id=v["service_id"]).order_by("pk").values("profession", "contact_kind")[:1]
    ),
    service_id=int,
)


# The same question read with a submission's offer (catalog.access.register_offer_fact): the
# submission's fee then costs no query of its own. Registered by billing.hooks.register.
CHARGE_PROFESSION_FACT = "billing_charge_profession"
CHARGE_CONTACT_KIND_FACT = "billing_charge_contact_kind"


def _charge_column(column: str) -> Subquery:
    return Subquery(ServiceCharge.objects.filter(service_id=OuterRef("service_id")).order_by("pk").values(column)[:1])


def register_charge_facts() -> None:
    register_offer_fact(CHARGE_PROFESSION_FACT, lambda: _charge_column("profession"))
    register_offer_fact(CHARGE_CONTACT_KIND_FACT, lambda: _charge_column("contact_kind"))


@dataclass(frozen=True)
class Charge:
    profession: str
    contact_kind: str


def charge_for(
    service: Service, profession: str | None = None, *, facts: Mapping[str, Any] = MappingProxyType({})
) -> Charge | None:
    """How the service is charged: its ServiceCharge, or (a digital visit) as the handling profession's
    digital contact. `facts` are an offer's facts (catalog.access.Offer.facts) read in this request:
    when they hold the ServiceCharge's columns, the table is not asked again."""
    if CHARGE_PROFESSION_FACT in facts and CHARGE_CONTACT_KIND_FACT in facts:
        if facts[CHARGE_PROFESSION_FACT] is not None:
            return Charge(facts[CHARGE_PROFESSION_FACT], facts[CHARGE_CONTACT_KIND_FACT])
    else:
        rows = _SERVICE_CHARGE.rows(service_id=service.pk)
        if rows:
            return Charge(rows[0]["profession"], rows[0]["contact_kind"])
    kind = HANDLED_CHARGES.get(ServiceKind(service.kind)) if service.kind in ServiceKind.values else None
    if kind is not None and profession:
        return Charge(profession, kind)
    return None


def exemption_for(person: Person, provider_id: int, day: dt.date) -> str:
    age = person.age_on(day)
    if age >= FREE_FROM_AGE:
        return Exemption.AGED_85
    if age < child_free_under_age(provider_id):
        return Exemption.CHILD
    return Exemption.NONE


_LOOK_UP: Any = object()  # "not given": look the service's charge up


def quote(
    subject: Person,
    service: Service,
    day: dt.date,
    *,
    profession: str | None = None,
    charge: Charge | None = _LOOK_UP,
) -> Quote:
    """The fee for the subject's case in this service on the day, handled by `profession`
    (the service's own profession when not given). `charge` is the service's charge when the
    caller already read it (None: the service is free)."""
    if charge is _LOOK_UP:
        charge = charge_for(service, profession)
    if charge is None:
        return Quote(False, profession or "", "", None, 0, 0, Exemption.NOT_CHARGED, False)
    chosen = profession or charge.profession
    fee = fee_on(service.provider_id, chosen, charge.contact_kind, day)
    schedule = fee.amount_ore if fee else 0
    exemption = exemption_for(subject, service.provider_id, day)
    if not exemption and fee is None:
        exemption = Exemption.NO_FEE_FOR_PROFESSION
    amount = 0 if exemption else schedule
    return Quote(
        True, chosen, charge.contact_kind, fee, schedule, amount, exemption, fee.inside_ceiling if fee else True
    )


def manual_free_card_on(patient: Person, day: dt.date, provider_id: int) -> bool:
    """A hand-entered frikort that staff confirmed and that covers the day; never where the
    provider's region uses e-frikort (the card comes from the e-frikort service there)."""
    from vardnav.billing.models import FreeCard, FreeCardStatus

    if uses_efrikort(provider_id):
        return False
    return FreeCard.objects.filter(
        person=patient, status=FreeCardStatus.CONFIRMED, valid_from__lte=day, valid_until__gte=day
    ).exists()


def with_ceiling(base: Quote, patient: Person, payer: Person, day: dt.date, provider_id: int) -> Quote:
    """FEE-3 before charging: a valid frikort makes the visit free; otherwise at most what is left
    below the ceiling. Fees outside the ceiling are never cut."""
    from vardnav.billing.efrikort import efrikort

    if not base.charged or base.amount_ore == 0 or not base.inside_ceiling:
        return base
    status = efrikort().status(patient, payer, day)
    if status.has_free_card or manual_free_card_on(patient, day, provider_id):
        return replace(base, amount_ore=0, exemption=Exemption.FREE_CARD)
    return replace(base, amount_ore=min(base.amount_ore, status.remaining_ore))


def expected(
    subject: Person,
    payer: Person,
    service: Service,
    day: dt.date,
    *,
    profession: str | None = None,
    charge: Charge | None = _LOOK_UP,
) -> Quote:
    """What the resident is shown and the case carries until it is charged: the fee with exemptions,
    the frikort and the ceiling as they stand on the day."""
    return with_ceiling(
        quote(subject, service, day, profession=profession, charge=charge), subject, payer, day, service.provider_id
    )
