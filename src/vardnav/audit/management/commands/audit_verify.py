"""manage.py audit_verify: walk every hash chain of the audit log and report tampering.

Why a command: run it on a schedule (and after restores); a non-zero exit status
alerts the operator. The printed chain heads are meant to be copied to a system
outside the database, so that even a rewrite of a whole chain is caught by
comparing with yesterday's heads (docs/decisions/0002-audit-chain.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vardnav.audit.verify import DEFAULT_BATCH_SIZE, shards_to_verify, verify_shard


class Command(BaseCommand):
    help = "Verify the audit log's hash chains; exits non-zero on a modified, missing or truncated entry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument("--shard", type=int, action="append", help="Verify only this shard (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        shards = options["shard"] or shards_to_verify()
        total, problems = 0, []
        for shard in shards:
            report = verify_shard(shard, batch_size=batch_size)
            total += report.entries
            problems.extend(report.problems)
            self.stdout.write(f"shard {shard}: {report.entries} entries, head {report.head_seq} {report.head_hash}")
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"audit log verification failed: {len(problems)} problem(s) in {total} entries")
        self.stdout.write(self.style.SUCCESS(f"audit log intact: {total} entries in {len(shards)} shard(s)"))
