"""What a resident may see of their prescriptions (RX-1, RX-2).

Why here: the medication list is health data. A guardian acting for a child
never sees the child's list, and a resident under 16 sees none; from 16 the
resident sees their own list when logged in as themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from vardnav.catalog.access import services_offered_at
from vardnav.catalog.models import Service, ServiceKind
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import NotFound, PermissionDenied
from vardnav.organizations.models import Listing, Unit
from vardnav.people.models import Person
from vardnav.prescriptions.errors import PrescriptionError
from vardnav.prescriptions.models import Prescription

LIST_YEARS = 5
LIST_AGE = 16
MAX_LIST_ROWS = 200


@dataclass
class MedicationList:
    visible: bool
    message: str = ""
    unit: Unit | None = None
    service: Service | None = None
    items: list[Prescription] = field(default_factory=list)


def list_cutoff(today: dt.date) -> dt.datetime:
    """The start of the 5-year window (29 February falls back to the 28th)."""
    try:
        start = today.replace(year=today.year - LIST_YEARS)
    except ValueError:
        start = today.replace(year=today.year - LIST_YEARS, day=28)
    return dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC)


def _own_person(actor: Actor) -> tuple[Person | None, str]:
    if not actor.is_resident or actor.person_id is None:
        raise PermissionDenied(PrescriptionError.RESIDENT_REQUIRED)
    if actor.acting_for_id is not None:
        return None, (
            "Listan över tidigare förskrivna läkemedel visas inte när du företräder ett barn. "
            "Du kan fortfarande skicka ett ärende om receptförnyelse och skriva läkemedlets namn."
        )
    person = Person.objects.get(pk=actor.person_id)
    if person.age_on(clock.today()) < LIST_AGE:
        return None, "Listan över tidigare förskrivna läkemedel visas från 16 års ålder."
    return person, ""


def renewable_prescriptions(person: Person, provider_id: int) -> QuerySet[Prescription]:
    return (
        Prescription.objects.filter(
            person=person, provider_id=provider_id, prescribed_at__gte=list_cutoff(clock.today())
        )
        .select_related("product")
        .order_by("-prescribed_at", "-id")
    )


def medication_list(actor: Actor) -> MedicationList:
    """RX-1/RX-2: the latest prescription of each product from the listed unit's provider, last 5 years."""
    person, message = _own_person(actor)
    if person is None:
        return MedicationList(visible=False, message=message)
    listing = Listing.objects.select_related("unit__provider").filter(person=person, ended_at__isnull=True).first()
    if listing is None:
        return MedicationList(
            visible=False,
            message="Du är inte listad på någon vårdcentral. Receptförnyelse går till vårdcentralen där du är listad.",
        )
    service = services_offered_at(listing.unit).filter(kind=ServiceKind.PRESCRIPTION_RENEWAL).first()
    latest: dict[int, Prescription] = {}
    for prescription in renewable_prescriptions(person, listing.unit.provider_id)[:MAX_LIST_ROWS]:
        latest.setdefault(prescription.product_id, prescription)
    return MedicationList(visible=True, unit=listing.unit, service=service, items=list(latest.values()))


def access_renewable_prescription(actor: Actor, prescription_id: int) -> tuple[Prescription, MedicationList]:
    """One prescription of the resident's own list; the same 404 for missing, not theirs or not shown (RX-2)."""
    listed = medication_list(actor)
    for prescription in listed.items:
        if prescription.pk == prescription_id:
            return prescription, listed
    raise NotFound()
