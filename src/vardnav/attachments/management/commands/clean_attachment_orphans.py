"""Remove uploaded files never sent and stored files no row refers to (run hourly or nightly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vardnav.attachments.actions import do_clean_orphans


class Command(BaseCommand):
    help = "Remove staged attachments older than ATTACHMENT_ORPHAN_HOURS and stored files without a row."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scan-days", type=int, default=7, help="How many days of date folders to scan.")

    def handle(self, *args: Any, scan_days: int = 7, **options: Any) -> None:
        result = do_clean_orphans(scan_days=max(0, scan_days))
        self.stdout.write(f"removed {result.staged_removed} unsent uploads and {result.files_removed} orphaned files")
