"""The cost ceiling and frikort through an e-frikort interface (FEE-3).

The national high-cost service (HKS, reached through the regions' e-frikort
services) holds every paid fee of a person across providers, the 12-month
period and the frikort. Vårdnav talks to it through `EFrikort`: look up a
person's status on a day, and register each paid fee (which returns what may
be charged, the last fee cut so the ceiling is never passed). `LocalEFrikort`
is a faithful local implementation of the same rules, used in development,
tests and wherever no regional service is connected; the settings choose the
implementation (`VARDNAV_EFRIKORT_BACKEND`).

The rules (1177; vårdgivarguiden "Allmänna bestämmelser för högkostnadsskydd"; HSL 17 kap.):
- the period is twelve months from the first paid visit, not the calendar year
  (first visit 25 April → the frikort is valid up to and including 24 April the next year);
- the ceiling is the amount configured for the day the period starts (CeilingAmount);
- the last fee is cut so the sum never passes the ceiling; after that visits are free;
- the children under 18 of one guardian share one ceiling (the guardian who pays), and
  it still covers a child who turns 18 during the period;
- fees outside the ceiling are never registered here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from vardnav.billing.models import CeilingAmount, CeilingCharge, CeilingPeriod, CeilingScope
from vardnav.core import clock
from vardnav.people.models import Person

ADULT_AGE = 18


@dataclass(frozen=True)
class CeilingStatus:
    ceiling_ore: int
    paid_ore: int
    remaining_ore: int
    period_starts_on: dt.date | None
    period_ends_on: dt.date | None
    has_free_card: bool
    card_number: str
    scope: str
    holder_id: int


@dataclass(frozen=True)
class Registered:
    reference: str
    fee_ore: int
    charged_ore: int
    card_issued: bool


class EFrikort(Protocol):
    def status(self, patient: Person, payer: Person, day: dt.date) -> CeilingStatus:
        """The patient's ceiling on the day: the period that covers them, what is paid, any frikort."""
        ...

    def register_fee(
        self, patient: Person, payer: Person, day: dt.date, fee_ore: int, *, reference: str, case_id: int | None
    ) -> Registered:
        """Register a paid fee inside the ceiling; returns what may be charged (idempotent per reference)."""
        ...


def one_period_end(starts_on: dt.date) -> dt.date:
    """The last day of a twelve-month period: the day before the same date next year."""
    try:
        same_day_next_year = starts_on.replace(year=starts_on.year + 1)
    except ValueError:  # 29 February
        same_day_next_year = dt.date(starts_on.year + 1, 3, 1)
    return same_day_next_year - dt.timedelta(days=1)


# The shipped figures (billing migration 0003 stores the same rows): used when the table has none
# for the day, e.g. after a test flushed it.
SHIPPED_CEILINGS = [(dt.date(2024, 1, 1), 140000), (dt.date(2025, 1, 1), 145000), (dt.date(2026, 1, 1), 145000)]


def ceiling_on(day: dt.date) -> int:
    """The configured ceiling for a period starting on the day (CeilingAmount, dated)."""
    row = CeilingAmount.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if row is not None:
        return row.amount_ore
    shipped = [amount for valid_from, amount in SHIPPED_CEILINGS if valid_from <= day]
    # Before the first configured year: the earliest known figure (lower than any later one).
    return shipped[-1] if shipped else SHIPPED_CEILINGS[0][1]


def cut(fee_ore: int, paid_ore: int, ceiling_ore: int) -> int:
    """What may be charged of a fee: never more than what is left below the ceiling."""
    return max(0, min(fee_ore, ceiling_ore - paid_ore))


def _guardian_of(child: Person, payer: Person) -> Person | None:
    guardians = Person.objects.filter(child_relations__child_id=child.pk).order_by("pk")
    if guardians.filter(pk=payer.pk).exists():
        return payer
    return guardians.first()


def _active(holder_id: int, scope: str, day: dt.date) -> CeilingPeriod | None:
    return (
        CeilingPeriod.objects.filter(holder_id=holder_id, scope=scope, starts_on__lte=day, ends_on__gte=day)
        .order_by("-starts_on")
        .first()
    )


def ceiling_holder(patient: Person, payer: Person, day: dt.date) -> tuple[Person, str, CeilingPeriod | None]:
    """Whose ceiling a patient's fee counts in, and that ceiling's period running on the day (if any)."""
    if patient.age_on(day) < ADULT_AGE:
        guardian = _guardian_of(patient, payer)
        if guardian is not None:
            return guardian, CeilingScope.CHILDREN, _active(guardian.pk, CeilingScope.CHILDREN, day)
        return patient, CeilingScope.OWN, _active(patient.pk, CeilingScope.OWN, day)
    # A child who turned 18 stays in the siblings' period that already covered them.
    shared = (
        CeilingPeriod.objects.filter(
            scope=CeilingScope.CHILDREN, starts_on__lte=day, ends_on__gte=day, charges__patient_id=patient.pk
        )
        .select_related("holder")
        .order_by("-starts_on")
        .first()
    )
    if shared is not None:
        return shared.holder, CeilingScope.CHILDREN, shared
    return patient, CeilingScope.OWN, _active(patient.pk, CeilingScope.OWN, day)


class LocalEFrikort:
    """The rules above on Vårdnav's own tables (CeilingPeriod, CeilingCharge)."""

    def status(self, patient: Person, payer: Person, day: dt.date) -> CeilingStatus:
        holder, scope, period = ceiling_holder(patient, payer, day)
        if period is None:
            ceiling = ceiling_on(day)
            return CeilingStatus(ceiling, 0, ceiling, None, None, False, "", scope, holder.pk)
        free = period.reached_on is not None and period.reached_on <= day
        return CeilingStatus(
            period.ceiling_ore,
            period.paid_ore,
            period.remaining_ore,
            period.starts_on,
            period.ends_on,
            free,
            period.card_number,
            scope,
            holder.pk,
        )

    def register_fee(
        self, patient: Person, payer: Person, day: dt.date, fee_ore: int, *, reference: str, case_id: int | None
    ) -> Registered:
        with transaction.atomic():
            known = CeilingCharge.objects.filter(reference=reference).first()
            if known is not None:
                return Registered(reference, known.fee_ore, known.charged_ore, False)
            holder, scope, _ = ceiling_holder(patient, payer, day)
            # One registration at a time per holder: the period and its sum are read and written together.
            Person.objects.select_for_update().get(pk=holder.pk)
            period = _active(holder.pk, scope, day)
            if period is None:
                if fee_ore == 0:
                    return Registered(reference, 0, 0, False)
                period = CeilingPeriod.objects.create(
                    holder=holder, scope=scope, starts_on=day, ends_on=one_period_end(day), ceiling_ore=ceiling_on(day)
                )
            period = CeilingPeriod.objects.select_for_update().get(pk=period.pk)
            charged = cut(fee_ore, period.paid_ore, period.ceiling_ore)
            period.paid_ore += charged
            issued = period.paid_ore == period.ceiling_ore and period.reached_on is None
            if issued:
                period.reached_on = day
                period.card_number = f"FK{period.pk:010d}"
            period.save(update_fields=["paid_ore", "reached_on", "card_number"])
            CeilingCharge.objects.create(
                period=period,
                patient=patient,
                case_id=case_id,
                reference=reference,
                day=day,
                fee_ore=fee_ore,
                charged_ore=charged,
                created_at=clock.now(),
            )
        return Registered(reference, fee_ore, charged, issued)


def efrikort() -> EFrikort:
    """The configured e-frikort service (the local implementation unless settings name another)."""
    backend: type[EFrikort] = import_string(
        getattr(settings, "VARDNAV_EFRIKORT_BACKEND", "vardnav.billing.efrikort.LocalEFrikort")
    )
    return backend()
