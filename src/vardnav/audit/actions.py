"""Writing the audit log: the only code that creates AuditEntry rows.

Why here: every do_* elsewhere calls do_record inside its own transaction, so the
entry commits or rolls back together with the change it describes. The entry is
appended to one of AUDIT_CHAIN_SHARDS hash chains; see
docs/decisions/0002-audit-chain.md for why several chains and not one.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

from vardnav.audit.errors import AuditError
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditChainHead, AuditEntry
from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.idempotency import carry_with_record, has_carried, run_carried
from vardnav.core.logging import request_id_var

PURPOSE_MAX_LENGTH = cast(int, AuditEntry._meta.get_field("purpose").max_length)
OBJECT_ID_MAX_LENGTH = cast(int, AuditEntry._meta.get_field("object_id").max_length)


def shard_count() -> int:
    return int(getattr(settings, "AUDIT_CHAIN_SHARDS", 16))


def chain_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    """SHA-256 over the predecessor's hash and the entry's canonical JSON.

    Canonical = sorted keys, no whitespace, ASCII only: the same entry hashes the
    same on every machine and both databases, which audit_verify relies on.
    """
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(prev_hash.encode("ascii") + canonical.encode("ascii")).hexdigest()


def check_purpose(purpose: str) -> str:
    """The stated purpose of an access; staff may type it, so it gets a Swedish refusal."""
    purpose = (purpose or "").strip()
    if len(purpose) > PURPOSE_MAX_LENGTH:
        raise AuditError.PURPOSE_TOO_LONG.error(field="purpose", limit=PURPOSE_MAX_LENGTH)
    return purpose


class _ShardChoice:
    """A no-op on_commit hook that marks which shard this transaction writes to.

    Why: one transaction must append all its entries to the same shard, or two
    transactions could each hold one head and wait for the other's (a deadlock).
    Django drops on_commit hooks when the transaction (or the savepoint that
    registered it) rolls back, which is exactly when the head lock is released,
    so the hook's presence means "this transaction already holds that head".
    """

    __slots__ = ("shard",)

    def __init__(self, shard: int) -> None:
        self.shard = shard

    def __call__(self) -> None:
        return None


def _shard_for_transaction(using: str) -> int:
    connection = connections[using]
    # Django keeps (savepoint ids, func, robust) triples; django-stubs still declares pairs.
    for entry in connection.run_on_commit:
        func = entry[1]
        if isinstance(func, _ShardChoice):
            return func.shard
    # Random, not hashed from anything: writers spread evenly over the heads.
    shard = secrets.randbelow(shard_count())
    transaction.on_commit(_ShardChoice(shard), using=using)
    return shard


# The append's SQL, built once from the models' metadata (table and column names, no input).
_ENTRY_FIELDS = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]
_HEAD_TABLE = AuditChainHead._meta.db_table
_HEAD_SQL = f"SELECT seq, hash FROM {_HEAD_TABLE} WHERE shard = %s"  # noqa: S608 - model metadata
_ENTRY_COLUMNS = ", ".join(str(field.column) for field in _ENTRY_FIELDS)
_ENTRY_MARKS = ", ".join(["%s"] * len(_ENTRY_FIELDS))
_INSERT_SQL = f"INSERT INTO {AuditEntry._meta.db_table} ({_ENTRY_COLUMNS}) VALUES ({_ENTRY_MARKS})"  # noqa: S608 - model metadata
_APPEND_PG_SQL = f"WITH appended AS ({_INSERT_SQL} RETURNING id, seq, hash) UPDATE {_HEAD_TABLE} AS head SET seq = appended.seq, hash = appended.hash FROM appended WHERE head.shard = %s RETURNING appended.id"  # noqa: S608 - model metadata
# The same append as two WITH clauses carried in the idempotency record's INSERT (core.idempotency).
_CARRIED_APPEND = (
    f"{_INSERT_SQL} RETURNING seq, hash",
    f"UPDATE {_HEAD_TABLE} AS head SET seq = {{0}}.seq, hash = {{0}}.hash FROM {{0}} WHERE head.shard = %s",  # noqa: S608 - model metadata
)
_MOVE_HEAD_SQL = f"UPDATE {_HEAD_TABLE} SET seq = %s, hash = %s WHERE shard = %s"  # noqa: S608 - model metadata


def _lock_head(shard: int, using: str) -> tuple[int, str]:
    """(seq, hash) of the shard's chain head, locked until the transaction ends.

    Plain SQL, not the ORM: every audited request runs this, and building the
    query costs more than running it. SQLite needs no row lock: its IMMEDIATE
    transactions already hold the one write lock.
    """
    sql = _HEAD_SQL + (" FOR UPDATE" if connections[using].vendor == "postgresql" else "")
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [shard])
        row = cursor.fetchone()
        if row is None:
            # First entry ever on this shard: concurrent creators conflict harmlessly.
            AuditChainHead.objects.using(using).bulk_create([AuditChainHead(shard=shard)], ignore_conflicts=True)
            cursor.execute(sql, [shard])
            row = cursor.fetchone()
    return int(row[0]), str(row[1])


def _append(entry: AuditEntry, using: str, *, last: bool = False) -> None:
    """Insert the entry and move its shard's head to it: one statement on PostgreSQL.

    Why not `entry.save()` and a queryset update: two round trips and two ORM
    compilations on every audited request (docs/benchmarks.md). The columns and
    their database values still come from the model's fields, so a new field
    needs nothing here.

    `last`: see do_record; when the statement is carried with the idempotency
    record, the entry keeps pk None (it is written when the record is).
    """
    connection = connections[using]
    values = [field.get_db_prep_save(getattr(entry, field.attname), connection) for field in _ENTRY_FIELDS]
    if last and carry_with_record(_CARRIED_APPEND, [*values, entry.shard], using=using):
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_APPEND_PG_SQL, [*values, entry.shard])
            entry.pk = cursor.fetchone()[0]
        else:
            cursor.execute(_INSERT_SQL + " RETURNING id", values)
            entry.pk = cursor.fetchone()[0]
            cursor.execute(_MOVE_HEAD_SQL, [entry.seq, entry.hash, entry.shard])
    entry._state.adding = False
    entry._state.db = using


def _check_extra(extra: dict[str, Any] | None) -> dict[str, Any] | None:
    """The extra detail as it will read back from either database, or a ValueError.

    Why the round trip through JSON: the hash is computed now and checked later
    on what the database returns, so they must be the same value (tuples become
    lists, keys become strings). Floats are refused because PostgreSQL's jsonb
    may return a large float as an integer, which would hash differently.
    """
    if extra is None:
        return None
    if not isinstance(extra, dict):
        raise ValueError("extra must be a dict")
    try:
        normalised = json.loads(json.dumps(extra, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"extra is not JSON-serialisable: {exc}") from None
    if _holds_float(normalised):
        raise ValueError("extra may not hold floats; record them as strings")
    return cast(dict[str, Any], normalised)


def _holds_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_holds_float(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_float(item) for item in value)
    return False


def _object_reference(obj: models.Model | None, object_type: str | None, object_id: Any) -> tuple[str, str]:
    """(object_type, object_id) from a model instance, or the explicit pair for an object that is gone."""
    if obj is not None:
        if object_type is not None or object_id is not None:
            raise ValueError("give either obj or object_type and object_id, not both")
        if obj.pk is None:
            raise ValueError("obj has no primary key; record it after it is saved")
        object_type, object_id = obj._meta.label_lower, obj.pk
    if not object_type:
        raise ValueError("an audit entry needs obj or an object_type")
    object_id = "" if object_id is None else str(object_id)
    if len(object_id) > OBJECT_ID_MAX_LENGTH:
        raise ValueError(f"object_id longer than {OBJECT_ID_MAX_LENGTH} characters")
    return object_type, object_id


def do_record(
    actor: Actor,
    event: AuditEvent,
    obj: models.Model | None = None,
    *,
    object_type: str | None = None,
    object_id: Any = None,
    subject_person_id: int | None = None,
    unit_id: int | None = None,
    purpose: str = "",
    extra: dict[str, Any] | None = None,
    last: bool = False,
) -> AuditEntry:
    """Append one entry to the audit log, inside the caller's transaction.

    The object is `obj`, stored as its model label ("cases.case") and primary
    key; `object_type` and `object_id` are for an object that is gone (deleted
    in the same transaction) or not a model row. No permission check: recording
    is never refused, whoever the actor is; what is refused is the action
    itself, before it gets here. `unit_id` defaults to the actor's unit (the
    unit whose staff acted, which the log extract shows).

    `extra` is optional structured detail, e.g. `{"changed": {"field": [old, new]}}`
    (see `changed_values`). It is kept for as long as the log and shown to
    operators, so it must never hold health data, names, personal numbers or
    contact details: ids, settings and codes only. Values that are not
    JSON-serialisable (or floats) are refused with a ValueError; an event that
    is not an AuditEvent member with a TypeError.

    `last=True` says this is the write's last statement: inside run_idempotent on
    PostgreSQL the entry is then written in the idempotency record's INSERT
    (core.idempotency.carry_with_record), one round trip less, and the returned
    entry has no pk. It is in the chain all the same: an entry recorded after it
    in the transaction first writes it (run_carried).
    """
    if not isinstance(event, AuditEvent):
        raise TypeError(f"{event!r} is not an AuditEvent; add it to audit/events.py with a label")
    object_type, object_id = _object_reference(obj, object_type, object_id)
    purpose = check_purpose(purpose)
    extra = _check_extra(extra)
    using = DEFAULT_DB_ALIAS
    request_id = request_id_var.get()
    with transaction.atomic(using=using, savepoint=False):
        if has_carried(using):
            run_carried(using)  # an entry carried earlier in the transaction: the chain's order first
        shard = _shard_for_transaction(using)
        head_seq, head_hash = _lock_head(shard, using)
        entry = AuditEntry(
            occurred_at=clock.now(),
            actor_kind=str(actor.kind),
            actor_person_id=actor.person_id,
            acting_for_person_id=actor.acting_for_id,
            actor_staff_id=actor.staff_id,
            actor_user_id=actor.user_id if actor.kind == ActorKind.SUPERUSER else None,
            role=actor.role or "",
            unit_id=unit_id if unit_id is not None else actor.unit_id,
            provider_id=actor.provider_id,
            action=event.value,
            object_type=object_type,
            object_id=object_id,
            subject_person_id=subject_person_id,
            purpose=purpose,
            request_id="" if request_id == "-" else request_id[:64],
            extra=extra,
            shard=shard,
            seq=head_seq + 1,
            prev_hash=head_hash,
        )
        entry.hash = chain_hash(entry.prev_hash, entry.chain_payload())
        _append(entry, using, last=last)
    return entry


def changed_values(
    instance: models.Model, changes: Mapping[str, Any], *, without_values: Iterable[str] = ()
) -> dict[str, Any]:
    """The `extra` of an update, computed before the changes are applied to `instance`.

    `{"changed": {field: [old, new]}}` for every field whose value really
    changes. Fields in `without_values` (names, personal or contact details) are
    listed by name only, under "changed_without_values", so the log says that
    they changed without keeping what they were.
    """
    hidden = set(without_values)
    changed: dict[str, Any] = {}
    named: list[str] = []
    for field, new in sorted(changes.items()):
        old = getattr(instance, field)
        if old == new:
            continue
        if field in hidden:
            named.append(field)
        else:
            changed[field] = [old, new]
    extra: dict[str, Any] = {"changed": changed}
    if named:
        extra["changed_without_values"] = named
    return extra


def record_staff_read(
    actor: Actor,
    obj: models.Model | None = None,
    *,
    subject_person_id: int,
    purpose: str,
    object_type: str | None = None,
    object_id: Any = None,
) -> AuditEntry:
    """Log a staff member's read of a resident's personal or health data (REC-1).

    Call it in the same transaction as the read's other effects (if any), right
    where the data is fetched, so no read escapes the log.
    """
    if not actor.is_staff:
        raise ValueError("record_staff_read is for staff actors")
    if subject_person_id is None:
        raise ValueError("a staff read must name the resident whose data was read")
    return do_record(
        actor,
        AuditEvent.READ,
        obj,
        object_type=object_type,
        object_id=object_id,
        subject_person_id=subject_person_id,
        purpose=purpose,
    )
