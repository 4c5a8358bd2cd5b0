"""What an entry is about (a model instance or an explicit reference) and its optional structured `extra`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import transaction
from django.test import override_settings

from vardnav.audit.actions import chain_hash, changed_values, do_record
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import GENESIS_HASH, AuditEntry
from vardnav.audit.tests.helpers import append_only_triggers_lifted, make_organization, raw
from vardnav.audit.verify import verify_all
from vardnav.core.actor import Actor
from vardnav.organizations.models import Unit

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system()


def _problems() -> list[str]:
    return [problem.kind for report in verify_all() for problem in report.problems]


def test_an_instance_is_recorded_by_its_model_label_and_primary_key():
    org = make_organization()
    entry = do_record(SYSTEM, AuditEvent.UNIT_UPDATE, org.unit)
    assert (entry.object_type, entry.object_id) == ("organizations.unit", str(org.unit.pk))


def test_an_object_that_is_gone_is_recorded_by_explicit_type_and_id():
    entry = do_record(SYSTEM, AuditEvent.CASE_PURGE, object_type="cases.case", object_id=17)
    assert (entry.object_type, entry.object_id) == ("cases.case", "17")


def test_an_instance_and_an_explicit_reference_together_are_refused():
    org = make_organization()
    entries_before = AuditEntry.objects.count()  # the organization's own, written by its actions
    with pytest.raises(ValueError, match="either obj"):
        do_record(SYSTEM, AuditEvent.UNIT_UPDATE, org.unit, object_type="organizations.unit")
    with pytest.raises(ValueError, match="primary key"):
        do_record(SYSTEM, AuditEvent.UNIT_CREATE, Unit(name="Osparad"))
    with pytest.raises(ValueError, match="object_type"):
        do_record(SYSTEM, AuditEvent.UNIT_CREATE, object_id=1)
    assert AuditEntry.objects.count() == entries_before


def test_an_entry_without_extra_hashes_exactly_as_entries_written_before_extra_existed():
    """The hash below was computed by the chain payload of before `extra`: old entries still verify."""
    entry = AuditEntry(
        occurred_at=dt.datetime(2026, 11, 22, 8, 30, tzinfo=dt.UTC),
        actor_kind="staff",
        actor_staff_id=7,
        role="handler",
        unit_id=3,
        provider_id=1,
        action="case.take",
        object_type="cases.case",
        object_id="42",
        subject_person_id=1001,
        request_id="req-1",
        shard=5,
        seq=9,
        prev_hash=GENESIS_HASH,
    )
    assert "extra" not in entry.chain_payload()
    assert chain_hash(GENESIS_HASH, entry.chain_payload()) == (
        "182aa700ce161d554e06b95c493c720d78392f3ad28284e623f6a5130ddb9dfe"
    )


def test_extra_is_stored_as_it_reads_back_and_verifies():
    org = make_organization()
    with transaction.atomic():
        entry = do_record(
            SYSTEM,
            AuditEvent.UNIT_UPDATE,
            org.unit,
            extra={"changed": {"opening_hours": ([], [{"days": "Måndag", "hours": "08–12"}])}, "count": {1: True}},
        )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.extra == {
        "changed": {"opening_hours": [[], [{"days": "Måndag", "hours": "08–12"}]]},
        "count": {"1": True},
    }
    assert stored.chain_payload()["extra"] == stored.extra
    assert _problems() == []


@override_settings(AUDIT_CHAIN_SHARDS=1)
def test_a_changed_extra_is_detected_by_the_chain():
    org = make_organization()
    entry = do_record(SYSTEM, AuditEvent.UNIT_UPDATE, org.unit, extra={"changed": {"phone": ["010-1", "010-2"]}})
    do_record(SYSTEM, AuditEvent.UNIT_UPDATE, org.unit)
    forged = json.dumps({"changed": {"phone": ["010-1", "010-3"]}})
    with append_only_triggers_lifted():
        raw("UPDATE audit_auditentry SET extra = %s WHERE id = %s", (forged, entry.pk))
    assert _problems() == ["modified"]


@pytest.mark.parametrize(
    "extra",
    [
        {"at": dt.date(2026, 11, 22)},
        {"ids": {1, 2}},
        {"ratio": 0.5},
        {"ratio": float("nan")},
        ["not", "a", "dict"],
    ],
    ids=["date", "set", "float", "nan", "list"],
)
def test_extra_that_would_not_read_back_the_same_is_refused(extra):
    org = make_organization()
    entries_before = AuditEntry.objects.count()  # the organization's own, written by its actions
    with pytest.raises(ValueError, match="extra"):
        do_record(SYSTEM, AuditEvent.UNIT_UPDATE, org.unit, extra=extra)
    assert AuditEntry.objects.count() == entries_before


def test_changed_values_keeps_what_changed_and_only_names_hidden_fields():
    org = make_organization()
    changes = {"name": org.unit.name, "city": "Norrsund", "phone": "010-123 45 67"}
    extra = changed_values(org.unit, changes, without_values={"phone"})
    assert extra == {"changed": {"city": ["", "Norrsund"]}, "changed_without_values": ["phone"]}
    assert changed_values(org.unit, {"name": org.unit.name}) == {"changed": {}}
