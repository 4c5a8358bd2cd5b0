"""A small world for case tests, built through actions: one provider, two units, staff, residents."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from vardnav.catalog.actions import do_create_service, do_publish_questionnaire, do_save_questionnaire
from vardnav.catalog.models import ServiceKind
from vardnav.core.actor import Actor, ActorKind
from vardnav.demo import identities as ids
from vardnav.organizations.actions.listings import do_list_person
from vardnav.organizations.actions.providers import do_create_provider
from vardnav.organizations.actions.roles import do_grant_role
from vardnav.organizations.actions.staff import do_create_staff
from vardnav.organizations.actions.units import do_activate_eservices, do_create_unit
from vardnav.people.actions import do_sync_person_from_register

SYSTEM = Actor.system()
CONTACT_ITEMS = [
    {"linkId": "subject", "type": "string", "text": "Vad gäller ditt ärende?", "required": True},
    {"linkId": "details", "type": "text", "text": "Beskriv", "required": True, "maxLength": 2000},
]


@dataclass
class World:
    provider: object
    unit_x: object
    unit_y: object
    contact: object
    open_service: object
    receiver_x: object
    handler_x: object
    handler_x2: object
    handler_y: object
    resident_a: object
    resident_b: object
    guardian: object
    child_8: object
    child_17: object

    def resident(self, person, acting_for=None) -> Actor:
        return Actor(kind=ActorKind.RESIDENT, person_id=person.pk, acting_for_id=acting_for.pk if acting_for else None)

    def staff(self, staff, unit, role) -> Actor:
        return Actor(kind=ActorKind.STAFF, staff_id=staff.pk, unit_id=unit.pk, role=role, provider_id=staff.provider_id)


def _staff(provider, hsa, given, profession):
    return do_create_staff(
        SYSTEM, provider=provider, hsa_id=hsa, given_name=given, surname="Testsson", profession=profession
    )


@pytest.fixture
def world(db) -> World:
    provider = do_create_provider(SYSTEM, name="Region Testlän", slug="testlan", service_offering="provider_wide")
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
    contact = do_create_service(SYSTEM, provider, kind=ServiceKind.CONTACT_UNIT, listing_bound=True)
    open_service = do_create_service(SYSTEM, provider, kind=ServiceKind.CERTIFICATE_NEW)
    for service in (contact, open_service):
        do_publish_questionnaire(
            SYSTEM, do_save_questionnaire(SYSTEM, service, title=service.name, items=CONTACT_ITEMS)
        )
    receiver_x = _staff(provider, "SE2321000016-RX1", "Rebecka", "nurse")
    handler_x = _staff(provider, "SE2321000016-HX1", "Hugo", "doctor")
    handler_x2 = _staff(provider, "SE2321000016-HX2", "Hanna", "nurse")
    handler_y = _staff(provider, "SE2321000016-HY1", "Yusuf", "doctor")
    do_grant_role(SYSTEM, staff=receiver_x, unit=unit_x, role="receiver")
    do_grant_role(SYSTEM, staff=handler_x, unit=unit_x, role="handler")
    do_grant_role(SYSTEM, staff=handler_x2, unit=unit_x, role="handler")
    do_grant_role(SYSTEM, staff=handler_y, unit=unit_y, role="handler")
    people = {
        name: do_sync_person_from_register(number)
        for name, number in [
            ("resident_a", ids.RESIDENT_A),
            ("resident_b", ids.RESIDENT_B),
            ("guardian", ids.GUARDIAN),
            ("child_8", ids.CHILD_8),
            ("child_17", ids.CHILD_17),
        ]
    }
    do_list_person(SYSTEM, people["resident_a"], unit_x)
    do_list_person(SYSTEM, people["child_8"], unit_x)
    do_list_person(SYSTEM, people["resident_b"], unit_y)
    return World(
        provider=provider,
        unit_x=unit_x,
        unit_y=unit_y,
        contact=contact,
        open_service=open_service,
        receiver_x=receiver_x,
        handler_x=handler_x,
        handler_x2=handler_x2,
        handler_y=handler_y,
        **people,
    )
