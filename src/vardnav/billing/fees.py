"""What a case costs: the schedule's fee for the profession and kind of contact on the day,
and the exemptions computed from the person, never typed in (FEE-1, FEE-2).

- 85 and over: free (SFS 2016:1298, now HSL 17 kap.).
- Children: free while younger than the provider's age limit (BillingPolicy, 18 by default).
- A service without a ServiceCharge carries no fee; a profession without a fee in the
  schedule on that day costs nothing (e.g. a case moved from a doctor to a nurse where
  nurse contacts are free).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q

from vardnav.billing.models import (
    DEFAULT_CHILD_FREE_UNDER_AGE,
    FREE_FROM_AGE,
    BillingPolicy,
    Exemption,
    Fee,
    ServiceCharge,
)
from vardnav.catalog.models import Service
from vardnav.people.models import Person


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


def charge_for(service: Service) -> ServiceCharge | None:
    return ServiceCharge.objects.filter(service_id=service.pk).first()


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
    charge: ServiceCharge | None = _LOOK_UP,
) -> Quote:
    """The fee for the subject's case in this service on the day, handled by `profession`
    (the service's own profession when not given). `charge` is the service's charge when the
    caller already read it (None: the service is free)."""
    if charge is _LOOK_UP:
        charge = charge_for(service)
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


def manual_free_card_on(patient: Person, day: dt.date) -> bool:
    """A hand-entered frikort that staff confirmed and that covers the day."""
    from vardnav.billing.models import FreeCard, FreeCardStatus

    return FreeCard.objects.filter(
        person=patient, status=FreeCardStatus.CONFIRMED, valid_from__lte=day, valid_until__gte=day
    ).exists()


def with_ceiling(base: Quote, patient: Person, payer: Person, day: dt.date) -> Quote:
    """FEE-3 before charging: a valid frikort makes the visit free; otherwise at most what is left
    below the ceiling. Fees outside the ceiling are never cut."""
    from vardnav.billing.efrikort import efrikort

    if not base.charged or base.amount_ore == 0 or not base.inside_ceiling:
        return base
    status = efrikort().status(patient, payer, day)
    if status.has_free_card or manual_free_card_on(patient, day):
        return replace(base, amount_ore=0, exemption=Exemption.FREE_CARD)
    return replace(base, amount_ore=min(base.amount_ore, status.remaining_ore))


def expected(
    subject: Person,
    payer: Person,
    service: Service,
    day: dt.date,
    *,
    profession: str | None = None,
    charge: ServiceCharge | None = _LOOK_UP,
) -> Quote:
    """What the resident is shown and the case carries until it is charged: the fee with exemptions,
    the frikort and the ceiling as they stand on the day."""
    return with_ceiling(quote(subject, service, day, profession=profession, charge=charge), subject, payer, day)
