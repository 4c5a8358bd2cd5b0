"""The demo's quality statistics (QA-3, QA-4): this month's closed digital visits at Kliniknu's digital unit.

Four doctors take visits in three complaint areas; one of them (Alexander Berg)
prescribes antibiotics in every urinary tract infection visit and is marked
as an outlier against the doctors' share, two stay within the band, and one
(Mira Ekholm, new this month) has too few cases to be marked. The demo
residents come back in the airways area for a revisit, which goes to the same
doctor except once (handed to a colleague by the unit's receiver), so the
continuity share is shown with its n.

Everything goes through the actions production uses (do_start_visit routes and
links revisits, do_distribute_case, do_record_prescription, do_close_case), as
the demo residents (Skatteverket's test numbers) and the unit's own staff.
Called by the `load_demo` command after the world (the test fixture's case
tables start empty); idempotent: nothing is made once the unit has a closed visit.
"""

from __future__ import annotations

from dataclasses import dataclass

from vardnav.cases.actions import do_close_case, do_distribute_case
from vardnav.cases.models import Case, CaseStatus
from vardnav.core.actor import Actor, ActorKind
from vardnav.demo import identities
from vardnav.demo.visits import DIGITAL_UNIT_SLUG, sample_answers
from vardnav.organizations.actions.roles import do_grant_role
from vardnav.organizations.actions.staff import do_create_staff, do_update_staff
from vardnav.organizations.models import Qualification, Role, RoleGrant, Staff, Unit
from vardnav.people.access import get_person_by_personal_number
from vardnav.people.models import Person
from vardnav.prescriptions.actions import do_load_curated_register, do_record_prescription
from vardnav.prescriptions.models import Product
from vardnav.visits.access import current_triage
from vardnav.visits.actions import do_start_visit
from vardnav.visits.models import ComplaintArea, Visit

# The two doctors the demo world lacks at the digital unit: HSA-id suffix → name.
EXTRA_DOCTORS = {"DG09": ("Leo", "Falk"), "DG10": ("Mira", "Ekholm")}
RECEIVER = "DG02"  # the unit's nurse who receives and distributes
ANTIBIOTIC = {
    "urinvagsinfektion": "CUR-selexid-400-mg-filmdragerad-tablett",
    "luftvagar": "CUR-kavepenin-1-g-filmdragerad-tablett",
    "hudbesvar": "CUR-heracillin-750-mg-tablett",
}


@dataclass(frozen=True)
class Episode:
    doctor: str  # HSA-id suffix
    area: str
    antibiotic: bool
    resident: str


def _first_visits() -> list[Episode]:
    """Twelve residents in three areas with three doctors, and three more residents with the new doctor."""
    residents = identities.RESIDENTS
    episodes = [Episode("DG01", "urinvagsinfektion", True, number) for number in residents]
    episodes += [Episode("DG00", "luftvagar", i < 5, number) for i, number in enumerate(residents)]
    episodes += [Episode("DG09", "hudbesvar", i < 5, number) for i, number in enumerate(residents)]
    episodes += [
        Episode("DG10", "hudbesvar", True, number)
        for number in (identities.GUARDIAN, identities.GUARDIAN_2, identities.AGED_85)
    ]
    return episodes


def _revisits() -> list[Episode]:
    """Back in the airways area: the same doctor (DG00) every time but one, which the receiver gives to DG09."""
    return [
        Episode("DG09" if i == 11 else "DG00", "luftvagar", i < 4, number)
        for i, number in enumerate(identities.RESIDENTS)
    ]


def _staff_actor(staff: Staff, unit: Unit, role: str) -> Actor:
    return Actor(kind=ActorKind.STAFF, staff_id=staff.pk, provider_id=staff.provider_id, unit_id=unit.pk, role=role)


def _doctors(actor: Actor, unit: Unit) -> dict[str, Staff]:
    prefix = unit.hsa_id.split("-", 1)[0]
    staff = {s.hsa_id.rsplit("-", 1)[1]: s for s in Staff.objects.filter(hsa_id__startswith=f"{prefix}-DG")}
    for suffix, (given_name, surname) in EXTRA_DOCTORS.items():
        if suffix not in staff:
            doctor = do_create_staff(
                actor,
                provider=unit.provider,
                hsa_id=f"{prefix}-{suffix}",
                given_name=given_name,
                surname=surname,
                profession="doctor",
            )
            staff[suffix] = do_update_staff(actor, doctor, qualification=Qualification.SPECIALIST)
        if not RoleGrant.objects.filter(staff=staff[suffix], unit=unit, role=Role.HANDLER).exists():
            do_grant_role(actor, staff=staff[suffix], unit=unit, role=Role.HANDLER)
    return staff


def _episode(
    episode: Episode, unit: Unit, staff: dict[str, Staff], people: dict[str, Person], products: dict[str, Product]
) -> Case:
    """Start the visit as the resident, give it to the episode's doctor if routing chose another, and close it."""
    area = ComplaintArea.objects.get(unit=unit, slug=episode.area)
    triage = current_triage(area)
    assert triage is not None  # the standard areas are published with the unit
    person = people[episode.resident]
    resident = Actor(kind=ActorKind.RESIDENT, person_id=person.pk)
    case = do_start_visit(resident, area, triage, answers=sample_answers(triage.items), abroad=False).case
    doctor = staff[episode.doctor]
    if case.assigned_to_id != doctor.pk:
        case = do_distribute_case(_staff_actor(staff[RECEIVER], unit, Role.RECEIVER), case, handler=doctor)
    practitioner = _staff_actor(doctor, unit, Role.HANDLER)
    if episode.antibiotic:
        do_record_prescription(
            practitioner,
            person=person,
            product=products[ANTIBIOTIC[episode.area]],
            prescriber=doctor,
            unit=unit,
            dosage="1 tablett 3 gånger dagligen i 5 dagar",
            amount="15 tabletter",
            duration_days=5,
            source_case=case,
        )
    return do_close_case(practitioner, case, outcome="answered")


def load_demo_quality_statistics() -> int:
    """This month's visits and revisits behind the statistics pages; returns how many visits it closed."""
    unit = Unit.objects.select_related("provider").filter(slug=DIGITAL_UNIT_SLUG).first()
    if unit is None or Visit.objects.filter(area__unit=unit, case__status=CaseStatus.CLOSED).exists():
        return 0
    actor = Actor.system()
    do_load_curated_register(actor)
    products = Product.objects.in_bulk(list(ANTIBIOTIC.values()), field_name="npl_id")
    staff = _doctors(actor, unit)
    episodes = _first_visits()
    people = {number: get_person_by_personal_number(number) for number in {e.resident for e in episodes}}
    if any(person is None for person in people.values()):
        return 0
    found = {number: person for number, person in people.items() if person is not None}
    closed = 0
    for episode in [*episodes, *_revisits()]:
        _episode(episode, unit, staff, found, products)
        closed += 1
    return closed
