"""`manage.py send_vaccination_reminders [--every SECONDS]`: remind people of vaccine doses that are due (VAC-2).

Run it daily from cron, or with --every as a long-running loop. Each dose is reminded once.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from vardnav.vaccinations.actions import do_send_vaccination_reminders


class Command(BaseCommand):
    help = "Send reminders for vaccine doses that are due soon."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (0: run once)")

    def handle(self, *args: Any, every: int = 0, **options: Any) -> None:
        while True:
            self.stdout.write(f"Vaccinationspåminnelser: {do_send_vaccination_reminders()}")
            if not every:
                return
            close_old_connections()
            time.sleep(every)
