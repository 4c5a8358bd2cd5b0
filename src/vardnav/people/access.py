"""Fetching people for an actor.

Why: a person id in a URL or API call must reveal nothing, so "does not exist"
and "not yours" give the same NotFound. A resident reaches themself and their
own children under 16 (ID-2, ID-3); staff reach a person only when the caller
states why (the purpose is audited), until care relations decide it.
"""

from __future__ import annotations

from vardnav.audit.actions import record_staff_read
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.crypto import blind_index_candidates
from vardnav.core.errors import NotFound
from vardnav.core.personal_number import parse_personal_number
from vardnav.people.models import GuardianRelation, Person

# From 16 a resident logs in with their own BankID and nobody acts for them (ID-3).
GUARDIAN_ACCESS_AGE_LIMIT = 16


def get_person_by_personal_number(personal_number: str) -> Person | None:
    """The Person with this number, found by blind index; any common format is accepted.

    Raises DomainError(invalid-personal-number) for a malformed number, which is
    a different answer from "we have no such person" (None).
    """
    digits12 = parse_personal_number(personal_number).digits12
    return Person.objects.filter(personal_number_index__in=blind_index_candidates(digits12)).first()


def is_guardian_of(guardian_id: int, child: Person) -> bool:
    """True while the register-backed relation exists and the child is under 16 today."""
    if child.age_on(clock.today()) >= GUARDIAN_ACCESS_AGE_LIMIT:
        return False
    return GuardianRelation.objects.filter(guardian_id=guardian_id, child=child).exists()


def access_person_by_id(actor: Actor, person_id: int, *, purpose: str = "") -> Person:
    """The person, if the actor may see them; otherwise NotFound, exactly as if missing.

    Residents: themself, or their own child under 16. Staff: only with a stated
    purpose, recorded in the audit log with the read. Everyone else: nobody.
    """
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound()
    if actor.is_resident and actor.person_id is not None:
        if person.pk == actor.person_id:
            return person
        if is_guardian_of(actor.person_id, person):
            return person
        raise NotFound()
    if actor.is_staff and actor.staff_id is not None and purpose.strip():
        record_staff_read(actor, person, subject_person_id=person.pk, purpose=purpose)
        return person
    raise NotFound()


def children_of(person: Person) -> list[Person]:
    """Every child the register lists the person as guardian of, oldest first, at any age.

    Callers that let a guardian act for a child must also check the age (see
    is_guardian_of and GUARDIAN_ACCESS_AGE_LIMIT).
    """
    return list(Person.objects.filter(guardian_relations__guardian=person).order_by("birth_date", "pk").distinct())


def guardians_of(person: Person) -> list[Person]:
    return list(Person.objects.filter(child_relations__child=person).order_by("pk").distinct())
