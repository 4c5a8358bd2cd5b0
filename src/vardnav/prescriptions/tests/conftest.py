"""The demo world (the `demo_*` fixtures of tests/fixtures.py), the drug register and the prescription services.

Everything is built through actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from tests.personas import make_provider, make_unit
from vardnav.catalog.actions import (
    do_create_service,
    do_offer_service,
    do_publish_questionnaire,
    do_save_questionnaire,
)
from vardnav.catalog.models import Service, ServiceKind
from vardnav.core.actor import Actor
from vardnav.demo.services import DEMO_SERVICES
from vardnav.organizations.models import Staff, Unit
from vardnav.prescriptions.actions import do_load_curated_register

SYSTEM = Actor.system()
TODAY = "2026-11-22 10:00:00+01:00"
PRESCRIPTION_KINDS = [
    ServiceKind.PRESCRIPTION_RENEWAL,
    ServiceKind.CONTRACEPTIVE_RENEW,
    ServiceKind.CONTRACEPTIVE_START,
    ServiceKind.CONTRACEPTIVE_CHANGE,
    ServiceKind.CONTRACEPTIVE_STOP,
    ServiceKind.AIDS_DIABETES,
    ServiceKind.AIDS_INCONTINENCE,
    ServiceKind.AIDS_STOMA,
    ServiceKind.SPECIAL_FOODS,
]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def create_service(provider, kind: str, **overrides: Any):
    """The provider's service of this kind (the demo loader may have made it), else a new one from demo content."""
    existing = Service.objects.filter(provider=provider, kind=kind).first()
    if existing is not None and not overrides:
        return existing
    content = DEMO_SERVICES[kind]
    service = do_create_service(SYSTEM, provider, kind=kind, **{**content["settings"], **overrides})
    draft = do_save_questionnaire(SYSTEM, service, title=service.name, items=content["items"])
    do_publish_questionnaire(SYSTEM, draft)
    return service


@dataclass
class Rx:
    services: dict[str, Any]
    nurse_x: Staff
    midwife_x: Staff
    doctor_x: Staff

    def answers(self, **overrides: Any) -> dict[str, Any]:
        """A complete renewal questionnaire answer for Levaxin."""
        base = {
            "medicine": "Levaxin 50 mikrog tablett",
            "dosage": "1 tablett på morgonen",
            "addictive": "no",
            "effect": True,
        }
        return {**base, **overrides}


@pytest.fixture
def register(db):
    return do_load_curated_register()


@pytest.fixture
def rx(register, demo_provider, demo_handler_x) -> Rx:
    services = {kind: create_service(demo_provider, kind) for kind in PRESCRIPTION_KINDS}
    return Rx(
        services=services,
        nurse_x=Staff.objects.get(hsa_id="SE2321000901-NC02"),
        midwife_x=Staff.objects.get(hsa_id="SE2321000901-NC05"),
        doctor_x=demo_handler_x,
    )


@pytest.fixture
def vaccination_unit(demo) -> Unit:
    """A vaccination clinic of a provider of its own, so its services can be set up freely here."""
    provider = make_provider("Vaccinera Test AB", "vaccinera-test", service_offering="per_unit")
    return make_unit(
        provider, "Vaccinera Test city", "SE2321000999-VAC1", slug="vaccinera-test-city", kind="vaccination"
    )


@pytest.fixture
def vaccination_services(register, vaccination_unit):
    """Renewal and contraceptive services offered (wrongly) at the vaccination clinic, not listing-bound."""
    services = {}
    for kind in (ServiceKind.PRESCRIPTION_RENEWAL, ServiceKind.CONTRACEPTIVE_RENEW):
        service = create_service(vaccination_unit.provider, kind, listing_bound=False)
        do_offer_service(SYSTEM, vaccination_unit, service)
        services[kind] = service
    return services
