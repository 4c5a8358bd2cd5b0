"""The demo's vaccination cards: doses given at Kliniknu vaccination Centrum, doses added by residents, travel advice.

Through the vaccinations actions, as the clinic's nurse and the residents
themselves. Dates are relative to today, so the demo always has a dose that
is due (VAC-2). Idempotent: a person whose card has entries is left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.demo import identities
from vardnav.organizations.models import Staff, Unit
from vardnav.people.access import get_person_by_personal_number
from vardnav.vaccinations.actions import do_add_self_reported, do_record_travel_advice, do_register_vaccination
from vardnav.vaccinations.models import Vaccination

CLINIC = "kliniknu-vaccination-centrum"
NURSE_HSA_ID = "SE2321000903-VC00"

# personal number → (days ago, vaccine, product, dose, batch, site) given at the clinic
CLINIC_DOSES: dict[str, list[tuple[int, str, str, int, str, str]]] = {
    identities.RESIDENT_A: [
        (400, "tbe", "FSME-Immun Vuxen", 1, "VNR8C41", "left_arm"),
        (368, "tbe", "FSME-Immun Vuxen", 2, "VNR8C41", "left_arm"),
        (200, "hepatitis_a", "Havrix", 1, "AHAVB771", "right_arm"),
    ],
    identities.CHILD_8: [
        (900, "tbe", "FSME-Immun Junior", 1, "VNR7J12", "left_arm"),
        (860, "tbe", "FSME-Immun Junior", 2, "VNR7J12", "right_arm"),
        (600, "tbe", "FSME-Immun Junior", 3, "VNR7J30", "left_arm"),
    ],
}
# personal number → (days ago, vaccine, dose, place) added by the resident or a guardian
SELF_REPORTED: dict[str, list[tuple[int, str, int, str]]] = {
    identities.RESIDENT_A: [(2500, "yellow_fever", 1, "Vaccinationsmottagning i Oslo")],
}


def _nurse_actor() -> Actor | None:
    unit = Unit.objects.filter(slug=CLINIC).first()
    nurse = Staff.objects.filter(hsa_id=NURSE_HSA_ID).first()
    if unit is None or nurse is None:
        return None
    return Actor(kind=ActorKind.STAFF, staff_id=nurse.pk, provider_id=unit.provider_id, unit_id=unit.pk, role="handler")


def load_demo_vaccinations(report: Any) -> None:
    nurse = _nurse_actor()
    if nurse is None:
        return
    today = clock.today()
    for number in {*CLINIC_DOSES, *SELF_REPORTED}:
        person = get_person_by_personal_number(number)
        if person is None or Vaccination.objects.filter(subject=person).exists():
            continue
        for days, vaccine, product, dose, batch, site in CLINIC_DOSES.get(number, []):
            do_register_vaccination(
                nurse,
                person,
                vaccine=vaccine,
                product=product,
                dose_number=dose,
                batch=batch,
                site=site,
                given_on=today - dt.timedelta(days=days),
            )
            report.add("vaccinationer")
        resident = Actor(kind=ActorKind.RESIDENT, person_id=person.pk)
        for days, vaccine, dose, place in SELF_REPORTED.get(number, []):
            do_add_self_reported(
                resident,
                person,
                vaccine=vaccine,
                dose_number=dose,
                given_on=today - dt.timedelta(days=days),
                place=place,
            )
            report.add("egenrapporterade vaccinationer")
        if number == identities.RESIDENT_A:
            do_record_travel_advice(nurse, person, destination="TH", trip_days=21, note="Hepatit A dos 2 innan resan.")
            report.add("reseråd")
