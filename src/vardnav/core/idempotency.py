"""One way to run a write at most once per key: web forms, the API and the integrations.

Why: a resident on a flaky mobile connection retries; a double click submits
twice; a client retries after our process was killed mid-response. The key
arrives differently (a web form's hidden one-time key, an `Idempotency-Key`
header from an API client or another system), but the meaning is the same
everywhere, so there is one helper, `run_idempotent`:

- the first request with a key runs the write and remembers its response;
- a repeat with the same key and the same content runs nothing and gets that
  first response back (`replayed` is true), however many times it is repeated;
- the same key with other content — another body, or another operation — is
  refused with `CoreError.IDEMPOTENCY_KEY_REUSED` (409);
- a write that fails (a DomainError) stores nothing, so a corrected retry with
  the same key can still succeed.

Keys belong to the caller: the record's scope is the acting person, staff
member or integration token (`idempotency_scope`), so two callers can never see
each other's responses. The record is written in the transaction of the change
itself, so "acknowledged" and "exists" can't diverge.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction

from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import CoreError, DomainError
from vardnav.core.models import IdempotencyRecord

KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{8,255}$")
RETENTION = dt.timedelta(days=2)

# What a write returns to be remembered: the HTTP status and a JSON-serialisable body.
Outcome = tuple[int, dict[str, Any]]


@dataclass(frozen=True)
class IdempotentResult:
    """The response to give: the write's own, or the first one again when `replayed`."""

    status: int
    body: dict[str, Any]
    replayed: bool


def check_idempotency_key(key: str | None) -> str | None:
    """None for no key (the write then simply runs); a malformed key is refused (400)."""
    if key is None or key == "":
        return None
    if not KEY_RE.match(key):
        raise CoreError.INVALID_IDEMPOTENCY_KEY.error()
    return key


def idempotency_scope(actor: Actor) -> str:
    """Whose keys these are: a resident's (a guardian's keys are theirs, whoever they act for),
    a staff member's or an integration token's. Anyone else has no keys."""
    if actor.kind == ActorKind.RESIDENT and actor.person_id is not None:
        return f"person:{actor.person_id}"
    if actor.kind == ActorKind.STAFF and actor.staff_id is not None:
        return f"staff:{actor.staff_id}"
    if actor.kind == ActorKind.INTEGRATION and actor.token_id is not None:
        return f"integration:{actor.token_id}"
    raise CoreError.INVALID_IDEMPOTENCY_KEY.error()


def request_fingerprint(operation: str, payload: Any) -> str:
    """What the request asked for: the operation and its content, so a key reused for anything else is caught."""
    return hashlib.sha256(
        json.dumps({"operation": operation, "payload": payload}, sort_keys=True, default=str).encode()
    ).hexdigest()


@dataclass
class _Carrier:
    """Statements waiting to run in the idempotency record's INSERT (carry_with_record)."""

    using: str
    savepoints: tuple[str, ...] = ()
    statements: list[tuple[str, list[Any]]] = field(default_factory=list)


_CARRIER: ContextVar[_Carrier | None] = ContextVar("vardnav_idempotency_carrier", default=None)


def _savepoints(using: str) -> tuple[str, ...]:
    """The savepoints open on the connection (a nested atomic block without one adds None)."""
    return tuple(sid for sid in connections[using].savepoint_ids if sid)


def carry_with_record(clauses: Sequence[str], params: Sequence[Any], *, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Run data-modifying statements as part of the write's idempotency record INSERT.

    Why: the record is the last statement of every keyed API write, and the write's own
    last statement (its audit entry) can ride along in it as WITH clauses instead of a
    round trip of its own (issue 13). Each of `clauses` is a clause's body, e.g.
    `INSERT INTO … RETURNING …`; a clause names the result of an earlier one of the same
    call as `{0}`, `{1}`…; `params` are all their parameters, in order.

    Only inside run_idempotent's `perform`, on PostgreSQL (SQLite has no data-modifying
    WITH), and in the savepoint the write began in: a statement carried from a savepoint
    that could roll back alone would outlive it. False means not carried; the caller runs
    the statements itself. A caller whose next statement must follow carried ones calls
    run_carried first.
    """
    carrier = _CARRIER.get()
    if carrier is None or carrier.using != using or connections[using].vendor != "postgresql":
        return False
    if not connections[using].in_atomic_block or _savepoints(using) != carrier.savepoints:
        return False
    first = len(carrier.statements)
    names = [f"carried_{first + n}" for n in range(len(clauses))]
    for n, clause in enumerate(clauses):
        for earlier, name in enumerate(names[:n]):
            clause = clause.replace(f"{{{earlier}}}", name)
        carrier.statements.append((clause, list(params) if n == 0 else []))
    return True


def has_carried(using: str = DEFAULT_DB_ALIAS) -> bool:
    carrier = _CARRIER.get()
    return carrier is not None and carrier.using == using and bool(carrier.statements)


def run_carried(using: str = DEFAULT_DB_ALIAS) -> None:
    """Run the carried statements now, in one statement: for a caller whose next statement must
    follow them (a second audit entry after one carried). Only in the savepoint they were
    carried from; elsewhere a rollback of the inner savepoint would undo them with it, so
    that is refused as the programming error it is."""
    carrier = _CARRIER.get()
    if carrier is None or carrier.using != using or not carrier.statements:
        return
    if _savepoints(using) != carrier.savepoints:
        raise RuntimeError("a statement carried with the idempotency record would run in a savepoint of its own")
    sql, params = _with_clauses(carrier.statements)
    carrier.statements.clear()
    with connections[using].cursor() as cursor:
        cursor.execute(sql + "SELECT 1", params)


def _with_clauses(statements: list[tuple[str, list[Any]]]) -> tuple[str, list[Any]]:
    """`WITH carried_0 AS (…), carried_1 AS (…) ` and their parameters, in order."""
    if not statements:
        return "", []
    clauses = ", ".join(f"carried_{n} AS ({sql})" for n, (sql, _) in enumerate(statements))
    return f"WITH {clauses} ", [param for _, params in statements for param in params]


def run_idempotent(
    actor: Actor,
    key: str | None,
    operation: str,
    payload: Any,
    perform: Callable[[], Outcome],
    *,
    rerun_safe: bool = False,
) -> IdempotentResult:
    """Run `perform` at most once per (actor, key) and return its response, or the first one again.

    `operation` names the write ("cases.submit"); `payload` is what the request
    asked for (the parsed body, ids, file digests), compared on a repeat.
    `perform` runs inside the transaction and returns (status, body) to remember;
    its DomainError rolls everything back and stores nothing.

    `rerun_safe=True` is for a `perform` whose every effect is in this database
    transaction (a `do_*` action; no payment call, no file written): the record
    is then not looked up first. The write runs, and its record is inserted at
    the end; a repeat of a committed key fails that insert on the unique
    constraint (or the write itself refuses, e.g. a duplicate), everything it did
    is rolled back, and the first response is replayed. One statement less on
    every first request (the hot API writes, docs/benchmarks.md) at the price of
    running a repeated write once more to roll it back. Exactly-once is the same:
    the record and the change commit together or not at all.

    The write's last statement may ride in the record's INSERT (carry_with_record:
    the submission's audit entry on PostgreSQL), so a keyed write costs one round trip
    less; it commits or fails with the record, as any of its statements does.
    """
    key = check_idempotency_key(key)
    if key is None:
        with transaction.atomic():
            status, body = perform()
        return IdempotentResult(status, body, replayed=False)
    scope = idempotency_scope(actor)
    fingerprint = request_fingerprint(operation, payload)
    if not rerun_safe:
        existing = _find(scope, key)
        if existing is not None:
            return _replay(existing, fingerprint)
    carrier = _Carrier(DEFAULT_DB_ALIAS)
    try:
        with transaction.atomic():
            carrier.savepoints = _savepoints(DEFAULT_DB_ALIAS)
            token = _CARRIER.set(carrier)
            try:
                status, body = perform()
            finally:
                _CARRIER.reset(token)
            _insert(scope, key, fingerprint, status, body, carried=carrier.statements)
    except (IntegrityError, DomainError):
        # A concurrent request with the same key committed first (or, rerun_safe, an earlier one did and
        # this repeat ran again): answer as it did. A refusal with no record is the write's own.
        existing = _find(scope, key)
        if existing is None:
            raise
        return _replay(existing, fingerprint)
    return IdempotentResult(status, body, replayed=False)


def _find(scope: str, key: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(scope=scope, key=key).first()


# The record's INSERT, built once from the model's metadata (no input in it): plain SQL because every
# API write runs it and compiling the ORM's insert costs more than executing it.
_RECORD_FIELDS = [field for field in IdempotencyRecord._meta.concrete_fields if not field.primary_key]
_INSERT_SQL = (
    f"INSERT INTO {IdempotencyRecord._meta.db_table} ({', '.join(str(f.column) for f in _RECORD_FIELDS)}) "  # noqa: S608 - model metadata
    f"VALUES ({', '.join(['%s'] * len(_RECORD_FIELDS))})"
)


def _insert(
    scope: str, key: str, fingerprint: str, status: int, body: dict[str, Any], *, carried: list[tuple[str, list[Any]]]
) -> None:
    """Insert the record, with the statements the write carried (carry_with_record) as WITH clauses."""
    record = IdempotencyRecord(
        scope=scope,
        key=key,
        request_hash=fingerprint,
        response_status=status,
        response_body=body,
        created_at=clock.now(),
    )
    connection = connections[DEFAULT_DB_ALIAS]
    values = [field.get_db_prep_save(getattr(record, field.attname), connection) for field in _RECORD_FIELDS]
    clauses, params = _with_clauses(carried)
    with connection.cursor() as cursor:
        cursor.execute(clauses + _INSERT_SQL, [*params, *values])


def _replay(record: IdempotencyRecord, fingerprint: str) -> IdempotentResult:
    if record.request_hash != fingerprint:
        raise CoreError.IDEMPOTENCY_KEY_REUSED.error()
    return IdempotentResult(record.response_status, record.response_body, replayed=True)


def prune_idempotency_records() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=clock.now() - RETENTION).delete()
    return deleted
