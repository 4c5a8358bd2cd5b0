"""CASE-1 routes a case to the role its service names; PRIV-5 keeps a protected child's case with one guardian."""

from __future__ import annotations

import pytest

from vardnav.audit.models import AuditEntry
from vardnav.cases.access import access_case_for_resident, access_case_for_staff, inbox, resident_cases
from vardnav.cases.actions import do_distribute_case, do_reply, do_submit_case, do_take_case
from vardnav.cases.models import CaseStatus
from vardnav.catalog.models import Service
from vardnav.core.errors import DomainError, NotFound
from vardnav.people.models import Person

from .test_cases import ANSWERS

pytestmark = pytest.mark.django_db


def routed_to(world, role: str) -> Service:
    Service.objects.filter(pk=world.contact.pk).update(routed_role=role)
    world.contact.refresh_from_db()
    return world.contact


def submit(world, person=None, acting_for=None, answers=ANSWERS):
    actor = world.resident(person or world.resident_a, acting_for)
    return do_submit_case(actor, service=world.contact, unit=None, answers=dict(answers))


@pytest.mark.rule("CASE-1")
def test_a_case_routed_to_receivers_waits_for_distribution_and_handlers_do_not_see_it(world):
    routed_to(world, "receiver")
    case = submit(world)
    receiver = world.staff(world.receiver_x, world.unit_x, "receiver")
    handler = world.staff(world.handler_x, world.unit_x, "handler")

    assert case.routed_role == "receiver" and case.assigned_to_id is None
    assert [c.pk for c in inbox(receiver).items] == [case.pk]
    assert inbox(handler).items == []
    with pytest.raises(NotFound):
        access_case_for_staff(handler, case.pk)
    with pytest.raises(NotFound):
        do_take_case(handler, case)

    do_distribute_case(receiver, case, handler=world.handler_x)
    assert [c.pk for c in inbox(handler).items] == [case.pk]


@pytest.mark.rule("CASE-1")
def test_a_case_routed_to_handlers_lands_with_every_handler_of_the_unit_and_one_takes_it(world):
    routed_to(world, "handler")
    case = submit(world)
    hugo = world.staff(world.handler_x, world.unit_x, "handler")
    hanna = world.staff(world.handler_x2, world.unit_x, "handler")
    yusuf_at_other_unit = world.staff(world.handler_y, world.unit_y, "handler")

    assert case.routed_role == "handler" and case.assigned_to_id is None
    assert [c.pk for c in inbox(hugo).items] == [case.pk]
    assert [c.pk for c in inbox(hanna).items] == [case.pk]
    assert inbox(yusuf_at_other_unit).items == []
    access_case_for_staff(hanna, case.pk)  # she may open it before anyone takes it

    do_take_case(hugo, access_case_for_staff(hugo, case.pk))

    case.refresh_from_db()
    assert case.assigned_to_id == world.handler_x.pk and case.status == CaseStatus.ASSIGNED
    assert inbox(hanna).items == []
    with pytest.raises(NotFound):
        access_case_for_staff(hanna, case.pk)
    with pytest.raises(NotFound):
        do_take_case(hanna, case)
    assert AuditEntry.objects.filter(action="case.take", object_id=str(case.pk)).count() == 1
    do_reply(hugo, case, answers={"reply": "Välkommen på provtagning på tisdag."})
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED


@pytest.mark.rule("CASE-1")
def test_a_taken_case_cannot_be_taken_twice(world):
    routed_to(world, "handler")
    case = submit(world)
    hugo = world.staff(world.handler_x, world.unit_x, "handler")
    hanna = world.staff(world.handler_x2, world.unit_x, "handler")
    stale = access_case_for_staff(hanna, case.pk)  # opened before Hugo took it

    do_take_case(hugo, access_case_for_staff(hugo, case.pk))

    with pytest.raises(DomainError) as caught:
        do_take_case(hanna, stale)
    assert caught.value.code == "case-already-taken"
    case.refresh_from_db()
    assert case.assigned_to_id == world.handler_x.pk


@pytest.mark.rule("PRIV-5")
def test_a_protected_childs_case_is_seen_only_by_the_guardian_who_submitted_it(world):
    other_guardian = world.guardian_2
    Person.objects.filter(pk=world.child_8.pk).update(protected_identity=True)
    case = submit(
        world, world.guardian, acting_for=world.child_8, answers={"subject": "Hosta", "details": "Sedan i fredags."}
    )

    submitter = world.resident(world.guardian, world.child_8)
    assert access_case_for_resident(submitter, case.pk) == case
    assert [c.pk for c in resident_cases(submitter).items] == [case.pk]

    other = world.resident(other_guardian, world.child_8)
    with pytest.raises(NotFound):
        access_case_for_resident(other, case.pk)
    assert resident_cases(other).items == []


@pytest.mark.rule("PRIV-5")
def test_both_guardians_see_the_case_of_a_child_without_protected_identity(world):
    other_guardian = world.guardian_2
    case = submit(
        world, world.guardian, acting_for=world.child_8, answers={"subject": "Hosta", "details": "Sedan i fredags."}
    )

    other = world.resident(other_guardian, world.child_8)
    assert access_case_for_resident(other, case.pk) == case
    assert [c.pk for c in resident_cases(other).items] == [case.pk]
