"""`manage.py run_billing [--every SECONDS]`: the scheduled billing run (FEE-4, FEE-8).

Issues the invoice of every closed, charged case that has none (whenever it closed, so a run after
downtime catches up), sends reminders for invoices past their due date and hands invoices still
unpaid after the reminder to collection. Idempotent and safe to run on several machines at once.
`make run` starts it every five minutes through rundemo (well within FEE-4's 24 hours); in
production run it from cron or as a long-running process with --every.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from vardnav.billing.invoicing import run_billing


class Command(BaseCommand):
    help = "Issue invoices for closed cases, send reminders and hand unpaid invoices to collection."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (0: run once)")

    def handle(self, *args: Any, every: int = 0, **options: Any) -> None:
        while True:
            invoiced, reminded, collected = run_billing()
            self.stdout.write(f"Invoices issued: {invoiced}; reminders: {reminded}; to collection: {collected}.")
            if every <= 0:
                return
            close_old_connections()
            time.sleep(every)
