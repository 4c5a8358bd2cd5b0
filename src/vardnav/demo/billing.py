"""The demo's patient fees: each provider's schedule for 2026, which e-services are charged, and
the providers' own child age limits (Region Västerå: children free under 20, like Skåne).

Through the billing actions, like the rest of the demo. Idempotent: a provider that
has any fee keeps its schedule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vardnav.billing.actions import NewFee, do_add_fee, do_set_billing_policy, do_set_service_charge
from vardnav.billing.models import Fee
from vardnav.catalog.models import Service, ServiceKind
from vardnav.core.actor import Actor
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
        if provider.slug in _CHILD_FREE_UNDER:
            do_set_billing_policy(actor, provider.pk, child_free_under_age=_CHILD_FREE_UNDER[provider.slug])
