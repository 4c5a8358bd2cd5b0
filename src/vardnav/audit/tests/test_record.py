"""Recording entries: what an entry holds and that it lives or dies with the caller's transaction."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from vardnav.audit.actions import do_record, record_staff_read
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry
from vardnav.audit.tests.helpers import FROZEN_NOW, RESIDENT_ID, make_organization, resident_actor
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import DomainError
from vardnav.core.logging import request_id_var

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield


def test_an_entry_records_who_acted_for_whom_in_which_unit_and_when():
    org = make_organization()
    token = request_id_var.set("req-42")
    try:
        entry = do_record(
            org.handler_actor,
            AuditEvent.UPDATE,
            object_type="case",
            object_id=77,
            subject_person_id=RESIDENT_ID,
            purpose="vård",
        )
    finally:
        request_id_var.reset(token)
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.occurred_at == FROZEN_NOW
    assert entry.occurred_at.utcoffset() == dt.timedelta(0)
    assert (entry.actor_kind, entry.actor_staff_id, entry.unit_id, entry.provider_id, entry.role) == (
        "staff",
        org.handler.pk,
        org.unit.pk,
        org.provider.pk,
        "handler",
    )
    assert (entry.action, entry.object_type, entry.object_id, entry.subject_person_id) == ("update", "case", "77", 1001)
    assert entry.purpose == "vård"
    assert entry.request_id == "req-42"


def test_a_guardian_entry_names_both_the_guardian_and_the_child():
    guardian = Actor(kind=ActorKind.RESIDENT, person_id=2001, acting_for_id=2002)
    entry = do_record(guardian, AuditEvent.CREATE, object_type="case", object_id="9", subject_person_id=2002)
    assert (entry.actor_person_id, entry.acting_for_person_id, entry.actor_staff_id) == (2001, 2002, None)


def test_an_explicit_unit_overrides_the_actors_unit():
    org = make_organization()
    entry = do_record(org.handler_actor, AuditEvent.UPDATE, object_type="case", object_id=1, unit_id=org.other_unit.pk)
    assert entry.unit_id == org.other_unit.pk


def test_the_first_entry_of_a_shard_links_to_the_genesis_hash_and_moves_the_head():
    entry = do_record(
        resident_actor(), AuditEvent.CREATE, object_type="case", object_id=1, subject_person_id=RESIDENT_ID
    )
    head = AuditChainHead.objects.get(shard=entry.shard)
    assert (entry.seq, entry.prev_hash) == (1, GENESIS_HASH)
    assert (head.seq, head.hash) == (1, entry.hash)


def test_entries_in_one_transaction_extend_one_chain_without_gaps():
    with transaction.atomic():
        entries = [do_record(resident_actor(), AuditEvent.READ, object_type="message", object_id=i) for i in range(5)]
    assert {entry.shard for entry in entries} == {entries[0].shard}
    assert [entry.seq for entry in entries] == [1, 2, 3, 4, 5]
    assert [entry.prev_hash for entry in entries[1:]] == [entry.hash for entry in entries[:-1]]


@pytest.mark.rule("REC-1")
def test_a_staff_read_is_logged_with_the_reader_the_unit_and_the_resident():
    org = make_organization()
    entry = record_staff_read(
        org.handler_actor, subject_person_id=RESIDENT_ID, object_type="case", object_id=5, purpose="vård och behandling"
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.actor_staff_id, stored.unit_id) == ("read", org.handler.pk, org.unit.pk)
    assert (stored.subject_person_id, stored.object_type, stored.object_id) == (RESIDENT_ID, "case", "5")


@pytest.mark.rule("REC-1")
def test_a_staff_read_in_a_rolled_back_transaction_leaves_no_entry():
    org = make_organization()
    entries_before = AuditEntry.objects.count()  # the organization's own, written by its actions
    heads_before = sorted(AuditChainHead.objects.values_list("pk", "seq"))
    with pytest.raises(RuntimeError, match="the read failed"), transaction.atomic():
        record_staff_read(org.handler_actor, subject_person_id=RESIDENT_ID, object_type="case", object_id=5, purpose="")
        raise RuntimeError("the read failed")
    assert AuditEntry.objects.count() == entries_before
    assert sorted(AuditChainHead.objects.values_list("pk", "seq")) == heads_before


@pytest.mark.rule("REC-1")
def test_a_staff_read_commits_together_with_the_callers_transaction():
    org = make_organization()
    with transaction.atomic():
        record_staff_read(org.handler_actor, subject_person_id=RESIDENT_ID, object_type="case", object_id=5, purpose="")
        do_record(org.handler_actor, AuditEvent.UPDATE, object_type="case", object_id=5, subject_person_id=RESIDENT_ID)
    assert AuditEntry.objects.filter(subject_person_id=RESIDENT_ID).count() == 2


def test_a_staff_read_must_come_from_staff():
    with pytest.raises(ValueError, match="staff"):
        record_staff_read(resident_actor(), subject_person_id=RESIDENT_ID, object_type="case", object_id=5, purpose="")


def test_a_purpose_longer_than_the_log_holds_is_refused_in_swedish():
    org = make_organization()
    entries_before = AuditEntry.objects.count()  # the organization's own, written by its actions
    with pytest.raises(DomainError) as refused:
        do_record(org.handler_actor, AuditEvent.READ, object_type="case", object_id=1, purpose="x" * 201)
    assert refused.value.field == "purpose"
    assert "högst 200 tecken" in str(refused.value.message)
    assert AuditEntry.objects.count() == entries_before


def test_an_object_id_too_long_to_store_is_a_programming_error():
    with pytest.raises(ValueError, match="object_id"):
        do_record(resident_actor(), AuditEvent.READ, object_type="case", object_id="9" * 65)


def test_an_append_costs_two_statements_on_postgresql_and_three_on_sqlite():
    """The head read under lock, then the entry and the head in one statement (PostgreSQL)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    do_record(resident_actor(), AuditEvent.UPDATE, object_type="case", object_id=1)  # the shard's head exists
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        entry = do_record(resident_actor(), AuditEvent.UPDATE, object_type="case", object_id=2)
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == (2 if connection.vendor == "postgresql" else 3), statements
    stored = AuditEntry.objects.get(pk=entry.pk)
    head = AuditChainHead.objects.get(shard=stored.shard)
    assert (head.seq, head.hash) == (stored.seq, stored.hash)
    assert stored.object_id == "2"
