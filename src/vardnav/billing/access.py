"""Fetching fees for an actor: the provider's schedule for its staff, a resident's case fees.

The schedule is not secret (a provider publishes its fees), but the pages show a
staff member their own provider's only. A case's fee is reached through the
case, so only those who may see the case see what it costs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from vardnav.billing.models import BillingPolicy, CaseFee, Fee, ServiceCharge
from vardnav.cases.access import resident_case_scope
from vardnav.cases.models import Case
from vardnav.catalog.models import Service
from vardnav.core.actor import Actor
from vardnav.core.errors import NotFound
from vardnav.organizations.access import acting_staff, is_provider_admin

MY_FEES_LIMIT = 200


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
