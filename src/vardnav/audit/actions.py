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
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from vardnav.audit.models import AuditAction, AuditChainHead, AuditEntry
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError
from vardnav.core.logging import request_id_var

PURPOSE_MAX_LENGTH = AuditEntry._meta.get_field("purpose").max_length
OBJECT_ID_MAX_LENGTH = AuditEntry._meta.get_field("object_id").max_length


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
        raise DomainError(
            code="audit-purpose-too-long",
            message=f"Syftet får vara högst {PURPOSE_MAX_LENGTH} tecken.",
            field="purpose",
        )
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
    for _sids, func, _robust in connection.run_on_commit:
        if isinstance(func, _ShardChoice):
            return func.shard
    # Random, not hashed from anything: writers spread evenly over the heads.
    shard = secrets.randbelow(shard_count())
    transaction.on_commit(_ShardChoice(shard), using=using)
    return shard


def _lock_head(shard: int, using: str) -> AuditChainHead:
    heads = AuditChainHead.objects.using(using).select_for_update()
    try:
        return heads.get(shard=shard)
    except AuditChainHead.DoesNotExist:
        # First entry ever on this shard: concurrent creators conflict harmlessly.
        AuditChainHead.objects.using(using).bulk_create([AuditChainHead(shard=shard)], ignore_conflicts=True)
        return heads.get(shard=shard)


def do_record(
    actor: Actor,
    action: str,
    *,
    object_type: str,
    object_id: Any,
    subject_person_id: int | None = None,
    unit_id: int | None = None,
    purpose: str = "",
) -> AuditEntry:
    """Append one entry to the audit log, inside the caller's transaction.

    No permission check: recording is never refused, whoever the actor is; what
    is refused is the action itself, before it gets here. `unit_id` defaults to
    the actor's unit (the unit whose staff acted, which the log extract shows).
    """
    if not action or not object_type:
        raise ValueError("an audit entry needs an action and an object_type")
    object_id = "" if object_id is None else str(object_id)
    if len(object_id) > OBJECT_ID_MAX_LENGTH:
        raise ValueError(f"object_id longer than {OBJECT_ID_MAX_LENGTH} characters")
    purpose = check_purpose(purpose)
    using = DEFAULT_DB_ALIAS
    request_id = request_id_var.get()
    with transaction.atomic(using=using, savepoint=False):
        shard = _shard_for_transaction(using)
        head = _lock_head(shard, using)
        entry = AuditEntry(
            occurred_at=clock.now(),
            actor_kind=str(actor.kind),
            actor_person_id=actor.person_id,
            acting_for_person_id=actor.acting_for_id,
            actor_staff_id=actor.staff_id,
            role=actor.role or "",
            unit_id=unit_id if unit_id is not None else actor.unit_id,
            provider_id=actor.provider_id,
            action=str(action),
            object_type=object_type,
            object_id=object_id,
            subject_person_id=subject_person_id,
            purpose=purpose,
            request_id="" if request_id == "-" else request_id[:64],
            shard=shard,
            seq=head.seq + 1,
            prev_hash=head.hash,
        )
        entry.hash = chain_hash(entry.prev_hash, entry.chain_payload())
        entry.save(using=using)
        AuditChainHead.objects.using(using).filter(shard=shard).update(seq=entry.seq, hash=entry.hash)
    return entry


def record_staff_read(
    actor: Actor, *, subject_person_id: int, object_type: str, object_id: Any, purpose: str
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
        AuditAction.READ,
        object_type=object_type,
        object_id=object_id,
        subject_person_id=subject_person_id,
        purpose=purpose,
    )
