"""Fetching the people a logged-in resident may see as themselves or act for.

Why here: acting-for (ID-2, ID-3, ID-4) is an identity matter, and every page
and endpoint that handles "the subject" must get it the same way. A person id
that is not the actor's own, nor a child under 16 of theirs, gets the same 404
as an id that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import NotFound
from vardnav.core.ids import parse_id
from vardnav.identity.checks import may_be_acted_for
from vardnav.people.models import ContactSharingConsent, GuardianRelation, Person


@dataclass(frozen=True)
class ChildChoice:
    """A child of the guardian as the choose-person page shows it."""

    person: Person
    age: int
    selectable: bool


def access_own_person(actor: Actor) -> Person:
    """The logged-in resident (the guardian, when acting for a child)."""
    if not actor.is_resident or actor.person_id is None:
        raise NotFound()
    person = Person.objects.filter(pk=actor.person_id).first()
    if person is None:
        raise NotFound()
    return person


def access_child_for_guardian(actor: Actor, person_id: object) -> Person:
    """A child the actor is guardian of and may act for now (under 16); else 404.

    The relation is the one synced from the population register at login; the
    choice re-checks it against the register itself (actions.do_choose_acting_for).
    """
    if not actor.is_resident or actor.person_id is None:
        raise NotFound()
    child_id = parse_id(person_id)
    if child_id is None:
        raise NotFound()
    relation = (
        GuardianRelation.objects.select_related("child")
        .filter(guardian_id=actor.person_id)
        .filter(child_id=child_id)
        .first()
    )
    if relation is None:
        raise NotFound()
    if not may_be_acted_for(relation.child.age_on(clock.today())):
        raise NotFound()
    return relation.child


def access_acting_for(actor: Actor) -> Person:
    """The person whose matters are handled: the chosen child, or the resident themself.

    Re-validates the child on every call, so a child who turns 16 during a
    guardian's session is no longer acted for (ID-3).
    """
    if actor.acting_for_id is None:
        return access_own_person(actor)
    return access_child_for_guardian(actor, actor.acting_for_id)


def children_for_choice(actor: Actor) -> list[ChildChoice]:
    """The actor's children in birth order, each marked selectable (under 16) or not; one query."""
    if not actor.is_resident or actor.person_id is None:
        return []
    today = clock.today()
    relations = (
        GuardianRelation.objects.select_related("child")
        .filter(guardian_id=actor.person_id)
        .order_by("child__birth_date")
    )
    choices = []
    for relation in relations:
        age = relation.child.age_on(today)
        choices.append(ChildChoice(person=relation.child, age=age, selectable=may_be_acted_for(age)))
    return choices


def access_active_contact_consent(actor: Actor) -> ContactSharingConsent | None:
    """The resident's own consent in force (PRIV-6), or None."""
    if not actor.is_resident or actor.person_id is None:
        raise NotFound()
    return ContactSharingConsent.objects.filter(person_id=actor.person_id).filter(withdrawn_at__isnull=True).first()
