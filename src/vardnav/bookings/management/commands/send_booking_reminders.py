"""`manage.py send_booking_reminders [--every SECONDS]`: remind residents of their booked visits.

It also passes waiting-list offers that were not taken in time on to the next in line.

Run it from cron, or with --every as a long-running loop (`make run` does that through rundemo).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from vardnav.bookings.actions import do_pass_on_offers
from vardnav.bookings.reminders import do_send_reminders

BATCH = 500


def _drain(sweep: Callable[..., int]) -> int:
    """Run a sweep in batches until a batch comes back short; returns how many it handled in all."""
    total = 0
    while True:
        done = sweep(limit=BATCH)
        total += done
        if done < BATCH:
            return total


class Command(BaseCommand):
    help = "Send the reminders that are due before booked visits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (0: run once)")

    def handle(self, *args: Any, every: int = 0, **options: Any) -> None:
        while True:
            total = _drain(do_send_reminders)
            passed_on = _drain(do_pass_on_offers)
            self.stdout.write(f"Påminnelser: {total}, erbjudanden vidare: {passed_on}")
            if not every:
                return
            close_old_connections()
            time.sleep(every)
