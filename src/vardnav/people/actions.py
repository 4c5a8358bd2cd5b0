"""The only place that creates or changes people and guardian relations.

Why: a Person is a copy of what the population register says (names, protected
identity, guardianships) plus the contact details the resident gave us. Keeping
every write here means the register is always the source of the first part,
PRIV-1 cannot be bypassed by a stray save(), and every change is audited in the
same transaction.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.crypto import blind_index, blind_index_candidates
from vardnav.core.errors import PermissionDenied
from vardnav.core.personal_number import parse_personal_number
from vardnav.people.checks import check_contact, check_language
from vardnav.people.errors import PeopleError
from vardnav.people.models import GuardianRelation, Person
from vardnav.people.register import RegisterRecord, get_population_register

# Shown in the resident's log extract (loggutdrag) as why the entry exists.
REGISTER_PURPOSE = "Uppgifter från folkbokföringen"
CONTACT_PURPOSE = "Ändrade kontaktuppgifter"
LANGUAGE_PURPOSE = "Ändrade språk för e-post och sms"

# PRIV-1: for a protected person these are kept blank, whatever we held before.
_PROTECTED_BLANKS = {"given_name": "", "surname": "", "email": "", "phone": "", "email_confirmed_at": None}


def _locked_person(digits12: str) -> Person | None:
    return Person.objects.select_for_update().filter(personal_number_index__in=blind_index_candidates(digits12)).first()


def _desired_fields(record: RegisterRecord) -> dict[str, object]:
    number = parse_personal_number(record.personal_number)
    fields: dict[str, object] = {
        "birth_date": number.birth_date,
        "is_coordination_number": number.is_coordination_number,
        "protected_identity": record.is_protected,
    }
    if record.is_protected:
        fields.update(_PROTECTED_BLANKS)
    else:
        fields.update(given_name=record.given_name, surname=record.surname)
    return fields


# An audit entry waiting to be written: (event, object type, object id, subject person id).
# By id rather than instance, because a removed relation is gone by the time it is recorded.
_Event = tuple[AuditEvent, str, int, int]
PERSON = Person._meta.label_lower
GUARDIAN_RELATION = GuardianRelation._meta.label_lower


def _upsert_from_record(record: RegisterRecord, events: list[_Event]) -> Person:
    """Create or update one Person from its register record, leaving the row locked."""
    desired = _desired_fields(record)
    person = _locked_person(record.personal_number)
    if person is None:
        try:
            # A savepoint, so a concurrent first login of the same person (unique
            # index) costs a re-read instead of aborting the whole transaction.
            with transaction.atomic():
                person = Person(personal_number=record.personal_number, **desired)
                person.save()
        except IntegrityError:
            person = _locked_person(record.personal_number)
            if person is None:
                raise
        else:
            events.append((AuditEvent.CREATE, PERSON, person.pk, person.pk))
            return person

    changed = [name for name, value in desired.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, desired[name])
    if person.personal_number_index != blind_index(person.personal_number):
        # Written under an older index key: heal it while the row is locked anyway.
        changed.append("personal_number_index")
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
        events.append((AuditEvent.UPDATE, PERSON, person.pk, person.pk))
    return person


def _sync_relations(person: Person, wanted: list[tuple[Person, Person]], events: list[_Event]) -> None:
    """Make every relation the person is part of exactly the register's (guardian, child) pairs."""
    now = clock.now()
    existing = {
        (rel.guardian_id, rel.child_id): rel
        for rel in GuardianRelation.objects.select_for_update()
        .filter(Q(guardian=person) | Q(child=person))
        .order_by("pk")
    }
    wanted_ids = {(guardian.pk, child.pk) for guardian, child in wanted}
    for guardian, child in wanted:
        if (guardian.pk, child.pk) in existing:
            continue
        try:
            with transaction.atomic():
                relation = GuardianRelation.objects.create(guardian=guardian, child=child, verified_at=now)
        except IntegrityError:
            # Created by a concurrent sync of the same family: already as wanted.
            continue
        events.append((AuditEvent.CREATE, GUARDIAN_RELATION, relation.pk, child.pk))
    confirmed = [rel.pk for key, rel in existing.items() if key in wanted_ids]
    GuardianRelation.objects.filter(pk__in=confirmed).update(verified_at=now)
    for key, relation in existing.items():
        if key not in wanted_ids:
            events.append((AuditEvent.DELETE, GUARDIAN_RELATION, relation.pk, relation.child_id))
            relation.delete()


def do_sync_person_from_register(personal_number: str) -> Person:
    """Create or refresh a Person and their guardian relations, both ways, from folkbokföringen.

    Idempotent: running it again with an unchanged register changes nothing but
    the relations' verified_at. Called at every resident login, so names,
    protected identity (PRIV-1) and guardianships (ID-4) are never older than
    the person's last visit. Guardians and children are created as Persons too
    (their own relations are refreshed when they log in themselves).

    Lock order, so that simultaneous logins of one family cannot deadlock:
    persons in personal-number order, then relations, then the audit chain
    (written last, when every row lock is already held).
    """
    number = parse_personal_number(personal_number)
    register = get_population_register()
    record = register.lookup(number.digits12)
    if record is None:
        raise PeopleError.NOT_IN_POPULATION_REGISTER.error(field="personal_number")
    own = number.digits12
    guardian_numbers = [n for n in register.guardians_of(own) if n != own]
    child_numbers = [n for n in register.children_of(own) if n != own]
    records = {own: record}
    for other in (*guardian_numbers, *child_numbers):
        other_record = register.lookup(other)
        if other_record is not None:
            records[other] = other_record
    events: list[_Event] = []
    with transaction.atomic():
        persons = {n: _upsert_from_record(records[n], events) for n in sorted(records)}
        person = persons[own]
        wanted = [(persons[g], person) for g in guardian_numbers if g in persons]
        wanted += [(person, persons[c]) for c in child_numbers if c in persons]
        _sync_relations(person, sorted(wanted, key=lambda pair: (pair[0].pk, pair[1].pk)), events)
        actor = Actor.system()
        for event, object_type, object_id, subject_id in events:
            do_record(
                actor,
                event,
                object_type=object_type,
                object_id=object_id,
                subject_person_id=subject_id,
                purpose=REGISTER_PURPOSE,
            )
    return person


def do_update_contact(actor: Actor, person: Person, *, email: str, phone: str) -> Person:
    """A resident changes their own e-mail and mobile number (ID-6).

    Refused for protected identity (PRIV-1): we must not hold a way to reach them
    that could leak where they are. A changed e-mail address is unconfirmed again.
    """
    if not (actor.is_resident and actor.person_id is not None and actor.person_id == person.pk):
        raise PermissionDenied()
    email, phone = check_contact(email=email, phone=phone)
    with transaction.atomic():
        # Re-read under lock: the register may have marked the person protected
        # since the caller fetched them.
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.protected_identity:
            raise PeopleError.PROTECTED_IDENTITY.error()
        changed = []
        if locked.email != email:
            locked.email = email
            locked.email_confirmed_at = None
            changed += ["email", "email_confirmed_at"]
        if locked.phone != phone:
            locked.phone = phone
            changed.append("phone")
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
            do_record(
                actor,
                AuditEvent.UPDATE,
                locked,
                subject_person_id=locked.pk,
                purpose=CONTACT_PURPOSE,
            )
    for name in ("email", "email_confirmed_at", "phone", "updated_at", "protected_identity"):
        setattr(person, name, getattr(locked, name))
    return person


def do_set_preferred_language(actor: Actor, person: Person, language: object) -> Person:
    """A resident chooses the language of their own e-mail and SMS ("sv" or "en"), audited like contact details.

    Only their own: a guardian acting for a child sets the guardian's language (the caller passes them).
    Choosing the language already held changes and records nothing.
    """
    if not (actor.is_resident and actor.person_id is not None and actor.person_id == person.pk):
        raise PermissionDenied()
    value = check_language(language)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.preferred_language != value:
            locked.preferred_language = value
            locked.save(update_fields=["preferred_language", "updated_at"])
            do_record(
                actor,
                AuditEvent.UPDATE,
                locked,
                subject_person_id=locked.pk,
                purpose=LANGUAGE_PURPOSE,
                extra={"language": value},
            )
    person.preferred_language, person.updated_at = locked.preferred_language, locked.updated_at
    return person
