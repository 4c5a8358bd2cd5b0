"""The audit log: append-only, hash-chained entries about who did what to whom.

Why it knows no domain: entries hold ids and type names as plain values, never
foreign keys, so retention may delete a case (or a person) without touching the
log, and the log can be read by the resident long after the object is gone
(PDL 8 kap. 5 §, HSLF-FS 2016:40 4 kap.). See docs/decisions/0002-audit-chain.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

from django.db import models


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove an audit entry.

    A programming error, not a user mistake: no code path may ever do this, so it
    is not a DomainError and is never shown to a user.
    """

    def __init__(self, what: str = "audit entries are append-only") -> None:
        super().__init__(what)


class AppendOnlyQuerySet(models.QuerySet["AuditEntry"]):
    """Refuses bulk changes, which would bypass Model.save()/delete()."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("audit entries cannot be updated")

    def delete(self) -> NoReturn:
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        raise AuditLogIsAppendOnly("audit entries cannot be updated")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("audit entries cannot be updated")

    # bulk_create would skip the chain (do_record); refuse it so no unchained entry exists.
    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("audit entries are written one at a time by do_record")


AppendOnlyManager = models.Manager.from_queryset(AppendOnlyQuerySet)


GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    """One thing that happened, recorded by audit.actions.do_record.

    `action` holds an audit.events.AuditEvent value.

    Chain fields: entries form AUDIT_CHAIN_SHARDS independent chains; in each,
    `seq` runs 1, 2, 3 … without gaps and `hash` = SHA-256(prev_hash ‖ canonical
    JSON of this entry), so a changed, removed or inserted entry is detectable by
    `manage.py audit_verify`.
    """

    occurred_at = models.DateTimeField()
    actor_kind = models.CharField(max_length=20)
    actor_person_id = models.BigIntegerField(null=True, blank=True)
    acting_for_person_id = models.BigIntegerField(null=True, blank=True)
    actor_staff_id = models.BigIntegerField(null=True, blank=True)
    # The Django user of a platform superuser acting in the admin (actor_kind "superuser").
    actor_user_id = models.BigIntegerField(null=True, blank=True)
    role = models.CharField(max_length=40, blank=True, default="")
    unit_id = models.BigIntegerField(null=True, blank=True)
    provider_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    subject_person_id = models.BigIntegerField(null=True, blank=True)
    purpose = models.CharField(max_length=200, blank=True, default="")
    request_id = models.CharField(max_length=64, blank=True, default="")
    # Structured detail such as {"changed": {"field": [old, new]}}; never personal or health data.
    # Null (not {}) when absent: the chain covers it only when present, so entries
    # written before the column existed still verify.
    extra = models.JSONField(null=True, blank=True)
    # Chain
    shard = models.PositiveSmallIntegerField()
    seq = models.BigIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyManager()

    class Meta:
        verbose_name = "loggpost"
        verbose_name_plural = "loggposter"
        constraints = [
            models.UniqueConstraint(fields=["shard", "seq"], name="audit_entry_unique_shard_seq"),
        ]
        indexes = [
            # The resident's log extract: one subject, newest first, keyset on (occurred_at, id).
            # Partial: only staff entries, exactly the rows the extract reads, so a resident
            # with many actions of their own cannot make their extract scan past them.
            models.Index(
                fields=["subject_person_id", "-occurred_at", "-id"],
                condition=models.Q(actor_kind="staff"),
                name="audit_subject_time_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"AuditEntry {self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("audit entries cannot be updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")

    def chain_payload(self) -> dict[str, Any]:
        """The fields the hash covers: everything but the database id and the hashes themselves.

        `extra` and `actor_user_id` are left out when null rather than hashed as
        null, so the payload of every entry written before they existed is unchanged.
        """
        payload = {
            "occurred_at": self.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor_kind": self.actor_kind,
            "actor_person_id": self.actor_person_id,
            "acting_for_person_id": self.acting_for_person_id,
            "actor_staff_id": self.actor_staff_id,
            "role": self.role,
            "unit_id": self.unit_id,
            "provider_id": self.provider_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "subject_person_id": self.subject_person_id,
            "purpose": self.purpose,
            "request_id": self.request_id,
            "shard": self.shard,
            "seq": self.seq,
        }
        if self.extra is not None:
            payload["extra"] = self.extra
        if self.actor_user_id is not None:
            payload["actor_user_id"] = self.actor_user_id
        return payload


class AuditChainHead(models.Model):
    """The last entry of one chain shard: writers lock this row, not a global one.

    Updated in the same transaction as the entry it points at, so head and tail
    can only disagree if someone removed entries behind the application's back.
    """

    shard = models.PositiveSmallIntegerField(primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = "kedjehuvud"
        verbose_name_plural = "kedjehuvuden"

    def __str__(self) -> str:
        return f"Chain shard {self.shard} at {self.seq}"
