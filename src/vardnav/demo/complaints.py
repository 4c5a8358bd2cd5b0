"""The demo's complaints: the patient board's own form and the region showing the service on unit pages.

Through the catalog and complaints actions. Idempotent: the board's form is
republished only while it lacks the place question. No complaint cases are
sent here: the demo's case tables start empty, which other apps' tests rely on.
"""

from __future__ import annotations

import datetime as dt
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


# (personal number, unit slug or the board, category, days ago, what happened, place for the board)
DEMO_COMPLAINTS = [
    ("198301012384", "vardcentralen-vastera-soder", "access", 20, "Jag fick vänta över en timme utan besked.", ""),
    (
        "194101012393",
        "vardcentralen-norrsund-centrum",
        "communication",
        45,
        "Läkaren pratade med min dotter i stället för med mig.",
        "",
    ),
    (
        "197901012380",
        BOARD,
        "care",
        60,
        "Min dotters sår blev inte undersökt ordentligt på jourmottagningen.",
        "Jourmottagningen, Norrsund sjukhus",
    ),
]


def load_demo_complaint_cases() -> int:
    """A few complaints in the units' and the patient board's inboxes (CMP-1, CMP-2), sent by demo residents.

    Called by the `load_demo` command after the world (not by load_demo(): the test fixture's case
    tables start empty). Idempotent: nothing is sent when a complaint case exists. Returns how many.
    """
    from vardnav.cases.actions import do_submit_case
    from vardnav.cases.models import Case
    from vardnav.catalog.access import services_offered_at
    from vardnav.core import clock
    from vardnav.core.actor import ActorKind
    from vardnav.people.access import get_person_by_personal_number

    if Case.objects.filter(service__kind=ServiceKind.COMPLAINT).exists():
        return 0
    sent = 0
    for number, unit_slug, category, days_ago, what, place in DEMO_COMPLAINTS:
        person = get_person_by_personal_number(number)
        unit = Unit.objects.filter(slug=unit_slug).first()
        service = services_offered_at(unit).filter(kind=ServiceKind.COMPLAINT).first() if unit else None
        if person is None or service is None:
            continue
        answers = {
            "category": category,
            "about_process": "false",
            "event_date": (clock.today() - dt.timedelta(days=days_ago)).isoformat(),
            "what": what,
        }
        if place:
            answers["place"] = place
        do_submit_case(Actor(kind=ActorKind.RESIDENT, person_id=person.pk), service=service, unit=unit, answers=answers)
        sent += 1
    return sent
