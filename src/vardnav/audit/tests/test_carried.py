"""An audit entry carried in the idempotency record's INSERT (issue 13) is in the chain like any other.

`do_record(..., last=True)` inside run_idempotent on PostgreSQL writes the entry in the
record's statement (core.idempotency.carry_with_record); elsewhere (SQLite, no key, a
savepoint of its own) it is written at once. Either way it commits or rolls back with
the write, and the chain verifies.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.audit.verify import verify_all
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import CoreError, DomainError
from vardnav.core.idempotency import run_idempotent
from vardnav.core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db

RESIDENT = Actor(kind=ActorKind.RESIDENT, person_id=1)
POSTGRES = connection.vendor == "postgresql"


def record(object_id: int, *, last: bool = True) -> AuditEntry:
    return do_record(RESIDENT, AuditEvent.CASE_SUBMIT, object_type="cases.case", object_id=object_id, last=last)


def chain_problems() -> list[str]:
    return [problem.kind for report in verify_all() for problem in report.problems]


def test_the_last_entry_rides_in_the_record_on_postgresql_and_is_in_the_chain(settings):
    settings.AUDIT_CHAIN_SHARDS = 1
    record(0, last=False)  # the chain head exists
    entries = []

    def perform():
        entries.append(record(1))
        return 201, {"id": 1}

    with CaptureQueriesContext(connection) as captured:
        run_idempotent(RESIDENT, "carried-key-0001", "test.write", {}, perform, rerun_safe=True)
    sql = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    # The head is locked, then one statement (PostgreSQL) or the entry, the head and the record (SQLite).
    assert len(sql) == (2 if POSTGRES else 4), "\n".join(sql)
    assert (entries[0].pk is None) == POSTGRES
    entry = AuditEntry.objects.get(object_id="1")
    assert (entry.seq, entry.hash) == (entries[0].seq, entries[0].hash) == (2, entries[0].hash)
    assert IdempotencyRecord.objects.filter(key="carried-key-0001").exists()
    assert chain_problems() == []


def test_an_entry_after_a_carried_one_writes_it_first_and_follows_it_in_the_chain():
    def perform():
        record(1)
        record(2, last=False)
        record(3)
        return 201, {}

    run_idempotent(RESIDENT, "carried-key-0002", "test.write", {}, perform, rerun_safe=True)
    entries = list(AuditEntry.objects.order_by("pk").values_list("object_id", "shard", "seq"))
    assert [object_id for object_id, _, _ in entries] == ["1", "2", "3"]
    assert len({shard for _, shard, _ in entries}) == 1  # one transaction, one chain
    assert [seq for _, _, seq in entries] == [entries[0][2], entries[0][2] + 1, entries[0][2] + 2]
    assert chain_problems() == []


def test_a_write_refused_after_its_entry_was_carried_leaves_neither_entry_nor_record():
    def perform():
        record(1)
        raise CoreError.INVALID_IDEMPOTENCY_KEY.error()

    with pytest.raises(DomainError):
        run_idempotent(RESIDENT, "carried-key-0003", "test.write", {}, perform, rerun_safe=True)
    assert not AuditEntry.objects.exists()
    assert not IdempotencyRecord.objects.exists()
    record(2, last=False)  # the chain goes on from where it was
    assert chain_problems() == []


def test_a_repeated_key_rolls_the_carried_entry_back_and_replays_the_first_response():
    def perform():
        record(len(calls) + 1)
        calls.append(1)
        return 201, {"n": len(calls)}

    calls: list[int] = []
    first = run_idempotent(RESIDENT, "carried-key-0004", "test.write", {}, perform, rerun_safe=True)
    again = run_idempotent(RESIDENT, "carried-key-0004", "test.write", {}, perform, rerun_safe=True)
    assert (again.body, again.replayed) == (first.body, True)
    assert list(AuditEntry.objects.values_list("object_id", flat=True)) == ["1"]
    assert chain_problems() == []


def test_an_entry_in_a_savepoint_of_its_own_or_without_a_key_is_written_at_once():
    def perform():
        with transaction.atomic():  # a savepoint that could roll back alone: nothing carried from it
            entries.append(record(1))
        return 201, {}

    entries: list[AuditEntry] = []
    run_idempotent(RESIDENT, "carried-key-0005", "test.write", {}, perform, rerun_safe=True)
    run_idempotent(RESIDENT, None, "test.write", {}, lambda: (entries.append(record(2)), (201, {}))[1])
    entries.append(record(3))
    assert all(entry.pk is not None for entry in entries)
    assert AuditEntry.objects.count() == 3
    assert chain_problems() == []


@pytest.mark.skipif(not POSTGRES, reason="entries are carried on PostgreSQL only")
def test_an_entry_in_a_savepoint_after_a_carried_one_is_refused_rather_than_lose_it():
    def perform():
        record(1)
        with transaction.atomic():
            record(2, last=False)
        return 201, {}

    with pytest.raises(RuntimeError):
        run_idempotent(RESIDENT, "carried-key-0006", "test.write", {}, perform, rerun_safe=True)
    assert not AuditEntry.objects.exists()
