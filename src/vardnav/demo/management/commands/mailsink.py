"""Run the demo's local SMTP sink in the foreground (`make run` starts it through rundemo).

Why a command of its own: rundemo runs every part of the demo as its own
process, as production would; this one receives what the task worker sends to
EMAIL_HOST:EMAIL_PORT and keeps it in DEMO_MAIL_DIR for /demo/e-post/.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vardnav.demo.mailsink import start_sink


class Command(BaseCommand):
    help = "Run the demo's SMTP sink: every e-mail received is stored as an .eml file for /demo/e-post/."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=None, help="port (default EMAIL_PORT)")

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("The SMTP sink is for the demo, never production.")
        # aiosmtpd logs every SMTP command at INFO; the demo's console needs only its problems.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        port = options["port"] if options["port"] is not None else settings.EMAIL_PORT
        try:
            sink = start_sink(settings.DEMO_MAIL_DIR, host=options["host"], port=port)
        except (OSError, RuntimeError) as exc:
            raise CommandError(f"Kunde inte starta e-postmottagaren på port {port}: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"E-postmottagaren tar emot på {options['host']}:{port} och sparar i {settings.DEMO_MAIL_DIR}."
            )
        )
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            sink.stop()
