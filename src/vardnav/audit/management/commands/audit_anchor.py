"""`manage.py audit_anchor [--every SECONDS] [--enqueue]`: copy the chain heads outside the database.

Run it hourly from cron (or with --every as a loop); --enqueue hands one run to
the task worker. `audit_verify` then reports a chain rewritten behind the
application's back, and entries older than AUDIT_ANCHOR_MAX_AGE_MINUTES that no
anchor covers. See vardnav.audit.anchors.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from vardnav.audit.anchors import anchor_store, do_anchor_chain_heads
from vardnav.audit.tasks import anchor_audit_chains


class Command(BaseCommand):
    help = "Append every audit chain head to the anchor store (append-only file or S3 with object lock)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (0: run once)")
        parser.add_argument("--enqueue", action="store_true", help="Enqueue the work as a task instead")

    def handle(self, *args: Any, every: int = 0, enqueue: bool = False, **options: Any) -> None:
        while True:
            if enqueue:
                anchor_audit_chains.enqueue()
                self.stdout.write("Enqueued anchor_audit_chains.")
            else:
                store = anchor_store()
                record = do_anchor_chain_heads(store)
                self.stdout.write(f"Anchored {len(record.heads)} shard head(s) to {store.describe()}.")
            if every <= 0:
                return
            close_old_connections()
            time.sleep(every)
