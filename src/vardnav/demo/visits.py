"""The demo's digital visits: Kliniknu's digital unit with Vårdnav's standard complaint areas and its
practitioners on duty (doctors, a nurse, a psychologist, a physiotherapist, a midwife and a sexologist).

Everything goes through the actions production uses (do_install_standard_areas,
do_update_staff for ORG-8, do_set_duty), so the demo holds nothing the product could not reach.
"""

from __future__ import annotations

from typing import Any

from vardnav.core.actor import Actor, ActorKind
from vardnav.organizations.actions.roles import do_grant_role
from vardnav.organizations.actions.staff import do_update_staff
from vardnav.organizations.models import Qualification, RoleGrant, Staff, Unit
from vardnav.visits.actions import digital_visit_service, do_install_standard_areas, do_set_duty
from vardnav.visits.models import ComplaintArea, Duty

DIGITAL_UNIT_SLUG = "kliniknu-digital"
# HSA-id suffix → (qualification, percent of specialist training done) for the unit's doctors (ORG-8).
DOCTOR_QUALIFICATIONS = {"DG00": (Qualification.SPECIALIST, None), "DG01": (Qualification.IN_TRAINING, 60)}
# The head of the digital unit also takes visits; every practitioner of the unit is on duty in the demo.
EXTRA_HANDLERS = ["DG00"]
ON_DUTY = ["DG00", "DG01", "DG02", "DG03", "DG04", "DG05", "DG06"]


def load_demo_visits(actor: Actor, report: Any) -> None:
    unit = Unit.objects.filter(slug=DIGITAL_UNIT_SLUG).first()
    if unit is None:
        return
    prefix = unit.hsa_id.split("-", 1)[0]
    staff = {s.hsa_id.rsplit("-", 1)[1]: s for s in Staff.objects.filter(hsa_id__startswith=f"{prefix}-DG")}
    if not ComplaintArea.objects.filter(unit=unit).exists():
        report.add("besvärsområden", len(do_install_standard_areas(actor, unit)))
    digital_visit_service(actor, unit.provider)  # the triage shows the expected fee before the first visit
    for suffix, (qualification, percent) in DOCTOR_QUALIFICATIONS.items():
        doctor = staff[suffix]
        if doctor.qualification != qualification:
            do_update_staff(actor, doctor, qualification=qualification, specialist_training_percent=percent)
    for suffix in EXTRA_HANDLERS:
        if not RoleGrant.objects.filter(staff=staff[suffix], unit=unit, role="handler").exists():
            do_grant_role(actor, staff=staff[suffix], unit=unit, role="handler")
    for suffix in ON_DUTY:
        practitioner = staff[suffix]
        if Duty.objects.filter(staff=practitioner, unit=unit, on_duty=True).exists():
            continue
        report.add("behandlare i tjänst")
        as_practitioner = Actor(
            kind=ActorKind.STAFF,
            staff_id=practitioner.pk,
            provider_id=practitioner.provider_id,
            unit_id=unit.pk,
            role="handler",
        )
        do_set_duty(as_practitioner, unit, on_duty=True)
