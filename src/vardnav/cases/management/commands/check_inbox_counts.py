"""Compare the inbox's counters with a count of the open cases and readings (issue 13); `--repair` makes them agree.

Run nightly (cron or the scheduler): triggers keep the counters in every case's
transaction, so a difference means something wrote cases with the triggers off (a
bulk load with `session_replication_role = replica`, a restore). Exits 1 when it
found one without repairing it, so a scheduler reports it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vardnav.cases import inbox_counts


class Command(BaseCommand):
    help = "Compare the inbox counters with the open cases; --repair corrects them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repair", action="store_true", help="Correct every counter that differs.")

    def handle(self, *args: Any, repair: bool = False, **options: Any) -> None:
        found = inbox_counts.check(repair=repair)
        for difference in found:
            key = ", ".join(
                f"{column} {value}" for column, value in zip(difference.columns, difference.key, strict=True)
            )
            self.stdout.write(f"{difference.counter}: {key}: counted {difference.stored}, true {difference.true}")
        if found and not repair:
            raise CommandError(f"{len(found)} inbox counters differ from the cases; run with --repair")
        self.stdout.write(f"{len(found)} inbox counters {'corrected' if repair else 'differ'}")
