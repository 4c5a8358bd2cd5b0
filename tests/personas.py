"""The test personas: one small world and the builders for what a test needs on top of it.

Every app's tests share these names, and each name means one thing everywhere:

- provider: Region Testlän (policy provider_wide), with two units, unit_x and unit_y
- unit_x: where resident_a, guardian and child_8 are listed; receiver_x, handler_x,
  handler_x2 and unit_admin_x work here
- unit_y: the provider's other unit; resident_b is listed here, handler_y works here
- provider_admin: the administrator of `provider` (a Staff row with a Django user)
- other_provider, provider_admin_other: another provider (policy per_unit) and its administrator
- other_unit: the other provider's unit (no one is listed there, no one works there)
- resident_a, resident_b, guardian (of child_8, child_14 and child_17),
  guardian_2 (the children's other guardian), protected (protected identity),
  aged_85: residents from the population register (vardnav.demo.identities)
- contact: a listing-bound "contact your unit" service; open_service: a
  certificate service anyone may use at either unit

Everything is created through the actions production uses (do_create_provider,
do_grant_role, do_sync_person_from_register, …), so a test starts from a state
production can reach, audit entries included. The whole demo population
(tests/fixtures.py, fixture `demo`) is a different, larger world; its
fixtures all carry the `demo_` prefix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vardnav.catalog.actions import do_create_service, do_publish_questionnaire, do_save_questionnaire
from vardnav.catalog.models import Service, ServiceKind
from vardnav.core.actor import Actor, ActorKind
from vardnav.demo import identities as ids
from vardnav.organizations.actions.listings import do_list_person
from vardnav.organizations.actions.providers import do_create_provider
from vardnav.organizations.actions.roles import do_grant_role
from vardnav.organizations.actions.staff import do_create_provider_admin, do_create_staff
from vardnav.organizations.actions.units import do_activate_eservices, do_create_unit
from vardnav.organizations.models import CareProvider, RoleGrant, Staff, Unit
from vardnav.people.actions import do_sync_person_from_register
from vardnav.people.models import Person

SYSTEM = Actor.system()
CONTACT_ITEMS = [
    {"linkId": "subject", "type": "string", "text": "Vad gäller ditt ärende?", "required": True},
    {"linkId": "details", "type": "text", "text": "Beskriv", "required": True, "maxLength": 2000},
]


# --- builders -------------------------------------------------------------------------------


def make_provider(
    name: str = "Region Testlän", slug: str = "testlan", *, service_offering: str = "provider_wide", **options: Any
) -> CareProvider:
    return do_create_provider(SYSTEM, name=name, slug=slug, service_offering=service_offering, **options)


def make_unit(
    provider: CareProvider,
    name: str,
    hsa_id: str,
    *,
    slug: str = "",
    kind: str = "primary_care",
    eservices_active: bool = True,
    **details: Any,
) -> Unit:
    """A unit of the provider; with e-services switched on unless the test is about switching them on.

    `details` are do_create_unit's own: street_address, postal_code, city, phone, opening_hours.
    """
    unit = do_create_unit(
        SYSTEM, provider=provider, name=name, slug=slug or hsa_id.lower(), hsa_id=hsa_id, kind=kind, **details
    )
    return do_activate_eservices(SYSTEM, unit) if eservices_active else unit


def make_staff(
    provider: CareProvider,
    hsa_id: str,
    given_name: str = "Sara",
    profession: str = "nurse",
    *,
    surname: str = "Testsson",
) -> Staff:
    return do_create_staff(
        SYSTEM, provider=provider, hsa_id=hsa_id, given_name=given_name, surname=surname, profession=profession
    )


def make_provider_admin(provider: CareProvider, hsa_id: str, username: str, given_name: str = "Petra") -> Staff:
    return do_create_provider_admin(
        SYSTEM,
        provider=provider,
        hsa_id=hsa_id,
        given_name=given_name,
        surname="Testsson",
        profession="administrative",
        username=username,
    )


def grant(staff: Staff, unit: Unit, role: str) -> RoleGrant:
    return do_grant_role(SYSTEM, staff=staff, unit=unit, role=role)


def make_person(personal_number: str) -> Person:
    """The person as a login would create them: synced from the population register."""
    return do_sync_person_from_register(personal_number)


def make_service(provider: CareProvider, kind: str, *, items: list[dict] | None = None, **settings: Any) -> Service:
    """A service with its questionnaire published, ready for residents to use."""
    service = do_create_service(SYSTEM, provider, kind=kind, **settings)
    draft = do_save_questionnaire(SYSTEM, service, title=service.name, items=items or CONTACT_ITEMS)
    do_publish_questionnaire(SYSTEM, draft)
    return service


def actor_for(
    who: Person | Staff, *, acting_for: Person | None = None, unit: Unit | None = None, role: str | None = None
) -> Actor:
    """The Actor a resident (optionally a guardian acting for a child) or a staff member acts as.

    Staff work at `unit` in `role`; without them they have logged in but not chosen yet.
    """
    if isinstance(who, Staff):
        return Actor(
            kind=ActorKind.STAFF,
            staff_id=who.pk,
            provider_id=who.provider_id,
            unit_id=unit.pk if unit is not None else None,
            role=role,
            user_id=who.user_id,
        )
    return Actor(kind=ActorKind.RESIDENT, person_id=who.pk, acting_for_id=acting_for.pk if acting_for else None)


# --- the world ------------------------------------------------------------------------------


@dataclass
class World:
    provider: CareProvider
    unit_x: Unit
    unit_y: Unit
    contact: Service
    open_service: Service
    receiver_x: Staff
    handler_x: Staff
    handler_x2: Staff
    handler_y: Staff
    unit_admin_x: Staff
    provider_admin: Staff
    other_provider: CareProvider
    other_unit: Unit
    provider_admin_other: Staff
    resident_a: Person
    resident_b: Person
    guardian: Person
    guardian_2: Person
    child_8: Person
    child_14: Person
    child_17: Person
    protected: Person
    aged_85: Person

    def resident(self, person: Person, acting_for: Person | None = None) -> Actor:
        return actor_for(person, acting_for=acting_for)

    def staff(self, staff: Staff, unit: Unit | None = None, role: str | None = None) -> Actor:
        return actor_for(staff, unit=unit, role=role)


def build_world() -> World:
    provider = make_provider()
    unit_x = make_unit(provider, "Testcentralen 1", "SE2321000016-TC1", slug="testcentralen-1")
    unit_y = make_unit(provider, "Testcentralen 2", "SE2321000016-TC2", slug="testcentralen-2")
    contact = make_service(provider, ServiceKind.CONTACT_UNIT, listing_bound=True)
    open_service = make_service(provider, ServiceKind.CERTIFICATE_NEW)
    staff = {
        "receiver_x": make_staff(provider, "SE2321000016-RX1", "Rebecka", "nurse"),
        "handler_x": make_staff(provider, "SE2321000016-HX1", "Hugo", "doctor"),
        "handler_x2": make_staff(provider, "SE2321000016-HX2", "Hanna", "nurse"),
        "handler_y": make_staff(provider, "SE2321000016-HY1", "Yusuf", "doctor"),
        "unit_admin_x": make_staff(provider, "SE2321000016-UX1", "Ulla", "doctor"),
    }
    grant(staff["receiver_x"], unit_x, "receiver")
    grant(staff["handler_x"], unit_x, "handler")
    grant(staff["handler_x2"], unit_x, "handler")
    grant(staff["handler_y"], unit_y, "handler")
    grant(staff["unit_admin_x"], unit_x, "unit_admin")
    other_provider = make_provider("Region Annanlän", "annanlan", service_offering="per_unit")
    people = {
        "resident_a": make_person(ids.RESIDENT_A),
        "resident_b": make_person(ids.RESIDENT_B),
        "guardian": make_person(ids.GUARDIAN),
        "guardian_2": make_person(ids.GUARDIAN_2),
        "child_8": make_person(ids.CHILD_8),
        "child_14": make_person(ids.CHILD_14),
        "child_17": make_person(ids.CHILD_17),
        "protected": make_person(ids.PROTECTED),
        "aged_85": make_person(ids.AGED_85),
    }
    do_list_person(SYSTEM, people["resident_a"], unit_x)
    do_list_person(SYSTEM, people["guardian"], unit_x)
    do_list_person(SYSTEM, people["child_8"], unit_x)
    do_list_person(SYSTEM, people["resident_b"], unit_y)
    return World(
        provider=provider,
        unit_x=unit_x,
        unit_y=unit_y,
        contact=contact,
        open_service=open_service,
        provider_admin=make_provider_admin(provider, "SE2321000016-PA1", "testlan-admin"),
        other_provider=other_provider,
        other_unit=make_unit(other_provider, "Annanlänskliniken", "SE2321000017-AK1", slug="annanlanskliniken"),
        provider_admin_other=make_provider_admin(other_provider, "SE2321000017-PA1", "annanlan-admin", "Olof"),
        **staff,
        **people,
    )
