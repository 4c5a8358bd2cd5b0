"""The demo's surveys after a visit (QA-2): an open survey for Karin Berg, answered ones for the results page.

Closed digital visits at Kliniknu's digital unit, made through the production actions (do_start_visit,
do_close_case), then the invitation sweep and, for six other demo residents, their answers
(do_answer_survey): log in as Karin Berg to find the survey under Mina sidor › Enkäter, or as Kliniknu's
administrator to read the results (six answers, so the month's comments show).
"""

from __future__ import annotations

from vardnav.cases.actions import do_close_case
from vardnav.core.actor import Actor, ActorKind
from vardnav.demo import identities
from vardnav.demo.visits import DIGITAL_UNIT_SLUG, _handler_actor, sample_answers
from vardnav.organizations.models import Unit
from vardnav.people.access import get_person_by_personal_number
from vardnav.people.models import Person
from vardnav.quality.models import Survey
from vardnav.quality.survey_tasks import send_survey_invitations
from vardnav.quality.surveys import do_answer_survey
from vardnav.visits.access import current_triage
from vardnav.visits.actions import do_start_visit
from vardnav.visits.models import ComplaintArea

SURVEY_AREA = "luftvagar"
OPEN_SURVEY_RESIDENT = identities.RESIDENT_A
# (personal number, overall, problem solved, listened to, would recommend, comment, wants follow-up)
ANSWERS = [
    (identities.RESIDENTS[0], 5, "yes", "yes", "yes", "Snabbt svar och tydliga råd.", False),
    (identities.RESIDENTS[1], 4, "yes", "yes", "yes", "Bra bemötande i chatten.", False),
    (identities.RESIDENTS[2], 3, "partly", "yes", "maybe", "Fick vänta länge på svar.", True),
    (identities.RESIDENTS[3], 5, "yes", "yes", "yes", "", False),
    (identities.RESIDENTS[4], 2, "no", "partly", "no", "Svårt att förstå vad jag skulle göra sedan.", True),
    (identities.RESIDENTS[5], 4, "yes", "partly", "yes", "Smidigt att slippa åka in.", False),
]


def load_demo_surveys() -> int:
    """Closed visits and their surveys; returns how many surveys it made. Idempotent: nothing when the
    digital unit has surveys already. Called by the `load_demo` command after the world (like the meeting)."""
    unit = Unit.objects.filter(slug=DIGITAL_UNIT_SLUG).first()
    area = ComplaintArea.objects.filter(unit=unit, slug=SURVEY_AREA).first() if unit is not None else None
    if unit is None or area is None or Survey.objects.filter(unit=unit).exists():
        return 0
    people = [get_person_by_personal_number(OPEN_SURVEY_RESIDENT)]
    people += [get_person_by_personal_number(number) for number, *_ in ANSWERS]
    for person in people:
        if person is not None:
            _closed_visit(unit, area, person)
    made = send_survey_invitations()
    for number, overall, solved, listened, recommend, comment, follow_up in ANSWERS:
        person = get_person_by_personal_number(number)
        survey = Survey.objects.filter(unit=unit, recipient=person).first() if person is not None else None
        if person is None or survey is None:
            continue
        do_answer_survey(
            Actor(kind=ActorKind.RESIDENT, person_id=person.pk),
            survey,
            overall=overall,
            problem_solved=solved,
            listened_to=listened,
            would_recommend=recommend,
            comment=comment,
            wants_follow_up=follow_up,
        )
    return made


def _closed_visit(unit: Unit, area: ComplaintArea, person: Person) -> None:
    triage = current_triage(area)
    resident = Actor(kind=ActorKind.RESIDENT, person_id=person.pk)
    started = do_start_visit(resident, area, triage, answers=sample_answers(triage.items), abroad=False)
    handler = started.case.assigned_to
    if handler is None:
        return
    do_close_case(_handler_actor(handler.pk, handler.provider_id, unit), started.case, outcome="answered")
