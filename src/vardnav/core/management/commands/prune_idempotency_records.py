"""Remove remembered responses to idempotent requests once no client can still be retrying them.

Run daily (cron or the scheduler). Why: every write sent with a key (a web
form's one-time key, an Idempotency-Key header) leaves a row in
core_idempotencyrecord; after `core.idempotency.RETENTION` (two days) a retry is
no longer a retry, and the rows would otherwise grow without end.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vardnav.core.idempotency import RETENTION, prune_idempotency_records


class Command(BaseCommand):
    help = "Remove idempotency records older than the retention window (two days)."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = prune_idempotency_records()
        self.stdout.write(f"removed {removed} idempotency records older than {RETENTION.days} days")
