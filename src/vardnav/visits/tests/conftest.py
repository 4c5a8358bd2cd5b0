"""The visits tests' world: a digital provider with a digital unit, its practitioners and the standard areas.

Built through the actions production uses, on top of the shared personas
(resident_a, child_8 and guardian are the residents who start visits).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.personas import SYSTEM, actor_for, grant, make_provider, make_staff, make_unit
from vardnav.core.actor import Actor
from vardnav.demo.visits import sample_answers as valid_answers  # noqa: F401 - the tests import it from here
from vardnav.organizations.actions.staff import do_update_staff
from vardnav.organizations.models import CareProvider, Qualification, Role, Staff, Unit
from vardnav.visits.actions import do_install_standard_areas, do_set_duty
from vardnav.visits.models import ComplaintArea


@dataclass
class Digital:
    provider: CareProvider
    unit: Unit
    areas: dict[str, ComplaintArea]
    specialist: Staff
    st_doctor: Staff
    nurse: Staff
    psychologist: Staff
    physio: Staff
    midwife: Staff

    def practitioner(self, staff: Staff) -> Actor:
        return actor_for(staff, unit=self.unit, role=Role.HANDLER)

    def on_duty(self, *staff: Staff, on: bool = True) -> None:
        for each in staff:
            do_set_duty(self.practitioner(each), self.unit, on_duty=on)


def make_practitioner(
    provider: CareProvider, unit: Unit, hsa: str, name: str, profession: str, **qualification: Any
) -> Staff:
    staff = make_staff(provider, hsa, name, profession)
    if qualification:
        staff = do_update_staff(SYSTEM, staff, **qualification)
    grant(staff, unit, Role.HANDLER)
    return staff


@pytest.fixture
def digital(world) -> Digital:
    return build_digital()


def build_digital() -> Digital:
    """The digital provider on top of the shared personas (the `world` fixture must be set up)."""
    provider = make_provider("Digitalvården", "digitalvarden", service_offering="per_unit")
    unit = make_unit(provider, "Digitalvården online", "SE2321000018-DV1", slug="digitalvarden-online", kind="digital")
    do_install_standard_areas(SYSTEM, unit)
    specialist = make_practitioner(
        provider, unit, "SE2321000018-DL1", "Disa", "doctor", qualification=Qualification.SPECIALIST
    )
    st_doctor = make_practitioner(
        provider,
        unit,
        "SE2321000018-DL2",
        "Dan",
        "doctor",
        qualification=Qualification.IN_TRAINING,
        specialist_training_percent=50,
    )
    return Digital(
        provider=provider,
        unit=unit,
        areas={area.slug: area for area in ComplaintArea.objects.filter(unit=unit)},
        specialist=specialist,
        st_doctor=st_doctor,
        nurse=make_practitioner(provider, unit, "SE2321000018-SK1", "Siv", "nurse"),
        psychologist=make_practitioner(provider, unit, "SE2321000018-PS1", "Petter", "psychologist"),
        physio=make_practitioner(provider, unit, "SE2321000018-FT1", "Fia", "physiotherapist"),
        midwife=make_practitioner(provider, unit, "SE2321000018-BM1", "Berit", "midwife"),
    )


def hit_value(rule: dict[str, Any]) -> Any:
    """An answer that raises this red flag."""
    if rule["operator"] == ">=":
        return str(rule["answer"])
    if rule["operator"] == "in":
        return rule["answer"][0]
    return rule["answer"]
