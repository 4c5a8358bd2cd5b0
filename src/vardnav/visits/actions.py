"""Every state change of digital visits: areas and triage versions, duty, starting, routing, referring.

Each do_* checks permission, runs in one transaction and writes its audit
entry in it. A visit is a case of the provider's "Digitalt vårdbesök"
e-service: the case engine stores it (cases.actions.insert_case), this app adds
the triage answers, the routing (VISIT-2) and the practitioner's queue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse

from vardnav.attachments import actions as attachments
from vardnav.attachments.validation import CheckedFile
from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.cases.actions import CheckedSubmission, check_message_body, check_resident_subject, insert_case
from vardnav.cases.hooks import case_extensions, profession_changed, return_window_days
from vardnav.cases.models import Case, CaseFlag, CaseStatus, Channel, Message, MessageKind, Outcome
from vardnav.cases.notices import notify_case_event
from vardnav.catalog.access import current_questionnaire
from vardnav.catalog.actions import do_create_service, do_publish_questionnaire, do_save_questionnaire
from vardnav.catalog.models import Service, ServiceKind
from vardnav.catalog.questionnaires import check_response
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import NotFound, PermissionDenied
from vardnav.notifications.actions import notify_staff
from vardnav.notifications.models import NoticeKind
from vardnav.organizations.access import require_provider_admin, staff_roles_at
from vardnav.organizations.models import (
    DIGITAL_DOCTOR_MIN_TRAINING_PERCENT,
    CareProvider,
    Profession,
    Qualification,
    Role,
    Staff,
    Unit,
)
from vardnav.people.models import Person
from vardnav.visits.checks import check_meeting_time, check_no_red_flag, check_triage_definition
from vardnav.visits.content import STANDARD_AREAS
from vardnav.visits.errors import VisitError
from vardnav.visits.hooks import FLAG_ABROAD, FLAG_UNROUTED
from vardnav.visits.models import (
    ComplaintArea,
    Duty,
    HealthProfile,
    MeetingAnswer,
    RevisitKind,
    RevisitOffer,
    TriageQuestionnaire,
    TriageStatus,
    VideoMeeting,
    Visit,
)

# The case's own short questionnaire: what every visit has, whatever its area (the staff case page shows it).
VISIT_CASE_ITEMS: list[dict[str, Any]] = [
    {"linkId": "area", "type": "string", "text": "Besvärsområde", "required": True, "maxLength": 120},
    {"linkId": "abroad", "type": "boolean", "text": "Befinner sig utomlands", "required": True},
]
REFERRAL_PROFESSIONS = (
    Profession.DOCTOR,
    Profession.NURSE,
    Profession.PSYCHOLOGIST,
    Profession.PHYSIOTHERAPIST,
    Profession.MIDWIFE,
    Profession.SEXOLOGIST,
)
REFERRAL_REASON_MAX = 2000


# --- the catalogue of areas --------------------------------------------------------------------


def digital_visit_service(actor: Actor, provider: CareProvider) -> Service:
    """The provider's "Digitalt vårdbesök" e-service, created with its case questionnaire on first use."""
    service = Service.objects.filter(provider=provider, kind=ServiceKind.DIGITAL_VISIT).first()
    if service is None:
        service = do_create_service(
            actor,
            provider,
            kind=ServiceKind.DIGITAL_VISIT,
            routed_role=Role.HANDLER,
            handling_time_value=4,
            handling_time_unit="hours",
            attachments_allowed=True,
        )
        draft = do_save_questionnaire(actor, service, title=service.name, items=VISIT_CASE_ITEMS)
        do_publish_questionnaire(actor, draft)
    return service


def do_create_area(actor: Actor, unit: Unit, **fields: Any) -> ComplaintArea:
    """A complaint area of a digital unit (VISIT-1, VISIT-7); its triage is published separately."""
    require_provider_admin(actor, unit.provider_id)
    if fields.get("profession") not in REFERRAL_PROFESSIONS:
        raise VisitError.REFERRAL_PROFESSION.error(field="profession")
    with transaction.atomic():
        digital_visit_service(actor, unit.provider)
        area = ComplaintArea.objects.create(provider_id=unit.provider_id, unit=unit, **fields)
        do_record(actor, AuditEvent.VISIT_AREA_CREATE, area)
    return area


def do_publish_triage(actor: Actor, area: ComplaintArea, *, items: Any, red_flags: Any) -> TriageQuestionnaire:
    """A new triage version with its red flags, published at once; the previous one is retired (VISIT-1)."""
    require_provider_admin(actor, area.provider_id)
    clean_items, rules = check_triage_definition(items, red_flags)
    with transaction.atomic():
        latest = TriageQuestionnaire.objects.select_for_update().filter(area=area).order_by("-version").first()
        TriageQuestionnaire.objects.filter(area=area, status=TriageStatus.PUBLISHED).update(status=TriageStatus.RETIRED)
        triage = TriageQuestionnaire.objects.create(
            area=area,
            version=(latest.version + 1) if latest else 1,
            status=TriageStatus.PUBLISHED,
            items=clean_items,
            red_flags=rules,
            published_at=clock.now(),
        )
        do_record(actor, AuditEvent.VISIT_TRIAGE_PUBLISH, triage)
    return triage


def do_install_standard_areas(actor: Actor, unit: Unit) -> list[ComplaintArea]:
    """Vårdnav's standard areas (visits.content) at a digital unit; areas it already has are left as they are."""
    created = []
    have = set(ComplaintArea.objects.filter(unit=unit).values_list("slug", flat=True))
    for position, spec in enumerate(STANDARD_AREAS):
        if spec["slug"] in have:
            continue
        fields = {key: value for key, value in spec.items() if key not in ("items", "red_flags")}
        area = do_create_area(actor, unit, position=position, **fields)
        if area.handled_digitally:
            do_publish_triage(actor, area, items=spec["items"], red_flags=spec["red_flags"])
        created.append(area)
    # The e-service exists from the start, so the triage can show the expected fee before the first visit.
    digital_visit_service(Actor.system(), unit.provider)
    return created


# --- duty and routing (VISIT-2, ORG-8) -----------------------------------------------------------


def practitioner_filter(profession: str) -> Q:
    """Who may take a visit of this profession: ORG-8 keeps digital doctor visits to qualified doctors."""
    condition = Q(staff__profession=profession, staff__is_active=True)
    if profession == Profession.DOCTOR:
        condition &= Q(staff__qualification=Qualification.SPECIALIST) | Q(
            staff__qualification=Qualification.IN_TRAINING,
            staff__specialist_training_percent__gte=DIGITAL_DOCTOR_MIN_TRAINING_PERCENT,
        )
    return condition


def pick_practitioner(unit_id: int, profession: str) -> Duty | None:
    """VISIT-2: the on-duty practitioner of the profession with the shortest queue, in one indexed query.

    The partial index duty_shortest_queue orders the unit's on-duty practitioners
    by queue length; the first that is of the profession, qualified and a handler
    at the unit is taken (ties: the earliest duty row). The row is locked so two
    visits arriving together are counted one after the other.
    """
    return (
        Duty.objects.select_for_update(of=("self",))
        .select_related("staff")
        .filter(practitioner_filter(profession), unit_id=unit_id, on_duty=True)
        .filter(staff__role_grants__unit_id=unit_id, staff__role_grants__role=Role.HANDLER)
        .order_by("open_visits", "id")
        .first()
    )


def _take_queue_place(duty: Duty) -> None:
    Duty.objects.filter(pk=duty.pk).update(open_visits=F("open_visits") + 1)


def release_queue_place(case: Case) -> None:
    """Inside the closing transaction: the practitioner's queue gets one visit shorter."""
    visit = Visit.objects.filter(case_id=case.pk, queued_for__isnull=False).first()
    if visit is None or visit.queued_for_id is None:
        return
    Duty.objects.filter(staff_id=visit.queued_for_id, unit_id=case.unit_id, open_visits__gt=0).update(
        open_visits=F("open_visits") - 1
    )
    Visit.objects.filter(pk=visit.pk).update(queued_for=None)


def check_outcome_allowed(case: Case) -> None:
    """VISIT-9: a visit of a resident abroad ends with assessment and advice, never with a prescription."""
    if case.outcome == Outcome.PRESCRIBED and Visit.objects.filter(case_id=case.pk, abroad=True).exists():
        raise VisitError.ABROAD_NO_PRESCRIPTION.error(field="outcome")


def check_may_practise(actor: Actor, unit: Unit) -> Staff:
    """The acting staff member as a practitioner of the digital unit: a handler there (and, for doctors, ORG-8)."""
    if not actor.is_staff or actor.staff_id is None:
        raise PermissionDenied(VisitError.NOT_A_PRACTITIONER)
    if Role.HANDLER not in staff_roles_at(actor, unit.pk):
        raise PermissionDenied(VisitError.NOT_A_PRACTITIONER)
    staff = Staff.objects.get(pk=actor.staff_id)
    if staff.profession == Profession.DOCTOR and not staff.takes_digital_doctor_visits:
        raise PermissionDenied(VisitError.NOT_QUALIFIED)
    return staff


def do_set_duty(actor: Actor, unit: Unit, *, on_duty: bool) -> Duty:
    """A practitioner goes on or off duty at the digital unit; off duty, no new visits are routed to them."""
    staff = check_may_practise(actor, unit)
    with transaction.atomic():
        duty, _created = Duty.objects.select_for_update().get_or_create(staff=staff, unit=unit)
        if duty.on_duty != on_duty:
            duty.on_duty = on_duty
            duty.save(update_fields=["on_duty"])
        do_record(actor, AuditEvent.VISIT_DUTY, duty, extra={"on_duty": on_duty})
    return duty


def _assign(case: Case, visit: Visit, duty: Duty | None) -> None:
    """Give the case to the picked practitioner (or leave it for the unit's handlers to take) and count it."""
    if duty is None:
        case.assigned_to = None
        case.status = CaseStatus.NEW
        CaseFlag.objects.get_or_create(case=case, code=FLAG_UNROUTED)
        visit.queued_for = None
    else:
        case.assigned_to = duty.staff
        case.status = CaseStatus.ASSIGNED
        CaseFlag.objects.filter(case=case, code=FLAG_UNROUTED).delete()
        _take_queue_place(duty)
        visit.queued_for = duty.staff
    case.save(update_fields=["assigned_to", "status"])
    visit.save(update_fields=["queued_for", "profession"])


# --- the resident starts a visit (VISIT-1) ----------------------------------------------------------


@dataclass(frozen=True)
class StartedVisit:
    case: Case
    visit: Visit


def do_start_visit(
    actor: Actor,
    area: ComplaintArea,
    triage: TriageQuestionnaire,
    *,
    answers: dict[str, Any],
    abroad: Any,
    channel: str = Channel.WEB,
    files: Sequence[CheckedFile] = (),
) -> StartedVisit:
    """A resident (or a guardian for a child) starts a digital visit in a complaint area.

    Red flags first (VISIT-1): a red-flag answer stops everything with a 112 or
    1177 message and nothing is stored. Then the triage answers, then routing to
    the profession's on-duty practitioner with the shortest queue (VISIT-2).
    """
    subject = check_resident_subject(actor)
    if not area.handled_digitally:
        raise VisitError.NOT_HANDLED_DIGITALLY.error(where=area.where_to_turn)
    check_no_red_flag(triage.items, triage.red_flags, answers)
    clean = check_response(triage.items, answers)
    return _open_visit(
        actor,
        subject,
        area,
        triage,
        clean,
        abroad=abroad,
        channel=channel,
        files=files,
        revisit_of=recent_visit_in_area(subject, area),
    )


def recent_visit_in_area(subject: Person, area: ComplaintArea) -> Visit | None:
    """VISIT-3: seeking care again for the same complaint area within 30 days of closure is a revisit."""
    if not area.revisits_allowed:
        return None
    return (
        Visit.objects.select_related("case")
        .filter(
            case__subject_id=subject.pk,
            area=area,
            case__status=CaseStatus.CLOSED,
            case__closed_at__gte=clock.now() - dt.timedelta(days=REVISIT_DAYS),
        )
        .order_by("-case__closed_at", "-id")
        .first()
    )


def _check_abroad(abroad: Any) -> bool:
    if abroad in (None, ""):
        raise VisitError.ABROAD_REQUIRED.error(field="abroad")
    if isinstance(abroad, bool):
        return abroad
    answer = str(abroad).strip().lower()
    if answer not in ("true", "1", "ja", "yes", "false", "0", "nej", "no"):
        raise VisitError.ABROAD_REQUIRED.error(field="abroad")
    return answer in ("true", "1", "ja", "yes")


def _open_visit(
    actor: Actor,
    subject: Person,
    area: ComplaintArea,
    triage: TriageQuestionnaire,
    clean: dict[str, Any],
    *,
    abroad: Any,
    channel: str,
    files: Sequence[CheckedFile],
    revisit_of: Visit | None,
) -> StartedVisit:
    """Store the checked visit as a case with its files, route it, and record it, in one transaction."""
    assert actor.person_id is not None  # check_resident_subject refuses an actor without a person
    is_abroad = _check_abroad(abroad)
    if files:
        attachments.check_file_count(actor, len(files))
    service = digital_visit_service(Actor.system(), area.provider)
    questionnaire = current_questionnaire(service)
    if questionnaire is None:
        raise NotFound(VisitError.NO_PUBLISHED_TRIAGE)
    case_answers = check_response(questionnaire.items, {"area": area.name, "abroad": is_abroad})
    checked = CheckedSubmission(
        unit=area.unit,
        service=service,
        questionnaire=questionnaire,
        answers=case_answers,
        flags=frozenset({FLAG_ABROAD} if is_abroad else set()),
    )
    with attachments.stored_files(files) as stored, transaction.atomic():
        case, submission = insert_case(checked, subject=subject, submitted_by_id=actor.person_id, channel=channel)
        visit = Visit.objects.create(
            case=case,
            area=area,
            triage=triage,
            answers=clean,
            profession=area.profession,
            abroad=is_abroad,
            revisit_of=revisit_of,
            created_at=case.submitted_at,
        )
        attachments.create_rows(
            stored, case.file_folder, owner_id=submission.pk, subject_person_id=subject.pk, person_id=actor.person_id
        )
        duty = _same_practitioner(revisit_of) if revisit_of is not None else None
        if duty is not None:
            visit.profession = revisit_of.profession if revisit_of is not None else visit.profession
        _assign(case, visit, duty or pick_practitioner(area.unit_id, visit.profession))
        # The extensions of every case (billing sets the expected fee of the handling profession, FEE-2).
        for extension in case_extensions():
            extension.on_submitted(actor, case)
        event = AuditEvent.VISIT_REVISIT if revisit_of is not None else AuditEvent.VISIT_START
        do_record(actor, event, case, subject_person_id=subject.pk, unit_id=area.unit_id)
    return StartedVisit(case=case, visit=visit)


# --- internal referral (VISIT-6, the part between professions) -------------------------------------


def do_refer_internally(actor: Actor, visit: Visit, *, profession: str, reason: str) -> Visit:
    """The practitioner hands the visit to another profession at the unit (e.g. doctor → physiotherapist).

    The visit goes to that profession's on-duty practitioner with the shortest
    queue; the reason is an internal note. The fee follows `Visit.profession`: the profession's
    followers (billing) recompute it in the same transaction.
    """
    case = visit.case
    if actor.staff_id is None or case.assigned_to_id != actor.staff_id:
        raise PermissionDenied(VisitError.NOT_YOUR_VISIT)
    if case.status == CaseStatus.CLOSED:
        raise VisitError.VISIT_CLOSED.error()
    if profession not in REFERRAL_PROFESSIONS:
        raise VisitError.REFERRAL_PROFESSION.error(field="profession")
    if profession == visit.profession:
        raise VisitError.REFERRAL_SAME_PROFESSION.error(field="profession")
    text = check_message_body(reason, field="reason")
    with transaction.atomic():
        target = pick_practitioner(case.unit_id, profession)
        if target is None:
            raise VisitError.REFERRAL_NO_ONE_ON_DUTY.error(
                field="profession", profession=str(Profession(profession).label).lower()
            )
        release_queue_place(case)
        visit.refresh_from_db(fields=["queued_for"])
        Message.objects.create(
            case=case, kind=MessageKind.NOTE, author_staff_id=actor.staff_id, body=text, created_at=clock.now()
        )
        visit.profession = profession
        _assign(case, visit, target)
        # FEE-2: the fee follows the profession (billing recomputes it and tells the resident).
        profession_changed(actor, case, profession)
        do_record(
            actor,
            AuditEvent.VISIT_REFER_INTERNALLY,
            case,
            subject_person_id=case.subject_id,
            extra={"profession": profession},
        )
    return visit


# --- the health profile (VISIT-1 part 3, VISIT-5) ----------------------------------------------------

PROFILE_FIELD_MAX = 2000
PROFILE_FIELDS = ("allergies", "medicines", "conditions")


def check_profile_text(value: Any, *, field: str) -> str:
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > PROFILE_FIELD_MAX:
        raise VisitError.PROFILE_TOO_LONG.error(field=field, limit=PROFILE_FIELD_MAX)
    return text


def do_confirm_health_profile(actor: Actor, *, allergies: Any, medicines: Any, conditions: Any) -> HealthProfile:
    """The resident (or a guardian for a child) saves the health profile and confirms it is right now."""
    subject = check_resident_subject(actor)
    values = {
        field: check_profile_text(value, field=field)
        for field, value in (("allergies", allergies), ("medicines", medicines), ("conditions", conditions))
    }
    with transaction.atomic():
        profile, _created = HealthProfile.objects.update_or_create(
            person=subject, defaults={**values, "confirmed_at": clock.now()}
        )
        do_record(actor, AuditEvent.VISIT_HEALTH_PROFILE, profile, subject_person_id=subject.pk)
    return profile


# --- revisits (VISIT-3, VISIT-4, VISIT-5) -----------------------------------------------------------------

REVISIT_DAYS = 30  # VISIT-3: a resident may start a revisit this long after closure
RETURN_DAYS = 4  # VISIT-4: without revisits, the resident may write again in the case this long after closure
MAX_OFFER_DAYS = 90
# VISIT-5: the few questions before a revisit, with their own red flag.
REVISIT_ITEMS: list[dict[str, Any]] = [
    {
        "linkId": "worse_now",
        "type": "boolean",
        "text": "Har du blivit mycket sämre, eller fått bröstsmärta eller svårt att andas?",
        "required": True,
    },
    {
        "linkId": "progress",
        "type": "choice",
        "text": "Hur har det gått sedan förra besöket?",
        "required": True,
        "repeats": False,
        "answerOption": [
            {"code": "better", "display": "Bättre"},
            {"code": "same", "display": "Ungefär som förut"},
            {"code": "worse", "display": "Sämre"},
        ],
    },
    {"linkId": "new_symptoms", "type": "boolean", "text": "Har du fått nya besvär?", "required": True},
    {
        "linkId": "followed_advice",
        "type": "boolean",
        "text": "Har du kunnat följa råden eller behandlingen du fick?",
        "required": True,
    },
    {
        "linkId": "description",
        "type": "text",
        "text": "Beskriv hur du mår nu och vad du vill ha hjälp med.",
        "required": True,
        "maxLength": 2000,
    },
]
REVISIT_FLAGS: list[dict[str, Any]] = [
    {
        "code": "worse_now",
        "question": "worse_now",
        "operator": "=",
        "answer": True,
        "call": "112",
        "advice": "Bröstsmärta, andnöd eller en kraftig försämring behöver bedömas akut.",
    }
]


def _same_practitioner(earlier: Visit) -> Duty | None:
    """VISIT-3: the practitioner of the earlier visit, if they still practise at the unit (and, for doctors, ORG-8)."""
    staff_id = earlier.case.assigned_to_id
    if staff_id is None:
        return None
    unit_id = earlier.case.unit_id
    still_there = (
        Staff.objects.filter(pk=staff_id, role_grants__unit_id=unit_id, role_grants__role=Role.HANDLER)
        .filter(is_active=True)
        .first()
    )
    if still_there is None or (
        still_there.profession == Profession.DOCTOR and not still_there.takes_digital_doctor_visits
    ):
        return None
    duty, _created = Duty.objects.select_for_update().get_or_create(staff=still_there, unit_id=unit_id)
    duty.staff = still_there
    return duty


def open_offer(visit: Visit) -> RevisitOffer | None:
    return (
        RevisitOffer.objects.filter(visit=visit, used_at__isnull=True, valid_until__gte=clock.now())
        .order_by("-valid_until")
        .first()
    )


def check_revisit_allowed(visit: Visit, *, offers: list[RevisitOffer] | None = None) -> RevisitOffer | None:
    """VISIT-3/4: a closed visit in an area with revisits, within 30 days of closure or an offer's period."""
    case = visit.case
    if case.status != CaseStatus.CLOSED or case.closed_at is None:
        raise VisitError.VISIT_STILL_OPEN.error()
    if not visit.area.revisits_allowed:
        raise VisitError.NO_REVISITS.error(days=RETURN_DAYS)
    offer = open_offer(visit) if offers is None else (offers[0] if offers else None)
    if offer is None and case.closed_at < clock.now() - dt.timedelta(days=REVISIT_DAYS):
        raise VisitError.REVISIT_TOO_LATE.error(days=REVISIT_DAYS)
    return offer


def return_days(case: Case) -> int:
    """VISIT-4: the provider's return window for the case (its dated policy on the closing day, else 4 days)."""
    closed_on = (case.closed_at or clock.now()).astimezone(clock.STOCKHOLM).date()
    return return_window_days(case.provider_id, closed_on, default=RETURN_DAYS)


def check_write_again_allowed(visit: Visit, *, offers: list[RevisitOffer] | None = None) -> None:
    """VISIT-4: only areas without revisits, within the provider's return window (4 days by default)."""
    case = visit.case
    if case.status != CaseStatus.CLOSED or case.closed_at is None:
        raise VisitError.VISIT_STILL_OPEN.error()
    if visit.area.revisits_allowed:
        raise VisitError.RETURN_ONLY_WITHOUT_REVISITS.error()
    days = return_days(case)
    if case.closed_at.astimezone(clock.STOCKHOLM).date() < clock.today() - dt.timedelta(days=days):
        raise VisitError.RETURN_TOO_LATE.error(days=days)


def do_start_revisit(
    actor: Actor,
    earlier: Visit,
    *,
    answers: dict[str, Any],
    abroad: Any,
    profile_confirmed: bool,
    channel: str = Channel.WEB,
    files: Sequence[CheckedFile] = (),
) -> StartedVisit:
    """A revisit (VISIT-3): a few questions and a confirmed health profile first (VISIT-5), then a new case
    that goes to the practitioner of the earlier visit."""
    subject = check_resident_subject(actor)
    if earlier.case.subject_id != subject.pk:
        raise NotFound(VisitError.VISIT_NOT_FOUND)
    check_no_red_flag(REVISIT_ITEMS, REVISIT_FLAGS, answers)
    offer = check_revisit_allowed(earlier)
    clean = check_response(REVISIT_ITEMS, answers)
    profile = HealthProfile.objects.filter(person=subject).first()
    if profile is None:
        raise VisitError.PROFILE_MISSING.error(field="profile_confirmed")
    if not profile_confirmed:
        raise VisitError.PROFILE_CONFIRMATION.error(field="profile_confirmed")
    with transaction.atomic():
        started = _open_visit(
            actor,
            subject,
            earlier.area,
            earlier.triage,
            clean,
            abroad=abroad,
            channel=channel,
            files=files,
            revisit_of=earlier,
        )
        HealthProfile.objects.filter(pk=profile.pk).update(confirmed_at=clock.now())
        if offer is not None:
            RevisitOffer.objects.filter(pk=offer.pk).update(used_at=clock.now())
    return started


def do_write_again(actor: Actor, visit: Visit, *, body: str) -> Message:
    """VISIT-4: in an area without revisits, the resident writes again in the closed case within 4 days,
    free of charge: the case opens again with the same practitioner."""
    subject = check_resident_subject(actor)
    case = visit.case
    if case.subject_id != subject.pk:
        raise NotFound(VisitError.VISIT_NOT_FOUND)
    text = check_message_body(body)
    check_write_again_allowed(visit)
    now = clock.now()
    with transaction.atomic():
        message = Message.objects.create(
            case=case, kind=MessageKind.RESIDENT_MESSAGE, author_person_id=actor.person_id, body=text, created_at=now
        )
        case.status = CaseStatus.ASSIGNED if case.assigned_to_id else CaseStatus.NEW
        case.closed_at, case.outcome = None, ""
        case.staff_unread, case.last_activity_at = True, now
        case.save(update_fields=["status", "closed_at", "outcome", "staff_unread", "last_activity_at"])
        if case.assigned_to_id is not None:
            duty, _created = Duty.objects.get_or_create(staff_id=case.assigned_to_id, unit_id=case.unit_id)
            _take_queue_place(duty)
            Visit.objects.filter(pk=visit.pk).update(queued_for_id=case.assigned_to_id)
        do_record(actor, AuditEvent.VISIT_WRITE_AGAIN, message, subject_person_id=subject.pk)
    return message


def do_offer_revisit(actor: Actor, visit: Visit, *, kind: str, days: Any) -> RevisitOffer:
    """VISIT-3: the visit's practitioner offers a planned or voluntary revisit for a period."""
    case = visit.case
    if actor.staff_id is None or case.assigned_to_id != actor.staff_id:
        raise PermissionDenied(VisitError.NOT_YOUR_VISIT)
    if not visit.area.revisits_allowed:
        raise VisitError.NO_REVISITS.error(days=RETURN_DAYS)
    if kind not in RevisitKind.values:
        raise VisitError.REVISIT_KIND.error(field="kind")
    try:
        period = int(days)
    except (TypeError, ValueError):
        period = 0
    if not 1 <= period <= MAX_OFFER_DAYS:
        raise VisitError.REVISIT_PERIOD.error(field="days", limit=MAX_OFFER_DAYS)
    now = clock.now()
    with transaction.atomic():
        offer = RevisitOffer.objects.create(
            visit=visit,
            kind=kind,
            valid_until=now + dt.timedelta(days=period),
            offered_by_id=actor.staff_id,
            offered_at=now,
        )
        do_record(actor, AuditEvent.VISIT_REVISIT_OFFER, offer, subject_person_id=case.subject_id)
        notify_case_event(case, "reply")
    return offer


# --- video meetings (VISIT-8) ------------------------------------------------------------------

MEETING_MINUTES = 30


def meeting_time_text(meeting: VideoMeeting, *, language: str = "sv") -> str:
    """The meeting's start in Stockholm time: "tisdag 8 december 2026 kl. 10:00" (in Swedish)."""
    from django.utils import translation
    from django.utils.formats import date_format
    from django.utils.translation import gettext

    local = meeting.starts_at.astimezone(clock.STOCKHOLM)
    with translation.override(language):
        return f"{date_format(local, 'l j F Y')} {gettext('kl.')} {local:%H:%M}"


def do_propose_meeting(actor: Actor, visit: Visit, *, day: Any, time: Any) -> VideoMeeting:
    """VISIT-8: the visit's practitioner proposes a time for a video meeting in the case's chat.

    The proposal is a message in the dialogue and the resident gets a notice;
    the resident accepts the time or asks for another on the meeting page
    (do_answer_meeting), and another proposal replaces this one.
    """
    case = visit.case
    if actor.staff_id is None or case.assigned_to_id != actor.staff_id:
        raise PermissionDenied(VisitError.NOT_YOUR_VISIT)
    if case.status == CaseStatus.CLOSED:
        raise VisitError.VISIT_CLOSED.error()
    now = clock.now()
    starts_at = check_meeting_time(day, time, now=now)
    with transaction.atomic():
        VideoMeeting.objects.filter(visit=visit, cancelled_at__isnull=True).update(cancelled_at=now)
        meeting = VideoMeeting.objects.create(
            visit=visit, starts_at=starts_at, minutes=MEETING_MINUTES, proposed_by_id=actor.staff_id, proposed_at=now
        )
        body = (
            f"Jag föreslår ett videomöte {meeting_time_text(meeting)}. Öppna videomötet från ärendet när det är "
            f"dags (det öppnar {VideoMeeting.OPENS_BEFORE_MINUTES} minuter före). Bekräfta tiden där, eller be om "
            "en annan tid om den inte passar."
        )
        Message.objects.create(
            case=case, kind=MessageKind.PARTIAL_REPLY, author_staff_id=actor.staff_id, body=body, created_at=now
        )
        case.resident_unread = True
        case.last_activity_at = now
        case.save(update_fields=["resident_unread", "last_activity_at"])
        do_record(actor, AuditEvent.VISIT_MEETING_PROPOSE, meeting, subject_person_id=case.subject_id)
        notify_case_event(case, "partial_reply")
    return meeting


def do_record_meeting_join(actor: Actor, meeting: VideoMeeting) -> None:
    """VISIT-8: who joined the meeting, and when (the call itself is never recorded).

    A colleague who has been handed the visit since the time was proposed joins
    in the proposer's place; the entry says so (ids only).
    """
    covering = actor.staff_id is not None and actor.staff_id != meeting.proposed_by_id
    extra = {"covering_for_staff_id": meeting.proposed_by_id} if covering else None
    with transaction.atomic():
        do_record(
            actor,
            AuditEvent.VISIT_MEETING_JOIN,
            meeting,
            subject_person_id=meeting.visit.case.subject_id,
            extra=extra,
        )


def _check_meeting_of(visit: Visit, meeting: VideoMeeting, now: dt.datetime) -> None:
    """The visit's current meeting, its time not yet over, the visit still open."""
    if meeting.visit_id != visit.pk or meeting.cancelled_at is not None:
        raise NotFound(VisitError.MEETING_NOT_FOUND)
    if visit.case.status == CaseStatus.CLOSED:
        raise VisitError.VISIT_CLOSED.error()
    if now >= meeting.ends_at:
        raise VisitError.MEETING_OVER.error()


def _tell_handler(case: Case, text: str) -> None:
    """An in-app notice to whoever handles the visit now (a colleague it was handed to, not the proposer)."""
    if case.assigned_to_id is not None:
        link = reverse("visits:staff_meeting", kwargs={"case_id": case.pk})
        notify_staff([case.assigned_to_id], NoticeKind.MEETING_ANSWER, text=text, link=link)


def do_answer_meeting(
    actor: Actor, visit: Visit, meeting: VideoMeeting, *, accept: Any, note: Any = ""
) -> VideoMeeting:
    """VISIT-8: the resident accepts the proposed time, or asks for another one (with a note in the chat).

    The answer is a message in the dialogue and the handling practitioner gets a
    notice in the app. A pending time may be accepted or declined; an accepted
    one may still be declined; a declined one waits for a new proposal.
    """
    subject = check_resident_subject(actor)
    case = visit.case
    if case.subject_id != subject.pk:
        raise NotFound(VisitError.VISIT_NOT_FOUND)
    now = clock.now()
    _check_meeting_of(visit, meeting, now)
    if not isinstance(accept, bool):
        raise VisitError.MEETING_ANSWER.error(field="answer")
    text = check_message_body(note, field="note", required=False)
    allowed_from = [MeetingAnswer.PENDING] if accept else [MeetingAnswer.PENDING, MeetingAnswer.ACCEPTED]
    answer = MeetingAnswer.ACCEPTED if accept else MeetingAnswer.DECLINED
    when = meeting_time_text(meeting)
    if accept:
        body = f"Jag bekräftar videomötet {when}."
    else:
        body = f"Tiden för videomötet {when} passar inte. Kan vi hitta en annan tid?"
        body += f"\n\n{text}" if text else ""
    with transaction.atomic():
        updated = VideoMeeting.objects.filter(pk=meeting.pk, cancelled_at__isnull=True, answer__in=allowed_from).update(
            answer=answer, answered_at=now
        )
        if not updated:
            raise VisitError.MEETING_ANSWERED.error()
        Message.objects.create(
            case=case, kind=MessageKind.RESIDENT_MESSAGE, author_person_id=actor.person_id, body=body, created_at=now
        )
        Case.objects.filter(pk=case.pk).update(staff_unread=True, last_activity_at=now)
        event = AuditEvent.VISIT_MEETING_ACCEPT if accept else AuditEvent.VISIT_MEETING_DECLINE
        do_record(actor, event, meeting, subject_person_id=case.subject_id)
        _tell_handler(
            case,
            f"Invånaren har bekräftat videomötet i ärende {case.number}."
            if accept
            else f"Invånaren vill ha en annan tid för videomötet i ärende {case.number}.",
        )
    meeting.refresh_from_db()
    return meeting


def do_cancel_meeting(actor: Actor, visit: Visit, meeting: VideoMeeting) -> VideoMeeting:
    """VISIT-8: the practitioner who handles the visit calls the meeting off; the resident is told in the chat."""
    case = visit.case
    if actor.staff_id is None or case.assigned_to_id != actor.staff_id:
        raise PermissionDenied(VisitError.NOT_YOUR_VISIT)
    now = clock.now()
    _check_meeting_of(visit, meeting, now)
    with transaction.atomic():
        if not VideoMeeting.objects.filter(pk=meeting.pk, cancelled_at__isnull=True).update(cancelled_at=now):
            raise NotFound(VisitError.MEETING_NOT_FOUND)
        Message.objects.create(
            case=case,
            kind=MessageKind.PARTIAL_REPLY,
            author_staff_id=actor.staff_id,
            body=f"Videomötet {meeting_time_text(meeting)} är inställt. Jag skriver här om hur vi går vidare.",
            created_at=now,
        )
        Case.objects.filter(pk=case.pk).update(resident_unread=True, last_activity_at=now)
        do_record(actor, AuditEvent.VISIT_MEETING_CANCEL, meeting, subject_person_id=case.subject_id)
        notify_case_event(case, "partial_reply")
    meeting.refresh_from_db()
    return meeting
