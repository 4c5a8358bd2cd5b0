"""Run the local Swish simulator in the foreground (`make run` starts it via rundemo).

Why a management command: it reads the PKI directory and the merchant's Swish number
from settings, so the demo's client (SWISH_* defaults) and the simulator agree on
certificates, number and URL without any set-up by hand.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vardnav.swish_simulator import SwishSimulator


class Command(BaseCommand):
    help = "Run the local Swish simulator (Swish Commerce API over mutual TLS, callbacks, and a test Swish app)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address of the API (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8445, help="port of the API (default 8445)")
        parser.add_argument("--app-port", type=int, default=None, help="port of the test app (default port + 1)")

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("The Swish simulator is for development and tests, never production.")
        app_port = options["app_port"] if options["app_port"] is not None else options["port"] + 1
        try:
            simulator = SwishSimulator(
                pki_dir=settings.SWISH_SIMULATOR_DIR,
                payee_alias=settings.SWISH_PAYEE_ALIAS,
                host=options["host"],
                port=options["port"],
                app_port=app_port,
            )
        except OSError as exc:
            raise CommandError(f"Kunde inte starta Swish-simulatorn: {exc}") from exc
        simulator.start()
        self.stdout.write(
            self.style.SUCCESS(
                f"Swish-simulatorn kör. API: {simulator.base_url} (ömsesidig TLS, certifikat i "
                f"{simulator.pki.directory}). Test-Swish-appen: {simulator.app_url}"
            )
        )
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            simulator.stop()
