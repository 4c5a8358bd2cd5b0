"""Load the demo world: three fictional care providers, their staff and the demo residents.

Why a command: `make demo` (and `make run`) call it on every start; it is
idempotent, so a second run creates nothing twice. Refused in production,
where demo people must never appear.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vardnav.demo.billing import load_demo_invoices
from vardnav.demo.complaints import load_demo_complaint_cases
from vardnav.demo.help import load_demo_help_entries
from vardnav.demo.labs import load_demo_measurement_period
from vardnav.demo.loader import load_demo
from vardnav.demo.prescriptions import load_demo_prescriptions
from vardnav.demo.quality import load_demo_peer_review_cases
from vardnav.demo.quality_stats import load_demo_quality_statistics
from vardnav.demo.surveys import load_demo_surveys
from vardnav.demo.visits import load_demo_meeting


class Command(BaseCommand):
    help = "Load the demo data (idempotent)."

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION or not settings.VARDNAV_DEMO:
            raise CommandError("Demodata laddas bara när VARDNAV_DEMO är på och inte i produktion.")
        report = load_demo()
        # Past prescriptions for the medication list (RX-1) need the world above.
        report.add("förskrivningar", load_demo_prescriptions())
        # A care provider's own help entries (HELP-1), saved by its administrator.
        report.add("vårdgivarens frågor och svar", load_demo_help_entries())
        # Complaints in the units' and the patient board's inboxes (CMP-1, CMP-2).
        report.add("synpunkter och klagomål", load_demo_complaint_cases())
        # A digital visit with a video meeting proposed for the next day (VISIT-8).
        report.add("videomöten", load_demo_meeting())
        # Closed digital visits with surveys: one open for Karin Berg, six answered for the results (QA-2).
        report.add("enkäter efter besök", load_demo_surveys())

        # A digital visit about a cough with a two-week PEF diary half filled in (QA-5).
        report.add("hemmamätningar", load_demo_measurement_period())
        # Invoices for resident A, one paid and one unpaid, so Mina fakturor is not empty (FEE-4, FEE-7).
        report.add("fakturor", load_demo_invoices())
        # Every 20th of 40 closed contacts picked for peer review, one of them reviewed (QA-1).
        report.add("ärenden för kvalitetsgranskning", load_demo_peer_review_cases())

        # This month's closed visits and revisits behind the quality statistics (QA-3, QA-4).
        report.add("besök i kvalitetsstatistiken", load_demo_quality_statistics())
        self.stdout.write(str(report))
