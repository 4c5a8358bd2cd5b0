"""Run the local BankID simulator in the foreground (`make run` starts it via rundemo).

Why a management command: it reads the PKI directory and the population
register from settings, so the demo's client (BANKID_* defaults) and the
simulator agree on certificates and URL without any set-up by hand.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vardnav.bankid_simulator import BankIdSimulator


class Command(BaseCommand):
    help = "Run the local BankID simulator (RP API v6 over mutual TLS, plus the test BankID app)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address of the RP API (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8443, help="port of the RP API (default 8443)")
        parser.add_argument("--app-port", type=int, default=None, help="port of the test app (default port + 1)")
        parser.add_argument("--order-timeout", type=float, default=180.0, help="seconds until expiredTransaction")
        parser.add_argument(
            "--start-timeout", type=float, default=None, help="seconds until startFailed if nobody scans (off)"
        )

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("The BankID simulator is for development and tests, never production.")
        app_port = options["app_port"] if options["app_port"] is not None else options["port"] + 1
        try:
            simulator = BankIdSimulator(
                pki_dir=settings.BANKID_SIMULATOR_DIR,
                register_file=settings.POPULATION_REGISTER_FILE,
                host=options["host"],
                port=options["port"],
                app_port=app_port,
                order_timeout=options["order_timeout"],
                start_timeout=options["start_timeout"],
            )
        except OSError as exc:
            raise CommandError(f"Kunde inte starta BankID-simulatorn: {exc}") from exc
        simulator.start()
        self.stdout.write(
            self.style.SUCCESS(
                f"BankID-simulatorn kör. RP-API: {simulator.base_url} (ömsesidig TLS, certifikat i "
                f"{simulator.pki.directory}). Test-BankID-appen: {simulator.app_url}"
            )
        )
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            simulator.stop()
