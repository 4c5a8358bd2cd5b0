"""A world for the notices cases send: two receivers at a unit, a protected resident, a revealing service.

The SMTP server, the SMS outbox and the task runner are notifications' own test
fixtures, so what is tested is what the worker really sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from vardnav.cases.actions import do_distribute_case, do_submit_case
from vardnav.catalog.actions import do_create_service, do_publish_questionnaire, do_save_questionnaire
from vardnav.catalog.models import ServiceKind
from vardnav.core.actor import Actor, ActorKind
from vardnav.demo import identities as ids
from vardnav.notifications.tests.conftest import (  # noqa: F401 - fixtures shared with notifications' tests
    give_confirmed_email,
    run_tasks,
    sms_outbox,
    smtp_server,
)
from vardnav.organizations.actions.listings import do_list_person
from vardnav.organizations.actions.providers import do_create_provider
from vardnav.organizations.actions.roles import do_grant_role
from vardnav.organizations.actions.staff import do_create_staff
from vardnav.organizations.actions.units import do_activate_eservices, do_create_unit
from vardnav.people.actions import do_sync_person_from_register

SYSTEM = Actor.system()
ITEMS = [
    {"linkId": "subject", "type": "string", "text": "Vad gäller ditt ärende?", "required": True},
    {"linkId": "details", "type": "text", "text": "Beskriv", "required": True, "maxLength": 2000},
]
ANSWERS = {"subject": "Läckage från stomipåsen", "details": "Jag behöver fler påsar av den större storleken."}
# A service whose name alone is health data: it must never appear in an e-mail or SMS.
REVEALING_SERVICE_NAME = "Förnya stomihjälpmedel"


@dataclass
class World:
    provider: Any
    unit_x: Any
    unit_y: Any
    service: Any
    receiver_x: Any
    receiver_x2: Any
    handler_x: Any
    handler_y: Any
    resident_a: Any
    resident_b: Any
    guardian: Any
    child_8: Any
    protected: Any

    def resident(self, person, acting_for=None) -> Actor:
        return Actor(kind=ActorKind.RESIDENT, person_id=person.pk, acting_for_id=acting_for.pk if acting_for else None)

    def staff(self, staff, unit, role) -> Actor:
        return Actor(kind=ActorKind.STAFF, staff_id=staff.pk, unit_id=unit.pk, role=role, provider_id=staff.provider_id)

    def submit(self, person=None, *, acting_for=None):
        actor = self.resident(person or self.resident_a, acting_for)
        return do_submit_case(actor, service=self.service, unit=self.unit_x, answers=dict(ANSWERS))

    def distribute(self, case, partial_reply: str = ""):
        receiver = self.staff(self.receiver_x, self.unit_x, "receiver")
        return do_distribute_case(receiver, case, handler=self.handler_x, partial_reply=partial_reply)

    @property
    def handler(self) -> Actor:
        return self.staff(self.handler_x, self.unit_x, "handler")


def _staff(provider, hsa, given, profession):
    return do_create_staff(
        SYSTEM, provider=provider, hsa_id=hsa, given_name=given, surname="Testsson", profession=profession
    )


@pytest.fixture
def world(db) -> World:
    provider = do_create_provider(
        SYSTEM, name="Region Testlän", slug="testlan", service_offering="provider_wide", support_email=""
    )
    units = []
    for number in (1, 2):
        unit = do_create_unit(
            SYSTEM,
            provider=provider,
            name=f"Testcentralen {number}",
            slug=f"testcentralen-{number}",
            hsa_id=f"SE2321000016-TC{number}",
            kind="primary_care",
        )
        units.append(do_activate_eservices(SYSTEM, unit))
    unit_x, unit_y = units
    service = do_create_service(SYSTEM, provider, kind=ServiceKind.AIDS_STOMA, name=REVEALING_SERVICE_NAME)
    do_publish_questionnaire(SYSTEM, do_save_questionnaire(SYSTEM, service, title=service.name, items=ITEMS))
    receiver_x = _staff(provider, "SE2321000016-RX1", "Rebecka", "nurse")
    receiver_x2 = _staff(provider, "SE2321000016-RX2", "Rut", "nurse")
    handler_x = _staff(provider, "SE2321000016-HX1", "Hugo", "doctor")
    handler_y = _staff(provider, "SE2321000016-HY1", "Yusuf", "doctor")
    do_grant_role(SYSTEM, staff=receiver_x, unit=unit_x, role="receiver")
    do_grant_role(SYSTEM, staff=receiver_x2, unit=unit_x, role="receiver")
    do_grant_role(SYSTEM, staff=handler_x, unit=unit_x, role="handler")
    do_grant_role(SYSTEM, staff=handler_y, unit=unit_y, role="handler")
    people = {
        name: do_sync_person_from_register(number)
        for name, number in [
            ("resident_a", ids.RESIDENT_A),
            ("resident_b", ids.RESIDENT_B),
            ("guardian", ids.GUARDIAN),
            ("child_8", ids.CHILD_8),
            ("protected", ids.PROTECTED),
        ]
    }
    do_list_person(SYSTEM, people["resident_b"], unit_y)
    return World(
        provider=provider,
        unit_x=unit_x,
        unit_y=unit_y,
        service=service,
        receiver_x=receiver_x,
        receiver_x2=receiver_x2,
        handler_x=handler_x,
        handler_y=handler_y,
        **people,
    )
