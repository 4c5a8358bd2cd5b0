"""The demo's complaints: the patient board's own form, the region showing the service on unit pages, two complaints.

Through the catalog, cases and complaints actions. Idempotent: the board's
form is republished only while it lacks the place question; the complaints
are sent once (found by their subjects' complaint cases).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vardnav.cases.actions import do_submit_case
from vardnav.cases.models import Case
from vardnav.catalog.access import current_questionnaire
from vardnav.catalog.actions import do_publish_questionnaire, do_save_questionnaire
from vardnav.catalog.models import Service, ServiceKind
from vardnav.complaints.actions import do_set_complaint_policy, do_set_complaint_unit
from vardnav.complaints.content import BOARD_ITEMS
from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.demo import data, identities
from vardnav.organizations.models import CareProvider, Staff, Unit
from vardnav.people.access import get_person_by_personal_number

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
    resident_a = get_person_by_personal_number(identities.RESIDENT_A)
    resident_b = get_person_by_personal_number(identities.RESIDENT_B)
    if resident_a is None or resident_b is None:
        return
    if Case.objects.filter(service__kind=ServiceKind.COMPLAINT, subject__in=[resident_a, resident_b]).exists():
        return
    unit_x = Unit.objects.get(slug=data.UNIT_X_SLUG)
    region_service = Service.objects.get(provider=region, kind=ServiceKind.COMPLAINT)
    do_submit_case(
        Actor(kind=ActorKind.RESIDENT, person_id=resident_a.pk),
        service=region_service,
        unit=unit_x,
        answers={
            "category": "communication",
            "about_process": False,
            "event_date": (clock.today() - dt.timedelta(days=12)).isoformat(),
            "what": "Ingen ringde upp som utlovat, trots flera samtal.",
        },
    )
    board_case = do_submit_case(
        Actor(kind=ActorKind.RESIDENT, person_id=resident_b.pk),
        service=service,
        unit=board,
        answers={
            "category": "care",
            "about_process": True,
            "event_date": (clock.today() - dt.timedelta(days=90)).isoformat(),
            "place": "Hamnen, Norrsund",
            "what": "Min behandling av ryggen har stannat upp helt sedan i somras.",
        },
    )
    report.add("synpunkter", 2)
    staff = Staff.objects.filter(hsa_id="SE2321000904-PN00").first()
    hamnen = Unit.objects.filter(slug="vardcentralen-hamnen").first()
    if staff is not None and hamnen is not None:
        board_actor = Actor(
            kind=ActorKind.STAFF, staff_id=staff.pk, provider_id=board.provider_id, unit_id=board.pk, role="receiver"
        )
        do_set_complaint_unit(board_actor, board, board_case, hamnen.hsa_id)
