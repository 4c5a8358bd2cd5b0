"""`manage.py select_log_reviews [--day YYYY-MM-DD] [--enqueue]`: the nightly log-review selection (HSLF-FS 2016:40).

Selects, for every provider, the day's staff reads the reviewer looks at
(default: yesterday, Swedish date). Run it nightly from cron, or hand it to the
task worker with --enqueue.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vardnav.records.actions import do_select_daily_log_reviews
from vardnav.records.tasks import select_daily_log_reviews


class Command(BaseCommand):
    help = "Select the day's staff reads for each provider's log reviewer."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="The day (YYYY-MM-DD); default yesterday")
        parser.add_argument("--enqueue", action="store_true", help="Enqueue the selection as a task instead")

    def handle(self, *args: Any, day: str | None = None, enqueue: bool = False, **options: Any) -> None:
        if enqueue:
            select_daily_log_reviews.enqueue()
            self.stdout.write("Enqueued select_daily_log_reviews.")
            return
        try:
            chosen = dt.date.fromisoformat(day) if day else None
        except ValueError:
            raise CommandError("--day must be YYYY-MM-DD") from None
        self.stdout.write(f"Providers selected: {do_select_daily_log_reviews(chosen)}.")
