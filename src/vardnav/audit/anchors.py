"""Anchoring the audit chains outside the database, so a rewrite of a whole shard is caught.

Why: the hash chains (docs/decisions/0002-audit-chain.md) make a changed entry
detectable only relative to its chain. Someone who can write the database can
rewrite a whole shard, recompute every hash and move the head, and the chain is
consistent again. So the heads are copied, on a schedule, to a store the
database cannot change: an append-only file (by default) or S3-compatible object
storage with object lock (production). `audit_verify` then checks that the entry
each anchor names still has the anchored hash; a rewrite changes it.

What an anchor proves: every entry up to the anchored sequence number of each
shard, because each entry's hash covers its predecessor's. Entries written after
the newest anchor are covered by the next run; the gap is at most the anchoring
interval, and `audit_verify` reports entries older than AUDIT_ANCHOR_MAX_AGE_MINUTES
that no anchor covers (anchoring stopped, or the anchors were removed).

A record is one run: the time and every shard's head (sequence and hash),
never entry contents. In the file each record is one JSON line that also carries
the SHA-256 of the line before it, so removing or changing a line in the middle
breaks that link, and a torn last line is reported.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Min

from vardnav.audit.models import AuditChainHead, AuditEntry
from vardnav.core import clock

FORMAT_VERSION = 1
FIRST_PREV = "0" * 64


@dataclass(frozen=True)
class AnchorRecord:
    """One anchoring run: when, and each shard's head as (seq, hash)."""

    at: dt.datetime
    heads: dict[int, tuple[int, str]]
    prev: str = FIRST_PREV

    def to_json(self) -> str:
        body = {
            "v": FORMAT_VERSION,
            "at": self.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "heads": [{"shard": s, "seq": seq, "hash": h} for s, (seq, h) in sorted(self.heads.items())],
            "prev": self.prev,
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> AnchorRecord:
        """Parse one record; ValueError (or KeyError/TypeError) if it is not one."""
        body = json.loads(text)
        if not isinstance(body, dict) or body.get("v") != FORMAT_VERSION:
            raise ValueError("not an anchor record")
        heads = {int(h["shard"]): (int(h["seq"]), str(h["hash"])) for h in body["heads"]}
        at = dt.datetime.fromisoformat(body["at"])
        if at.tzinfo is None:
            raise ValueError("anchor time without a zone")
        return cls(at=at, heads=heads, prev=str(body["prev"]))


def digest(line: str) -> str:
    return hashlib.sha256(line.encode()).hexdigest()


@dataclass(frozen=True)
class AnchorProblem:
    """A finding about the anchors or about the chain against them; ids and numbers only."""

    shard: int | None
    seq: int
    kind: str  # anchor-mismatch | anchor-beyond-chain | unanchored | anchors-missing | anchors-corrupt | anchors-broken
    detail: str

    def __str__(self) -> str:
        where = f"shard {self.shard} seq {self.seq}" if self.shard is not None else "anchors"
        return f"{where}: {self.kind}: {self.detail}"


@dataclass
class AnchorReading:
    """What a store holds: its records in order, and what was wrong with reading them."""

    exists: bool
    records: list[AnchorRecord] = field(default_factory=list)
    problems: list[AnchorProblem] = field(default_factory=list)


class AnchorStore(Protocol):
    """Where anchors go: appended to, never changed. `describe` names it in reports (no secrets)."""

    def append(self, heads: dict[int, tuple[int, str]], at: dt.datetime) -> AnchorRecord: ...

    def read(self) -> AnchorReading: ...

    def describe(self) -> str: ...


class FileAnchorStore:
    """JSON lines in a local file opened O_APPEND, each line fsync'ed before the run counts as done.

    Why O_APPEND and a link per line: the process never seeks or rewrites, and a
    line removed or edited later breaks the next line's `prev`. Put the file on
    storage the database's operators cannot rewrite (a separate host's mount, or
    make it append-only with `chattr +a`); in production prefer S3AnchorStore.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def describe(self) -> str:
        return f"file {self.path}"

    def append(self, heads: dict[int, tuple[int, str]], at: dt.datetime) -> AnchorRecord:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # two runs at once must not both link to the same line
            record = AnchorRecord(at=at, heads=heads, prev=self._last_digest())
            os.write(fd, (record.to_json() + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)  # closing releases the lock
        return record

    def _last_digest(self) -> str:
        last = ""
        with self.path.open("r", encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    last = line.rstrip("\n")
        return digest(last) if last else FIRST_PREV

    def read(self) -> AnchorReading:
        if not self.path.exists():
            return AnchorReading(exists=False)
        reading = AnchorReading(exists=True)
        prev = FIRST_PREV
        raw = self.path.read_bytes()
        lines = raw.split(b"\n")
        if raw and not raw.endswith(b"\n"):
            reading.problems.append(
                AnchorProblem(None, len(lines), "anchors-corrupt", "the last line is incomplete (a torn write?)")
            )
            lines = lines[:-1]
        for number, line_bytes in enumerate(lines, start=1):
            if not line_bytes.strip():
                continue
            line = line_bytes.decode("utf-8", errors="replace")
            try:
                record = AnchorRecord.from_json(line)
            except (ValueError, KeyError, TypeError):
                reading.problems.append(AnchorProblem(None, number, "anchors-corrupt", f"line {number} is unreadable"))
                prev = digest(line)
                continue
            if record.prev != prev:
                reading.problems.append(
                    AnchorProblem(None, number, "anchors-broken", f"line {number} does not follow the line before it")
                )
            reading.records.append(record)
            prev = digest(line)
        return reading


class S3AnchorStore:
    """One object per run in an S3-compatible bucket with object lock, in compliance mode.

    Why object lock: within the retention period no one can delete or overwrite
    an object, not even the account that wrote it, so the anchors outlive an
    attacker who owns the application and its database. The bucket must be
    created with object lock enabled. Keys sort by time, so the newest record is
    the last one listed.
    """

    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "audit-anchors/",
        endpoint_url: str | None = None,
        region: str | None = None,
        retention_days: int = 3650,
    ) -> None:
        self.bucket, self.prefix, self.retention_days = bucket, prefix, retention_days
        self.endpoint_url, self.region = endpoint_url, region

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def _client(self) -> Any:
        import boto3  # type: ignore[import-untyped]

        return boto3.client("s3", endpoint_url=self.endpoint_url, region_name=self.region)

    def _keys(self, client: Any) -> list[str]:
        keys: list[str] = []
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
            keys.extend(item["Key"] for item in page.get("Contents", []))
        return sorted(keys)

    def append(self, heads: dict[int, tuple[int, str]], at: dt.datetime) -> AnchorRecord:
        client = self._client()
        record = AnchorRecord(at=at, heads=heads)
        utc = at.astimezone(dt.UTC)
        key = f"{self.prefix}{utc:%Y/%m/%d/%Y%m%dT%H%M%S.%f}Z-{secrets.token_hex(4)}.json"
        client.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=record.to_json().encode(),
            ContentType="application/json",
            ObjectLockMode="COMPLIANCE",
            ObjectLockRetainUntilDate=utc + dt.timedelta(days=self.retention_days),
            ChecksumAlgorithm="SHA256",
        )
        return record

    def read(self) -> AnchorReading:
        client = self._client()
        keys = self._keys(client)
        reading = AnchorReading(exists=bool(keys))
        for key in keys:
            body = client.get_object(Bucket=self.bucket, Key=key)["Body"].read().decode("utf-8", errors="replace")
            try:
                reading.records.append(AnchorRecord.from_json(body))
            except (ValueError, KeyError, TypeError):
                reading.problems.append(AnchorProblem(None, 0, "anchors-corrupt", f"object {key} is unreadable"))
        return reading


def anchor_store() -> AnchorStore:
    """The configured store: S3 when AUDIT_ANCHOR_S3_BUCKET is set, otherwise the local file."""
    bucket = getattr(settings, "AUDIT_ANCHOR_S3_BUCKET", None)
    if bucket:
        return S3AnchorStore(
            bucket,
            prefix=settings.AUDIT_ANCHOR_S3_PREFIX,
            endpoint_url=settings.AUDIT_ANCHOR_S3_ENDPOINT_URL,
            region=settings.AUDIT_ANCHOR_S3_REGION,
            retention_days=settings.AUDIT_ANCHOR_RETENTION_DAYS,
        )
    return FileAnchorStore(Path(settings.AUDIT_ANCHOR_FILE))


def current_heads() -> dict[int, tuple[int, str]]:
    """Every shard's committed head that has at least one entry."""
    return {h.shard: (h.seq, h.hash) for h in AuditChainHead.objects.filter(seq__gt=0).order_by("shard")}


def do_anchor_chain_heads(store: AnchorStore | None = None) -> AnchorRecord:
    """Append the current head of every shard to the anchor store (the periodic job).

    No actor and no audit entry: the job adds nothing to the log it anchors, and a
    run that finds nothing new still records the time, which shows it ran.
    """
    return (store or anchor_store()).append(current_heads(), clock.now())


def newest_anchors(records: Iterable[AnchorRecord]) -> dict[int, tuple[int, str]]:
    """Each shard's highest anchored (seq, hash) over all records."""
    newest: dict[int, tuple[int, str]] = {}
    for record in records:
        for shard, (seq, hash_) in record.heads.items():
            if shard not in newest or seq >= newest[shard][0]:
                newest[shard] = (seq, hash_)
    return newest


def check_against_anchors(
    shards: Iterable[int],
    store: AnchorStore | None = None,
    *,
    only: set[int] | None = None,
    now: dt.datetime | None = None,
) -> list[AnchorProblem]:
    """The chain against the anchors: a rewritten anchored entry, a chain shorter than its anchor, old unanchored entries.

    `shards` are the shards in the database; every anchored shard is checked too,
    so a shard removed entirely is caught. `only` limits the check to some shards
    (parallel runs with --shard). Checking each shard's newest anchor is enough:
    the internal chain check (verify.verify_shard) ties every earlier entry to it.
    """
    store = store or anchor_store()
    reading = store.read()
    problems = list(reading.problems)
    newest = newest_anchors(reading.records)
    now = now or clock.now()
    cutoff = now - dt.timedelta(minutes=settings.AUDIT_ANCHOR_MAX_AGE_MINUTES)
    for shard, (seq, anchored_hash) in sorted(newest.items()):
        if only is not None and shard not in only:
            continue
        entry = AuditEntry.objects.filter(shard=shard, seq=seq).only("hash").first()
        if entry is None:
            problems.append(
                AnchorProblem(shard, seq, "anchor-beyond-chain", "an anchored entry is gone from the database")
            )
        elif entry.hash != anchored_hash:
            problems.append(
                AnchorProblem(
                    shard, seq, "anchor-mismatch", "the entry differs from its anchor: the chain was rewritten"
                )
            )
    unanchored: list[tuple[int, int]] = []
    for shard in shards:
        anchored_seq = newest.get(shard, (0, ""))[0]
        old = AuditEntry.objects.filter(shard=shard, seq__gt=anchored_seq, occurred_at__lt=cutoff).aggregate(
            first=Min("seq")
        )
        if old["first"] is not None:
            unanchored.append((shard, old["first"]))
    minutes = settings.AUDIT_ANCHOR_MAX_AGE_MINUTES
    if unanchored and not reading.exists:
        problems.append(
            AnchorProblem(
                None,
                0,
                "anchors-missing",
                f"{store.describe()} holds no anchors, but entries older than {minutes} minutes exist",
            )
        )
    else:
        for shard, first in unanchored:
            problems.append(
                AnchorProblem(
                    shard,
                    first,
                    "unanchored",
                    f"entries from seq {first} are older than {minutes} minutes and no anchor covers them",
                )
            )
    return problems
