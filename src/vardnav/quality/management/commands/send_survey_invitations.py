"""`manage.py send_survey_invitations [--every SECONDS]`: invite residents to a survey after each visit (QA-2).

Run it from cron, or with --every as a long-running loop (`make run` starts it). Each visit is invited once.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from vardnav.quality.survey_tasks import send_survey_invitations


class Command(BaseCommand):
    help = "Invite residents to a survey about each visit that took place."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (0: run once)")

    def handle(self, *args: Any, every: int = 0, **options: Any) -> None:
        while True:
            self.stdout.write(f"Enkätinbjudningar: {send_survey_invitations()}")
            if not every:
                return
            close_old_connections()
            time.sleep(every)
