"""Serve the demo: the web app (uvicorn, ASGI: pages and WebSockets), the task worker, the BankID and Swish simulators, the overdue notifier and an SMTP sink.

Why one command: `make run` must give a working platform from a fresh clone,
and a resident can only log in when the BankID simulator is up, notices only
go out when the task worker runs, and e-mails can only be read (at
/demo/e-post/) when the SMTP sink has received them. Each runs as its own
process (as in production); stopping this command stops them all.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class Command(BaseCommand):
    help = "Run the demo web server, the task worker, the BankID simulator, the overdue notifier and the SMTP sink."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--bankid-port", default="8443")
        parser.add_argument("--swish-port", default="8445")

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("rundemo is for development; production runs gunicorn and db_worker separately")
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        python = sys.executable
        commands = {
            "bankid-simulator": [python, manage, "bankid_simulator", "--port", options["bankid_port"]],
            "swish-simulator": [python, manage, "swish_simulator", "--port", options["swish_port"]],
            "task-worker": [python, manage, "db_worker"],
            "overdue-notices": [python, manage, "notify_overdue", "--every", "300"],
            "booking-reminders": [python, manage, "send_booking_reminders", "--every", "300"],
            "vaccination-reminders": [python, manage, "send_vaccination_reminders", "--every", "3600"],
            "peer-review-selection": [python, manage, "select_peer_reviews", "--every", "3600"],
            "home-measurements": [python, manage, "send_home_measurement_reminders", "--every", "3600"],
            "billing": [python, manage, "run_billing", "--every", "300"],
            "survey-invitations": [python, manage, "send_survey_invitations", "--every", "600"],
            # uvicorn serves the ASGI entry: the pages, and the WebSockets of video meetings (VISIT-8).
            "web": [
                python,
                "-m",
                "uvicorn",
                "vardnav.asgi:application",
                "--app-dir",
                str(settings.SRC_DIR),
                "--host",
                options["host"],
                "--port",
                str(options["port"]),
                "--ws",
                "websockets-sansio",
                "--lifespan",
                "off",
                "--no-server-header",
            ],
        }
        if settings.EMAIL_HOST in LOOPBACK_HOSTS:
            # Only when e-mail goes to this machine: a real SMTP server configured by hand keeps its mail.
            commands["mail-sink"] = [python, manage, "mailsink", "--host", settings.EMAIL_HOST]
        processes: dict[str, subprocess.Popen] = {}
        try:
            for name, command in commands.items():
                processes[name] = subprocess.Popen(command)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Vårdnav körs på http://{options['host']}:{options['port']}/ "
                    f"(Test-BankID-appen: {settings.BANKID_TEST_APP_URL}, Test-Swish-appen: {settings.SWISH_TEST_APP_URL}, "
                    f"mottagen e-post: http://{options['host']}:{options['port']}/demo/e-post/). Avsluta med Ctrl+C."
                )
            )
            while True:
                for name, process in processes.items():
                    if process.poll() is not None:
                        raise CommandError(f"{name} stopped with exit code {process.returncode}")
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
