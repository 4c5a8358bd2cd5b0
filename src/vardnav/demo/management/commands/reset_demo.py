"""Start the demo over: empty the whole database, audit log included, and load the demo again.

Why a command of its own rather than `manage.py flush`: Django's flush on
SQLite deletes row by row and the audit log's append-only triggers refuse that
(see vardnav.demo.reset). Emptying the log is a deliberate act that belongs to
the demo only; refused in production and outside demo mode.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from vardnav.demo.reset import audit_log_guard_lifted


class Command(BaseCommand):
    help = "Empty the database (audit log included) and load the demo data again."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION or not settings.VARDNAV_DEMO:
            raise CommandError("Demon återställs bara när VARDNAV_DEMO är på och inte i produktion.")
        if options["interactive"]:
            answer = input("Allt i databasen tas bort, även granskningsloggen. Skriv 'ja' för att fortsätta: ")
            if answer.strip().lower() != "ja":
                raise CommandError("Avbrutet; inget togs bort.")
        with audit_log_guard_lifted():
            call_command("flush", interactive=False, verbosity=0)
        # The old anchors describe the log just emptied; audit_verify would rightly call the new one a rewrite.
        anchors = Path(settings.AUDIT_ANCHOR_FILE)
        if not settings.AUDIT_ANCHOR_S3_BUCKET and anchors.exists():
            anchors.rename(anchors.with_name(f"{anchors.name}.before-reset-{int(time.time())}"))
        call_command("load_demo", stdout=self.stdout)
