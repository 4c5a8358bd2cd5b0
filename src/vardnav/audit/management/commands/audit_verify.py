"""manage.py audit_verify: walk every hash chain of the audit log and report tampering.

Why a command: run it on a schedule (and after restores); a non-zero exit status
alerts the operator. Each chain is then checked against the heads anchored
outside the database (`audit_anchor`, vardnav.audit.anchors), so even a rewrite
of a whole chain including its head is caught (docs/decisions/0002-audit-chain.md).
`--skip-anchors` checks the chains alone (a restored copy with no anchors of its own).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vardnav.audit.anchors import anchor_store, check_against_anchors
from vardnav.audit.verify import DEFAULT_BATCH_SIZE, shards_to_verify, verify_shard


class Command(BaseCommand):
    help = "Verify the audit log's hash chains; exits non-zero on a modified, missing or truncated entry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument("--shard", type=int, action="append", help="Verify only this shard (repeatable).")
        parser.add_argument("--skip-anchors", action="store_true", help="Do not check against the anchors.")

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
        findings: list[object] = list(problems)
        if not options["skip_anchors"]:
            store = anchor_store()
            anchor_problems = check_against_anchors(
                shards, store, only=set(options["shard"]) if options["shard"] else None
            )
            findings.extend(anchor_problems)
            self.stdout.write(f"anchors: {store.describe()}")
        for problem in findings:
            self.stderr.write(str(problem))
        if findings:
            raise CommandError(f"audit log verification failed: {len(findings)} problem(s) in {total} entries")
        self.stdout.write(self.style.SUCCESS(f"audit log intact: {total} entries in {len(shards)} shard(s)"))
