"""Cross-cutting tables: idempotency records for retried POSTs."""

from __future__ import annotations

from django.db import models


class IdempotencyRecord(models.Model):
    """The first response to a POST carrying an Idempotency-Key, replayed on retries.

    Scoped to the caller (`scope`, e.g. "person:12"), so two users can never see
    each other's responses. `request_hash` detects a key reused with different
    content (an error, as in Stripe's design). Inserted in the same transaction
    as the change it records, so a crash leaves either both or neither.
    """

    scope = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="unique_idempotency_key_per_scope")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
