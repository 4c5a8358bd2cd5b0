"""Checking the audit log's hash chains end to end.

Why a separate walk: the chain makes tampering detectable, not impossible; it is
detected only when someone looks. `manage.py audit_verify` runs this on a
schedule. It reads each shard's head first and then walks that shard's entries
in sequence order, in keyset batches over the (shard, seq) unique index, so it
runs in constant memory at 100 million rows and alongside live writers (entries
appended after the head was read are simply not part of this check).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Max

from vardnav.audit.actions import chain_hash
from vardnav.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry

DEFAULT_BATCH_SIZE = 5000


@dataclass(frozen=True)
class ChainProblem:
    """One finding; ids and sequence numbers only, never entry contents."""

    shard: int
    seq: int
    kind: str  # modified | missing | broken-link | truncated | head-missing | head-mismatch
    detail: str

    def __str__(self) -> str:
        return f"shard {self.shard} seq {self.seq}: {self.kind}: {self.detail}"


@dataclass
class ShardReport:
    shard: int
    entries: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    problems: list[ChainProblem] = field(default_factory=list)


def _entries(shard: int, up_to_seq: int | None, batch_size: int) -> Iterator[AuditEntry]:
    last_seq = 0
    while True:
        batch = AuditEntry.objects.filter(shard=shard, seq__gt=last_seq)
        if up_to_seq is not None:
            batch = batch.filter(seq__lte=up_to_seq)
        rows = list(batch.order_by("seq")[:batch_size])
        if not rows:
            return
        yield from rows
        last_seq = rows[-1].seq


def verify_shard(shard: int, *, batch_size: int = DEFAULT_BATCH_SIZE) -> ShardReport:
    report = ShardReport(shard=shard)
    head = AuditChainHead.objects.filter(shard=shard).first()
    if head is not None:
        report.head_seq, report.head_hash = head.seq, head.hash
    expected_seq, prev_hash = 1, GENESIS_HASH
    last: AuditEntry | None = None
    problems = report.problems
    for entry in _entries(shard, head.seq if head else None, batch_size):
        report.entries += 1
        if entry.seq != expected_seq:
            missing = f"{expected_seq}" if entry.seq == expected_seq + 1 else f"{expected_seq}–{entry.seq - 1}"
            problems.append(ChainProblem(shard, expected_seq, "missing", f"entries {missing} are gone"))
        elif entry.prev_hash != prev_hash:
            problems.append(
                ChainProblem(shard, entry.seq, "broken-link", "prev_hash does not match the preceding entry")
            )
        if chain_hash(entry.prev_hash, entry.chain_payload()) != entry.hash:
            problems.append(ChainProblem(shard, entry.seq, "modified", f"entry id {entry.pk} does not match its hash"))
        # Continue from the stored hash so one changed entry is reported once, not for the whole tail.
        expected_seq, prev_hash, last = entry.seq + 1, entry.hash, entry
    last_seq = last.seq if last else 0
    if head is None:
        if last is not None:
            problems.append(ChainProblem(shard, last_seq, "head-missing", "entries exist but the chain head is gone"))
        return report
    if head.seq > last_seq:
        problems.append(
            ChainProblem(shard, last_seq + 1, "truncated", f"head is at {head.seq} but the last entry is {last_seq}")
        )
    elif last is not None and head.hash != last.hash:
        problems.append(ChainProblem(shard, head.seq, "head-mismatch", "head hash differs from the last entry's"))
    return report


def shards_to_verify() -> list[int]:
    """Every shard that has a head or an entry, including shards of a larger former AUDIT_CHAIN_SHARDS."""
    top_head = AuditChainHead.objects.aggregate(top=Max("shard"))["top"]
    top_entry = AuditEntry.objects.aggregate(top=Max("shard"))["top"]
    tops = [top for top in (top_head, top_entry) if top is not None]
    return list(range(max(tops) + 1)) if tops else []


def verify_all(*, batch_size: int = DEFAULT_BATCH_SIZE) -> list[ShardReport]:
    return [verify_shard(shard, batch_size=batch_size) for shard in shards_to_verify()]
