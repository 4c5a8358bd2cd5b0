"""The audit log is append-only: the model, its queryset and the database all refuse changes."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditChainHead, AuditEntry, AuditLogIsAppendOnly
from vardnav.audit.tests.helpers import RESIDENT_ID, raw, resident_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry() -> AuditEntry:
    return do_record(
        resident_actor(), AuditEvent.CREATE, object_type="case", object_id=1, subject_person_id=RESIDENT_ID
    )


def test_saving_an_existing_entry_again_is_refused(entry):
    entry.purpose = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).purpose == ""


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_bulk_update_and_delete_through_the_queryset_are_refused(entry):
    entries = AuditEntry.objects.filter(pk=entry.pk)
    with pytest.raises(AuditLogIsAppendOnly):
        entries.update(purpose="changed")
    with pytest.raises(AuditLogIsAppendOnly):
        entries.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.bulk_update([entry], ["purpose"])
    assert AuditEntry.objects.filter(pk=entry.pk, purpose="").exists()


def test_entries_cannot_be_created_around_the_chain(entry):
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.bulk_create([AuditEntry()])
    assert AuditEntry.objects.count() == 1


def test_the_database_refuses_a_raw_update_of_an_entry(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("UPDATE audit_auditentry SET purpose = 'changed' WHERE id = %s", (entry.pk,))
    assert AuditEntry.objects.get(pk=entry.pk).purpose == ""


def test_the_database_refuses_a_raw_delete_of_an_entry(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("DELETE FROM audit_auditentry WHERE id = %s", (entry.pk,))
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_database_refuses_removing_a_chain_head(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("DELETE FROM audit_auditchainhead WHERE shard = %s", (entry.shard,))
    assert AuditChainHead.objects.filter(shard=entry.shard).exists()


def test_the_database_lets_a_chain_head_move_only_one_step_forward(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("UPDATE audit_auditchainhead SET seq = 0 WHERE shard = %s", (entry.shard,))
    assert AuditChainHead.objects.get(shard=entry.shard).seq == 1
