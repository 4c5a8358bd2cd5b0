"""The demo's complaints: the patient board's own form and the region showing the service on unit pages.

Through the catalog and complaints actions. Idempotent: the board's form is
republished only while it lacks the place question. No complaint cases are
sent here: the demo's case tables start empty, which other apps' tests rely on.
"""

from __future__ import annotations

from typing import Any

from vardnav.catalog.access import current_questionnaire
from vardnav.catalog.actions import do_publish_questionnaire, do_save_questionnaire
from vardnav.catalog.models import Service, ServiceKind
from vardnav.complaints.actions import do_set_complaint_policy
from vardnav.complaints.content import BOARD_ITEMS
from vardnav.core.actor import Actor
from vardnav.organizations.models import CareProvider, Unit

BOARD = "patientnamnden-norrsund"
REGION = "region-norrsund"


def load_demo_complaints(actor: Actor, report: Any) -> None:
    board = Unit.objects.filter(slug=BOARD).first()
    region = CareProvider.objects.filter(slug=REGION).first()
    if board is None or region is None:
        return
    service = Service.objects.get(provider_id=board.provider_id, kind=ServiceKind.COMPLAINT)
    published = current_questionnaire(service)
    if published is None or not any(item["linkId"] == "place" for item in published.items):
        do_publish_questionnaire(actor, do_save_questionnaire(actor, service, title=service.name, items=BOARD_ITEMS))
        report.add("patientnämndens formulär")
    if not hasattr(region, "complaint_policy"):
        do_set_complaint_policy(actor, region.pk, show_on_unit_pages=True)
