"""do_update_contact: residents keep their own e-mail and mobile number (ID-6), except when protected."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.personas import actor_for
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import DomainError, PermissionDenied
from vardnav.demo import identities as ids
from vardnav.people.actions import do_sync_person_from_register, do_update_contact
from vardnav.people.errors import PeopleError
from vardnav.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def karin() -> Person:
    return do_sync_person_from_register(ids.RESIDENT_A)


def test_a_resident_saves_their_email_and_mobile_number_normalised(karin):
    do_update_contact(actor_for(karin), karin, email=" karin.berg@Example.SE ", phone="070-174 06 05")
    karin.refresh_from_db()
    assert karin.email == "karin.berg@example.se"
    assert karin.phone == "+46701740605"
    entry = AuditEntry.objects.get(action=AuditEvent.UPDATE, subject_person_id=karin.pk)
    assert entry.actor_person_id == karin.pk


def test_a_changed_email_must_be_confirmed_again(karin):
    Person.objects.filter(pk=karin.pk).update(email_confirmed_at=clock.now() - dt.timedelta(days=1))
    karin.refresh_from_db()
    do_update_contact(actor_for(karin), karin, email="ny@example.se", phone="")
    karin.refresh_from_db()
    assert karin.email == "ny@example.se"
    assert karin.email_confirmed_at is None


def test_saving_unchanged_details_writes_nothing(karin):
    do_update_contact(actor_for(karin), karin, email="karin@example.se", phone="")
    entries = AuditEntry.objects.count()
    do_update_contact(actor_for(karin), karin, email="karin@example.se", phone="")
    assert AuditEntry.objects.count() == entries


def test_it_refuses_a_malformed_email_and_phone_together_and_saves_neither(karin):
    with pytest.raises(DomainError) as refused:
        do_update_contact(actor_for(karin), karin, email="karin@", phone="12")
    assert refused.value.errors == {
        "email": [PeopleError.INVALID_EMAIL.message],
        "phone": [PeopleError.INVALID_PHONE.message],
    }
    karin.refresh_from_db()
    assert (karin.email, karin.phone) == ("", "")


@pytest.mark.parametrize(
    "actor",
    [
        Actor(kind=ActorKind.STAFF, staff_id=1, unit_id=1, role="handler"),
        Actor.system(),
        Actor.anonymous(),
    ],
)
def test_nobody_but_the_resident_may_change_their_contact_details(karin, actor):
    with pytest.raises(PermissionDenied):
        do_update_contact(actor, karin, email="x@example.se", phone="")
    karin.refresh_from_db()
    assert karin.email == ""


def test_a_resident_cannot_change_another_residents_contact_details(karin):
    ali = do_sync_person_from_register(ids.RESIDENT_B)
    with pytest.raises(PermissionDenied):
        do_update_contact(actor_for(ali), karin, email="x@example.se", phone="")


def test_a_guardian_cannot_change_a_childs_contact_details():
    guardian = do_sync_person_from_register(ids.GUARDIAN)
    child = Person.objects.get(guardian_relations__guardian=guardian, birth_date=dt.date(2018, 1, 1))
    acting = Actor(kind=ActorKind.RESIDENT, person_id=guardian.pk, acting_for_id=child.pk)
    with pytest.raises(PermissionDenied):
        do_update_contact(acting, child, email="x@example.se", phone="")


@pytest.mark.rule("PRIV-1")
def test_it_refuses_to_store_contact_details_for_a_protected_person():
    person = do_sync_person_from_register(ids.PROTECTED)
    with pytest.raises(DomainError) as refused:
        do_update_contact(actor_for(person), person, email="skyddad@example.se", phone="070-174 06 06")
    assert refused.value.code == "protected-identity"
    assert refused.value.code == PeopleError.PROTECTED_IDENTITY
    person.refresh_from_db()
    assert (person.email, person.phone) == ("", "")
