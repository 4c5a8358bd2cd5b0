"""`manage.py export_national_summary [--enqueue]`: the national-summary export (REC-3), hourly from cron.

Runs the export here, or with --enqueue hands one run to the task worker.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vardnav.records.tasks import export_national_summary


class Command(BaseCommand):
    help = "Send summaries to the national summary (sammanhållen journalföring) and withdraw what may not be there."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Enqueue the export as a task instead")

    def handle(self, *args: Any, enqueue: bool = False, **options: Any) -> None:
        if enqueue:
            export_national_summary.enqueue()
            self.stdout.write("Enqueued export_national_summary.")
            return
        totals = export_national_summary.call()
        self.stdout.write(
            f"Published: {totals['published']}; withheld: {totals['withheld']}; withdrawn: {totals['withdrawn']}."
        )
