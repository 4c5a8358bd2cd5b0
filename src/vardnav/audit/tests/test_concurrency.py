"""Concurrent writers: many connections appending at once keep every chain whole.

On PostgreSQL the writers really run in parallel and meet on the chain-head row
locks (three shards for eight writers forces them to). On SQLite one writer
runs at a time: in production BEGIN IMMEDIATE waits for the file's write lock,
but the in-memory test database (shared cache) answers "table is locked" at
once instead of waiting, so here the writers take a lock of their own first. Either way no sequence number may be lost or taken
twice, and every chain must verify.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter

import pytest
from django.db import connection, transaction
from django.test import override_settings

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditChainHead, AuditEntry
from vardnav.audit.tests.helpers import resident_actor
from vardnav.audit.verify import verify_all

WRITERS = 8
TRANSACTIONS_PER_WRITER = 10
ENTRIES_PER_TRANSACTION = 2


def _writer(number: int, start: threading.Barrier, serialise, failures: list[BaseException]) -> None:
    try:
        start.wait(timeout=30)
        for i in range(TRANSACTIONS_PER_WRITER):
            with serialise, transaction.atomic():
                for j in range(ENTRIES_PER_TRANSACTION):
                    do_record(
                        resident_actor(3000 + number),
                        AuditEvent.READ,
                        object_type="case",
                        object_id=f"{number}-{i}-{j}",
                    )
    except BaseException as exc:  # noqa: BLE001 - reported to the main thread
        failures.append(exc)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@override_settings(AUDIT_CHAIN_SHARDS=3)
def test_concurrent_writers_leave_whole_chains_with_no_lost_or_repeated_sequence_numbers():
    start = threading.Barrier(WRITERS)
    serialise = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    failures: list[BaseException] = []
    threads = [threading.Thread(target=_writer, args=(n, start, serialise, failures)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert not any(thread.is_alive() for thread in threads)

    total = WRITERS * TRANSACTIONS_PER_WRITER * ENTRIES_PER_TRANSACTION
    assert AuditEntry.objects.count() == total
    per_shard = Counter(AuditEntry.objects.values_list("shard", flat=True))
    for shard, count in per_shard.items():
        seqs = sorted(AuditEntry.objects.filter(shard=shard).values_list("seq", flat=True))
        assert seqs == list(range(1, count + 1))
        assert AuditChainHead.objects.get(shard=shard).seq == count
    reports = verify_all(batch_size=50)
    assert [problem for report in reports for problem in report.problems] == []

    # A transaction holds its head until it commits, so its entries sit side by side in one chain.
    for number in range(WRITERS):
        for i in range(TRANSACTIONS_PER_WRITER):
            pair = AuditEntry.objects.filter(object_id__startswith=f"{number}-{i}-").order_by("object_id")
            (first_shard, first_seq), (second_shard, second_seq) = pair.values_list("shard", "seq")
            assert first_shard == second_shard
            assert second_seq == first_seq + 1
