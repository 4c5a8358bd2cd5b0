"""REC-5 inside one provider: a resident's block of a unit keeps that unit's visits out of
the earlier visits that practitioners at the provider's other units see (inre spärr)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.personas import SYSTEM, actor_for, make_unit
from tests.sessions import log_in_client, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.organizations.models import Role
from vardnav.records.actions import do_block, do_lift_block
from vardnav.visits.access import current_triage, earlier_visits
from vardnav.visits.actions import do_install_standard_areas, do_start_visit
from vardnav.visits.models import ComplaintArea
from vardnav.visits.tests.conftest import make_practitioner, valid_answers

pytestmark = pytest.mark.django_db


def start(area, person):
    triage = current_triage(area)
    return do_start_visit(actor_for(person), area, triage, answers=valid_answers(triage.items), abroad=False).visit


@pytest.fixture
def second_unit(digital):
    """A second digital unit of the same provider, with its own practitioner."""
    unit = make_unit(digital.provider, "Digitalvården psykisk hälsa", "SE2321000018-DV2", kind="digital")
    do_install_standard_areas(SYSTEM, unit)
    doctor = make_practitioner(digital.provider, unit, "SE2321000018-DL9", "Dora", "doctor")
    return unit, doctor, {area.slug: area for area in ComplaintArea.objects.filter(unit=unit)}


@pytest.mark.rule("REC-5")
def test_a_blocked_units_visit_is_left_out_of_earlier_visits_at_the_providers_other_units_and_logged(
    digital, second_unit, resident_a
):
    unit_2, doctor_2, areas_2 = second_unit
    blocked = start(areas_2["hudbesvar"], resident_a)
    open_earlier = start(digital.areas["hudbesvar"], resident_a)
    current = start(digital.areas["urinvagsinfektion"], resident_a)
    practitioner = digital.practitioner(digital.specialist)

    assert {v.pk for v in earlier_visits(practitioner, current)} == {blocked.pk, open_earlier.pk}

    block = do_block(actor_for(resident_a), scope="unit", unit_id=unit_2.pk)
    assert [v.pk for v in earlier_visits(practitioner, current)] == [open_earlier.pk]
    entry = AuditEntry.objects.filter(action=AuditEvent.BLOCKED_RECORDS_WITHHELD).get()
    assert entry.subject_person_id == resident_a.pk and entry.extra == {"withheld": 1}

    # The unit that wrote it still sees its own visit; the block holds only against the other units.
    at_unit_2 = actor_for(doctor_2, unit=unit_2, role=Role.HANDLER)
    assert blocked.pk in {v.pk for v in earlier_visits(at_unit_2, open_earlier)}

    # The practitioner's page shows the same list.
    client = log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))
    page = client.get(f"/personal/digitala-besok/{current.case.pk}/").content.decode()
    assert open_earlier.case.number in page and blocked.case.number not in page

    do_lift_block(actor_for(resident_a), block.pk)
    assert {v.pk for v in earlier_visits(practitioner, current)} == {blocked.pk, open_earlier.pk}


@pytest.mark.rule("REC-5")
def test_a_period_block_hides_visits_of_that_period_at_other_units_only(digital, second_unit, resident_a):
    from vardnav.core import clock

    unit_2, _doctor_2, areas_2 = second_unit
    blocked = start(areas_2["hudbesvar"], resident_a)
    current = start(digital.areas["urinvagsinfektion"], resident_a)
    today = clock.today()
    do_block(actor_for(resident_a), scope="period", starts_on=today.isoformat(), ends_on=today.isoformat())
    assert earlier_visits(digital.practitioner(digital.specialist), current) == []
    assert blocked.pk not in {v.pk for v in earlier_visits(digital.practitioner(digital.specialist), current)}
