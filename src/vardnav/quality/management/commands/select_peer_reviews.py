"""`manage.py select_peer_reviews [--day YYYY-MM-DD] [--every SECONDS] [--enqueue]`: the daily peer-review pick (QA-1).

Picks, for every care provider, every 20th case closed the day before, in closing order, and catches up the days
missed since its last run. Run it nightly from cron, as a loop with --every (`rundemo` does), or hand it to the
task worker with --enqueue. Running it again the same day picks nothing twice.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from vardnav.organizations.models import CareProvider
from vardnav.quality.actions import do_select_daily_peer_reviews, do_select_peer_reviews
from vardnav.quality.tasks import select_daily_peer_reviews


class Command(BaseCommand):
    help = "Pick every 20th case closed the day before for peer review, per care provider."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="Select this one day (YYYY-MM-DD) for every provider")
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (0: run once)")
        parser.add_argument("--enqueue", action="store_true", help="Enqueue the selection as a task instead")

    def handle(self, *args: Any, day: str | None = None, every: int = 0, enqueue: bool = False, **options: Any) -> None:
        if enqueue:
            select_daily_peer_reviews.enqueue()
            self.stdout.write("Enqueued select_daily_peer_reviews.")
            return
        if day:
            try:
                chosen = dt.date.fromisoformat(day)
            except ValueError:
                raise CommandError("--day must be YYYY-MM-DD") from None
            picked = sum(do_select_peer_reviews(p, chosen).picks.count() for p in CareProvider.objects.order_by("pk"))
            self.stdout.write(f"Kvalitetsgranskning {chosen}: {picked} ärenden.")
            return
        while True:
            self.stdout.write(f"Kvalitetsgranskning, valda dagar: {do_select_daily_peer_reviews()}")
            if not every:
                return
            close_old_connections()
            time.sleep(every)
