"""The demo's peer review (QA-1): Region Norrsund's kvalitetsgranskare and a few picked cases.

The head of Vårdcentralen Norrsund centrum (a doctor) is appointed reviewer in the world (load_demo), so the
staff start page shows the queue. The picked cases come from the `load_demo` command (the test fixture's case
tables start empty): 40 contacts answered and closed today by the unit's doctor, selected at once as the nightly
sweep would tomorrow (2 picks), one of them already reviewed so the follow-up is not empty. Idempotent.
"""

from __future__ import annotations

from typing import Any

from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.demo import data
from vardnav.demo import identities as ids
from vardnav.organizations.models import CareProvider, Staff, Unit
from vardnav.quality.actions import do_appoint_peer_reviewer
from vardnav.quality.models import PeerReviewer

DEMO_CLOSED_CASES = 40
SUBJECTS = ["Hosta", "Utslag", "Ont i ryggen", "Trötthet", "Huvudvärk", "Yrsel", "Sömnbesvär", "Ont i knät"]


def load_demo_peer_reviewer(actor: Actor, report: Any) -> None:
    """The head of Vårdcentralen Norrsund centrum is also Region Norrsund's kvalitetsgranskare."""
    staff = Staff.objects.filter(hsa_id=data.UNIT_ADMIN_X_HSA).first()
    if staff is None or PeerReviewer.objects.filter(staff=staff, ended_at__isnull=True).exists():
        return
    do_appoint_peer_reviewer(actor, staff)
    report.add("kvalitetsgranskare")


def load_demo_peer_review_cases() -> int:
    """Closed contacts at unit X and the day's selection; returns how many cases were picked (0 when done before)."""
    from vardnav.cases.actions import do_close_case, do_distribute_case, do_submit_case
    from vardnav.catalog.models import Service, ServiceKind
    from vardnav.people.access import get_person_by_personal_number
    from vardnav.quality.actions import do_select_peer_reviews, do_sign_peer_review
    from vardnav.quality.models import PeerReviewPick

    provider = CareProvider.objects.filter(slug=data.PROVIDER_SLUG).first()
    unit = Unit.objects.filter(slug=data.UNIT_X_SLUG).first()
    handler = Staff.objects.filter(hsa_id=data.HANDLER_X_HSA).first()
    receiver = Staff.objects.filter(hsa_id=data.RECEIVER_X_HSA).first()
    reviewer = Staff.objects.filter(hsa_id=data.UNIT_ADMIN_X_HSA).first()
    person = get_person_by_personal_number(ids.RESIDENT_A)
    if None in (provider, unit, handler, receiver, reviewer, person):
        return 0
    assert provider and unit and handler and receiver and reviewer and person
    if PeerReviewPick.objects.filter(provider=provider).exists():
        return 0
    service = Service.objects.filter(provider=provider, kind=ServiceKind.CONTACT_UNIT).first()
    if service is None:
        return 0

    def staff_actor(staff: Staff, role: str) -> Actor:
        return Actor(kind=ActorKind.STAFF, staff_id=staff.pk, provider_id=provider.pk, unit_id=unit.pk, role=role)

    resident = Actor(kind=ActorKind.RESIDENT, person_id=person.pk)
    for n in range(DEMO_CLOSED_CASES):
        subject = SUBJECTS[n % len(SUBJECTS)]
        case = do_submit_case(
            resident,
            service=service,
            unit=unit,
            answers={
                "subject": f"{subject} ({n + 1})",
                "question": f"Jag har haft {subject.lower()} en tid. Vad gör jag?",
            },
        )
        do_distribute_case(staff_actor(receiver, "receiver"), case, handler=handler)
        do_close_case(staff_actor(handler, "handler"), case, outcome="answered")
    selection = do_select_peer_reviews(provider, clock.today())
    first = selection.picks.order_by("position").first()
    if first is not None:
        do_sign_peer_review(
            staff_actor(reviewer, "unit_admin"),
            first,
            {
                "medically_reasonable": "yes",
                "documentation_sufficient": "partly",
                "answered_in_time": "yes",
                "prescribing_per_guidelines": "yes",
                "learning_point": "Skriv i journalen vilka varningstecken invånaren fick råd om.",
                "outcome": "remark",
            },
        )
    return selection.picks.count()
