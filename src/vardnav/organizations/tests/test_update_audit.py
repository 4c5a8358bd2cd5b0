"""Updates of providers, units and staff record what changed, without names or personal details."""

from __future__ import annotations

import json

import pytest

from vardnav.audit.models import AuditEntry
from vardnav.core.actor import Actor
from vardnav.organizations.actions.providers import do_update_provider
from vardnav.organizations.actions.staff import do_update_staff
from vardnav.organizations.actions.units import do_update_unit

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system()


def _latest(action: str, obj) -> AuditEntry:
    return AuditEntry.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)).latest(
        "id"
    )


def test_a_unit_update_records_old_and_new_values_of_the_fields_that_changed(unit_x):
    old_phone = unit_x.phone
    do_update_unit(SYSTEM, unit_x, phone="010-123 45 67", city=unit_x.city)
    entry = _latest("unit.update", unit_x)
    assert entry.extra == {"changed": {"phone": [old_phone, "010-123 45 67"]}}


def test_a_provider_update_names_a_changed_organisation_number_without_keeping_it(provider):
    old_days = provider.case_retention_days
    do_update_provider(SYSTEM, provider, case_retention_days=old_days + 10, organization_number="121212-1212")
    entry = _latest("provider.update", provider)
    assert entry.extra == {
        "changed": {"case_retention_days": [old_days, old_days + 10]},
        "changed_without_values": ["organization_number"],
    }


def test_a_staff_update_never_keeps_the_staff_members_name_or_hsa_id(handler_x):
    old_name, old_profession = handler_x.given_name, handler_x.profession
    new_profession = "midwife" if old_profession != "midwife" else "nurse"
    do_update_staff(SYSTEM, handler_x, given_name="Annika", profession=new_profession)
    entry = _latest("staff.update", handler_x)
    assert entry.extra["changed"] == {"profession": [old_profession, new_profession]}
    assert entry.extra["changed_without_values"] == ["given_name"]
    assert "Annika" not in json.dumps(entry.extra)
    assert old_name not in json.dumps(entry.extra)
