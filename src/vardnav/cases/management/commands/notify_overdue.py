"""`manage.py notify_overdue [--every SECONDS] [--enqueue]`: the periodic notice duties.

Tells staff about open cases past their deadline (CASE-2; each case once) and
gives lost outbox deliveries a new task (notifications' do_requeue_stale_messages). Run it from cron, or with --every as a
long-running loop (`make run` does that through rundemo); --enqueue hands one
run to the task worker instead of doing it here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from vardnav.cases.notices import do_notify_overdue
from vardnav.cases.tasks import notify_overdue_cases
from vardnav.notifications.outbox import do_requeue_stale_messages

BATCH = 500


def _until_done(action: Callable[..., int]) -> int:
    """Run a batch action until a batch comes back short, so a backlog is cleared in one run."""
    total = 0
    while True:
        done: int = action(limit=BATCH)
        total += done
        if done < BATCH:
            return total


class Command(BaseCommand):
    help = "Notify staff about overdue cases and requeue lost outbox deliveries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (0: run once)")
        parser.add_argument("--enqueue", action="store_true", help="Enqueue the work as a task instead")

    def handle(self, *args: Any, every: int = 0, enqueue: bool = False, **options: Any) -> None:
        while True:
            if enqueue:
                notify_overdue_cases.enqueue()
                self.stdout.write("Enqueued notify_overdue_cases.")
            else:
                overdue, requeued = _until_done(do_notify_overdue), _until_done(do_requeue_stale_messages)
                self.stdout.write(f"Overdue cases notified: {overdue}; deliveries requeued: {requeued}.")
            if every <= 0:
                return
            close_old_connections()
            time.sleep(every)
