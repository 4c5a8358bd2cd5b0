"""`manage.py send_home_measurement_reminders [--every SECONDS]`: the home measurement sweep (QA-5).

Residents with an empty slot today get one in-app reminder a day (from 18:00 Swedish time), and the
practitioners of a period that has passed its last day hear of it once. Run it hourly from cron, or with
--every as a long-running loop (`rundemo` does); running it again sends nothing twice.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from vardnav.labs.actions import do_notify_ended_periods, do_send_measurement_reminders


class Command(BaseCommand):
    help = "Remind residents of today's home measurement and tell practitioners of periods that have ended."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (0: run once)")

    def handle(self, *args: Any, every: int = 0, **options: Any) -> None:
        while True:
            reminded = do_send_measurement_reminders()
            ended = do_notify_ended_periods()
            self.stdout.write(f"Påminnelser om hemmamätning: {reminded}; avslutade perioder: {ended}")
            if not every:
                return
            close_old_connections()
            time.sleep(every)
