"""Idempotency keys for POSTs that create things (cases, messages).

Why: a resident on a flaky mobile connection retries; a double click submits
twice; a client retries after our process was killed mid-response. The same key
with the same content returns the first response and creates nothing new; the
same key with different content is an error (409). The record is written in the
transaction of the change itself, so "acknowledged" and "exists" can't diverge.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from vardnav.core import clock
from vardnav.core.errors import CoreError
from vardnav.core.models import IdempotencyRecord

KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{8,255}$")
RETENTION = dt.timedelta(days=2)


def check_idempotency_key(key: str | None) -> str | None:
    if key is None or key == "":
        return None
    if not KEY_RE.match(key):
        raise CoreError.INVALID_IDEMPOTENCY_KEY.error()
    return key


def request_fingerprint(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def run_idempotent(
    *, scope: str, key: str | None, payload: Any, perform: Callable[[], tuple[int, dict[str, Any]]]
) -> tuple[int, dict[str, Any], bool]:
    """Run `perform` once per (scope, key); returns (status, body, replayed).

    `perform` runs inside the transaction and returns the response to remember.
    A DomainError from `perform` rolls everything back and stores nothing, so a
    corrected retry with the same key can still succeed.
    """
    if key is None:
        with transaction.atomic():
            status, body = perform()
        return status, body, False
    fingerprint = request_fingerprint(payload)
    existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
    if existing is not None:
        return _replay(existing, fingerprint)
    try:
        with transaction.atomic():
            status, body = perform()
            IdempotencyRecord.objects.create(
                scope=scope,
                key=key,
                request_hash=fingerprint,
                response_status=status,
                response_body=body,
                created_at=clock.now(),
            )
    except IntegrityError:
        # A concurrent request with the same key committed first: answer as it did.
        existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if existing is None:
            raise
        return _replay(existing, fingerprint)
    return status, body, False


def _replay(record: IdempotencyRecord, fingerprint: str) -> tuple[int, dict[str, Any], bool]:
    if record.request_hash != fingerprint:
        raise CoreError.IDEMPOTENCY_KEY_REUSED.error()
    return record.response_status, record.response_body, True


def prune_idempotency_records() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=clock.now() - RETENTION).delete()
    return deleted
