"""Listing a resident at a primary-care unit (vårdcentral)."""

from __future__ import annotations

from django.db import transaction

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import PermissionDenied
from vardnav.organizations.access import is_platform, is_provider_admin, is_unit_admin
from vardnav.organizations.errors import OrganizationError
from vardnav.organizations.models import Listing, Unit, UnitKind
from vardnav.people.models import Person


def _may_list(actor: Actor, person: Person, unit: Unit) -> bool:
    if is_platform(actor):
        return True
    if actor.is_resident and actor.subject_person_id == person.pk:
        return True
    return is_provider_admin(actor, unit.provider_id) or is_unit_admin(actor, unit)


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


def do_end_listing(actor: Actor, listing: Listing) -> Listing:
    """End a current listing (the resident moved away or asked to leave); an ended listing stays ended.

    The unit's head or the provider's administrator; the person is then listed nowhere until they list again.
    """
    if not (
        is_platform(actor) or is_provider_admin(actor, listing.unit.provider_id) or is_unit_admin(actor, listing.unit)
    ):
        raise PermissionDenied()
    with transaction.atomic():
        locked = Listing.objects.select_for_update().filter(pk=listing.pk).first()
        if locked is None:
            raise OrganizationError.LISTING_NOT_FOUND.error()
        if locked.ended_at is None:
            locked.ended_at = clock.now()
            locked.save(update_fields=["ended_at"])
            do_record(
                actor,
                AuditEvent.LISTING_END,
                locked,
                subject_person_id=locked.person_id,
                unit_id=locked.unit_id,
            )
        listing.ended_at = locked.ended_at
    return listing
