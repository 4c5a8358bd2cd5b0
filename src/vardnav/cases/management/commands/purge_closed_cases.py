"""CASE-8: remove cases closed longer ago than their care provider's retention period, with messages and files.

Run daily (cron or the scheduler). `--dry-run` lists what would go and removes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vardnav.cases.retention import do_purge_closed_cases


class Command(BaseCommand):
    help = "Remove closed cases past their provider's retention period (CASE-8), with their messages and files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would be removed; remove nothing.")
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args: Any, dry_run: bool = False, batch_size: int = 200, **options: Any) -> None:
        result = do_purge_closed_cases(batch_size=max(1, batch_size), dry_run=dry_run)
        if dry_run:
            for number in result.cases:
                self.stdout.write(f"would remove {number}")
            self.stdout.write(
                f"dry run: {len(result.cases)} cases past their care provider's retention period "
                f"with {result.files} files would be removed"
            )
            return
        self.stdout.write(f"removed {len(result.cases)} cases past retention and {result.files} files")
