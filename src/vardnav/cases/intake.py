"""Cases that reach the platform by another road than the resident's own form (CASE-7, CASE-10).

Two roads: another channel (e.g. 1177 or the provider's own system) hands us
a case through an integration, and staff register a contact that began by
phone. Either way the case becomes the resident's own: submitted_by is the
resident, it shows in "Mina ärenden", and the dialogue continues there. The
same checks as a resident's submission apply: the service's questionnaire, the
routing (CASE-1), the handling time (CASE-2) and duplicate detection across
channels (CASE-6).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.cases.actions import check_submission, insert_case, route_case
from vardnav.cases.errors import CaseError
from vardnav.cases.hooks import case_extensions
from vardnav.cases.models import Case, Channel
from vardnav.catalog.access import access_offer_of
from vardnav.catalog.errors import CatalogError
from vardnav.catalog.models import Service
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import DomainError, NotFound, PermissionDenied
from vardnav.organizations.models import Staff, Unit
from vardnav.people.models import Person

EXTERNAL_CHANNELS = (Channel.EXTERNAL, Channel.PHONE)


def check_external_channel(channel: str) -> str:
    if channel not in EXTERNAL_CHANNELS:
        raise CaseError.INVALID_CHANNEL.error(field="channel")
    return channel


def check_registering_staff(provider_id: int, channel: str, registered_by: Staff | None) -> Staff | None:
    """A phone contact names the staff member who took the call; they must work for the provider."""
    if registered_by is None:
        if channel == Channel.PHONE:
            raise CaseError.REGISTERED_BY_REQUIRED.error(field="registered_by_hsa_id")
        return None
    if registered_by.provider_id != provider_id or not registered_by.is_active:
        raise CaseError.UNKNOWN_STAFF.error(field="registered_by_hsa_id")
    return registered_by


def _route(person: Person, service: Service, unit: Unit) -> Unit:
    """CASE-1 as for the resident's own form, but a listing-bound case always goes to the listed unit.

    Why not refuse a call taken at another unit: the contact already happened,
    and one inbox (CASE-6) means the case goes where it will be handled.
    """
    try:
        return route_case(person, service, None if service.listing_bound else unit)
    except DomainError as error:
        if error.code != CaseError.NOT_LISTED:
            raise
        raise CaseError.SUBJECT_NOT_LISTED.error() from None


def do_register_external_case(
    actor: Actor,
    *,
    person: Person,
    service: Service,
    unit: Unit,
    answers: dict[str, Any],
    channel: str,
    registered_by: Staff | None,
    via: str = "",
) -> Case:
    """Register a case for `person` from another channel or a phone contact (CASE-7).

    `actor` is the integration (ActorKind.INTEGRATION) of the unit's provider;
    `via` names it in the audit entry. A unit or service of another provider,
    or a service the unit does not offer, is the same 404 as a missing one.
    """
    if actor.kind != ActorKind.INTEGRATION or actor.provider_id is None:
        raise PermissionDenied()
    if unit.provider_id != actor.provider_id or service.provider_id != actor.provider_id:
        raise NotFound(CatalogError.SERVICE_NOT_OFFERED)
    channel = check_external_channel(channel)
    registered_by = check_registering_staff(actor.provider_id, channel, registered_by)
    # The service is already read: the offer check reads only the questionnaire (and the service's facts).
    offer = access_offer_of(_route(person, service, unit), service)
    checked = check_submission(actor, person, offer, answers)
    with transaction.atomic():
        case, _ = insert_case(
            checked,
            subject=person,
            submitted_by_id=person.pk,
            channel=channel,
            registered_by_staff=registered_by,
            # The resident did not write this case in our forms: it is news in "Mina ärenden".
            resident_unread=True,
        )
        case.offer_facts = offer.facts
        for extension in case_extensions():
            extension.on_submitted(actor, case)
        do_record(
            actor,
            AuditEvent.CASE_REGISTER_EXTERNAL,
            case,
            subject_person_id=person.pk,
            unit_id=checked.unit.pk,
            purpose=f"{channel} {via}".strip()[:200],
        )
    return case
