"""Listing a resident at a primary-care unit (vårdcentral)."""

from __future__ import annotations

from django.db import transaction

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import PermissionDenied
from vardnav.organizations.access import is_platform, is_provider_admin
from vardnav.organizations.errors import OrganizationError
from vardnav.organizations.models import Listing, Unit, UnitKind
from vardnav.people.models import Person


def _may_list(actor: Actor, person: Person, unit: Unit) -> bool:
    if is_platform(actor):
        return True
    if actor.is_resident and actor.subject_person_id == person.pk:
        return True
    return is_provider_admin(actor, unit.provider_id)


def do_list_person(actor: Actor, person: Person, unit: Unit) -> Listing:
    """List a resident at a primary-care unit (vårdcentral), ending the previous listing.

    Listing at the unit where the person is already listed changes nothing.
    """
    if not _may_list(actor, person, unit):
        raise PermissionDenied()
    if unit.kind != UnitKind.PRIMARY_CARE:
        raise OrganizationError.NOT_PRIMARY_CARE.error(field="unit")
    with transaction.atomic():
        # Lock the person's listings so two simultaneous listings cannot both end the old one.
        current = Listing.objects.select_for_update().filter(person=person, ended_at__isnull=True).first()
        if current is not None and current.unit_id == unit.pk:
            return current
        now = clock.now()
        if current is not None:
            current.ended_at = now
            current.save(update_fields=["ended_at"])
        listing = Listing.objects.create(person=person, unit=unit, listed_at=now)
        do_record(
            actor,
            AuditEvent.LISTING_CREATE,
            listing,
            subject_person_id=person.pk,
            unit_id=unit.pk,
        )
    return listing
