"""Every state change of a case: submit, distribute, ask, answer, reply, note, close.

Each do_* checks permission, runs in one transaction, writes the audit entry in
that transaction, and leaves content immutable (CASE-5): messages are only
inserted; the case row only changes its handling columns.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import ExpressionWrapper, F, OuterRef, QuerySet, TextField
from rapidfuzz.distance import Indel

from vardnav.attachments import actions as attachments
from vardnav.attachments.models import Attachment
from vardnav.attachments.validation import CheckedFile
from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.cases.errors import CaseError
from vardnav.cases.hooks import SubmissionContext, case_extensions, hooks_for
from vardnav.cases.models import Case, CaseFlag, CaseReading, CaseStatus, Channel, Message, MessageKind, Outcome
from vardnav.cases.notices import notify_case_event
from vardnav.catalog.access import Offer, access_offer_of, attachments_allowed, current_questionnaire
from vardnav.catalog.eligibility import check_service_eligibility
from vardnav.catalog.errors import CatalogError
from vardnav.catalog.models import HandlingTimeUnit, Questionnaire, Service
from vardnav.catalog.questionnaires import check_questionnaire_definition, check_response
from vardnav.core import calendar, clock
from vardnav.core.actor import Actor
from vardnav.core.compiled import CompiledInsert, CompiledQuery
from vardnav.core.crypto import blind_index
from vardnav.core.errors import NotFound, PermissionDenied
from vardnav.organizations.access import current_listing, listed_at, staff_roles_at
from vardnav.organizations.models import Role, RoleGrant, Staff, Unit
from vardnav.people.models import Person

MESSAGE_MAX_LENGTH = 5000
NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
DUPLICATE_SIMILARITY = 0.95  # CASE-6: how alike (normalised Indel similarity) a probable duplicate is
SUBJECT_FIELDS = ("id", "birth_date", "protected_identity", "is_coordination_number")
# Read on every resident write: compiled once per process (core.compiled, issue 13).
_SUBJECT = CompiledQuery(lambda v: Person.objects.only(*SUBJECT_FIELDS).filter(pk=v["person_id"])[:1], person_id=int)
# The same, for a submission: with where the person is listed (organizations.listed_at), which
# routing asks for a listing-bound service, so the listing needs no query of its own.
_SUBMITTER = CompiledQuery(
    lambda v: Person.objects.only(*SUBJECT_FIELDS).filter(pk=v["person_id"]).annotate(**listed_at(OuterRef("pk")))[:1],
    person_id=int,
)


# --- who acts -------------------------------------------------------------------


def check_resident_subject(actor: Actor) -> Person:
    """The person whose case this is: the resident, or the child a guardian acts for (ID-2, ID-3)."""
    return _check_subject(actor, listing=False)


def check_submission_subject(actor: Actor) -> Person:
    """check_resident_subject, for a submission: the person comes with where they are listed
    (`listed_unit_id`, `listed_provider_id`), which route_case then reads instead of the listing."""
    return _check_subject(actor, listing=True)


def _check_subject(actor: Actor, *, listing: bool) -> Person:
    if not actor.is_resident or actor.person_id is None:
        raise PermissionDenied(CaseError.RESIDENT_REQUIRED)
    # Only the columns the case rules read (id, age, protected identity): the encrypted
    # name and number are neither decrypted nor fetched unless a caller asks for them.
    if actor.acting_for_id is None:
        person = (_SUBMITTER if listing else _SUBJECT).first(person_id=actor.person_id)
        if person is None:
            raise Person.DoesNotExist()
        return person  # type: ignore[no-any-return]
    children = Person.objects.only(*SUBJECT_FIELDS).filter(
        pk=actor.acting_for_id, guardian_relations__guardian_id=actor.person_id
    )
    if listing:
        children = children.annotate(**listed_at(OuterRef("pk")))
    child = children.first()
    if child is None or child.age_on(clock.today()) >= 16:
        raise NotFound()
    return child


def _require_role(actor: Actor, case: Case, *roles: str) -> set[str]:
    held = staff_roles_at(actor, case.unit_id)
    if not held & set(roles):
        raise NotFound()
    return held


# --- input checks ---------------------------------------------------------------


def check_message_body(body: Any, *, field: str = "body", required: bool = True) -> str:
    # Browsers send textarea line breaks as CRLF; store one kind of line break.
    text = str(body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not text:
        raise CaseError.EMPTY_MESSAGE.error(field=field)
    if len(text) > MESSAGE_MAX_LENGTH:
        raise CaseError.MESSAGE_TOO_LONG.error(field=field, limit=MESSAGE_MAX_LENGTH, length=len(text))
    return text


def route_case(subject: Person, service: Service, unit: Unit | None) -> Unit:
    """CASE-1: listing-bound services go to the resident's listed unit; others to the chosen unit.

    A service the subject is too young, too old or of the other sex for goes nowhere (issue 11, item 4).
    """
    check_service_eligibility(service, subject, clock.today())
    if service.listing_bound:
        listed_unit: Unit | None
        if unit is not None and hasattr(subject, "listed_unit_id"):
            # check_submission_subject read where the subject is listed: no query for the listing.
            unit_id, provider_id = subject.listed_unit_id, subject.listed_provider_id  # type: ignore[attr-defined]
            listed_unit = unit
        else:
            listing = current_listing(subject.pk)
            unit_id, provider_id, listed_unit = (
                (listing.unit_id, listing.unit.provider_id, listing.unit) if listing else (None, None, None)
            )
        if unit_id is None or provider_id != service.provider_id:
            raise CaseError.NOT_LISTED.error()
        if unit is not None and unit.pk != unit_id:
            raise CaseError.NOT_LISTED_AT_UNIT.error()
        unit = listed_unit
    if unit is None:
        raise CaseError.UNIT_REQUIRED.error(field="unit")
    return unit


def due_at_for(service: Service, submitted_at: dt.datetime) -> dt.datetime:
    """CASE-2: the service's handling time, in working days (Swedish calendar) or hours."""
    if service.handling_time_unit == HandlingTimeUnit.HOURS:
        return calendar.add_hours(submitted_at, service.handling_time_value)
    return calendar.add_working_days(submitted_at, service.handling_time_value)


_NOT_WORD = re.compile(r"[^\w=|]+")


def _normalised_text(answers: dict[str, Any]) -> str:
    parts = []
    for key in sorted(answers):
        value = answers[key]
        parts.append(f"{key}={' '.join(map(str, value)) if isinstance(value, list) else value}")
    return _NOT_WORD.sub(" ", " | ".join(parts).lower()).strip()


def _duplicate_candidates(v: Mapping[str, Any]) -> QuerySet[Case]:
    """The subject's earlier first cases of the service in the window, oldest first, at most 20."""
    return Case.objects.filter(
        subject_id=v["subject_id"], service_id=v["service_id"], submitted_at__gte=v["since"], duplicate_of__isnull=True
    ).order_by("submitted_at", "id")


_DUPLICATE_KINDS: dict[str, Any] = {"subject_id": int, "service_id": int, "since": dt.datetime}
# Plain values, and the answers still encrypted (a plain text column to the ORM, so nothing decrypts
# them): decrypted only when no fingerprint matched. One query, no model instance per candidate.
_DUPLICATE_CANDIDATES = CompiledQuery(
    lambda v: (
        _duplicate_candidates(v)
        .annotate(sealed_answers=ExpressionWrapper(F("answers"), output_field=TextField()))
        .values("id", "number", "content_fingerprint", "sealed_answers")[:20]
    ),
    **_DUPLICATE_KINDS,
)


def find_probable_duplicate(
    subject: Person, service: Service, answers: dict[str, Any], now: dt.datetime, *, text: str | None = None
) -> Case | None:
    """CASE-6: the first case of the same person and service with (nearly) the same content in the window.

    Cheapest first: the candidates' fingerprints (no decryption); only when none is
    equal are their answers, read encrypted with them, decrypted and compared.
    "Nearly the same" is a normalised Indel similarity (2 × the longest common
    subsequence / both lengths) of at least DUPLICATE_SIMILARITY, computed by
    rapidfuzz with the threshold as its cut-off: a resident who sends many cases
    a day made this check a quarter of a submission's CPU with difflib.
    The returned case has only its id and number loaded.
    """
    since = now - dt.timedelta(hours=settings.CASE_DUPLICATE_WINDOW_HOURS)
    candidates = _DUPLICATE_CANDIDATES.rows(subject_id=subject.pk, service_id=service.pk, since=since)
    if not candidates:
        return None
    text = _normalised_text(answers) if text is None else text
    fingerprint = blind_index(text)
    match = next((row for row in candidates if row["content_fingerprint"] == fingerprint), None)
    if match is None:
        # Only now the answers, decrypted by the field itself, as the ORM would have.
        answers_field = Case._meta.get_field("answers")
        for row in candidates:
            earlier = _normalised_text(answers_field.from_db_value(row["sealed_answers"], None, connection))
            if Indel.normalized_similarity(text, earlier, score_cutoff=DUPLICATE_SIMILARITY) >= DUPLICATE_SIMILARITY:
                match = row
                break
    if match is None:
        return None
    return Case.from_db(connection.alias, ["id", "number"], [match["id"], match["number"]])


@dataclass(frozen=True)
class CheckedSubmission:
    """A submission that passed every check; what insert_case needs to store it."""

    unit: Unit
    service: Service
    questionnaire: Questionnaire
    answers: dict[str, Any]
    flags: frozenset[str]


def check_submission(actor: Actor, subject: Person, offer: Offer, answers: dict[str, Any]) -> CheckedSubmission:
    """The answers fit the offered service's current questionnaire, and the service's hooks agree.

    `offer` comes from catalog.access (access_offer, access_offer_of): that the unit offers the
    service was checked there, once per submission, and is not asked again.
    """
    unit, service = offer.unit, offer.service
    questionnaire = offer.questionnaire or current_questionnaire(service)
    if questionnaire is None:
        raise NotFound(CatalogError.SERVICE_NOT_OFFERED)
    clean = check_response(questionnaire.items, answers)
    context = SubmissionContext(actor=actor, subject=subject, unit=unit, service=service)
    flags = hooks_for(service.kind).check_submission(context, clean)
    return CheckedSubmission(unit, service, questionnaire, clean, frozenset(flags))


# A submission's INSERTs, built once per process (core.compiled, issue 13): building them with
# the ORM on every submission cost more CPU than running them. A case number already taken
# inserts nothing (ON CONFLICT DO NOTHING) instead of failing: no savepoint is needed around
# the case's insert to keep the transaction usable for the next draw.
_CASE_INSERT = CompiledInsert(Case, conflict_field="number")
_MESSAGE_INSERT = CompiledInsert(Message)
_FLAG_INSERT = CompiledInsert(CaseFlag)
NUMBER_DRAWS = 5


def insert_case(
    checked: CheckedSubmission, *, subject: Person, submitted_by_id: int, channel: str, **extra: Any
) -> tuple[Case, Message]:
    """Store a checked case with its submission message and flags; call inside the caller's transaction.

    A probable duplicate (CASE-6, whatever the channel) is linked to the first and flagged, never dropped.
    """
    now = clock.now()
    text = _normalised_text(checked.answers)
    duplicate_of = find_probable_duplicate(subject, checked.service, checked.answers, now, text=text)
    case = _insert_case(
        provider_id=checked.unit.provider_id,
        unit=checked.unit,
        service=checked.service,
        questionnaire=checked.questionnaire,
        subject=subject,
        submitted_by_id=submitted_by_id,
        channel=channel,
        answers=checked.answers,
        routed_role=checked.service.routed_role,
        submitted_at=now,
        due_at=due_at_for(checked.service, now),
        last_activity_at=now,
        duplicate_of=duplicate_of,
        content_fingerprint=blind_index(text),
        **extra,
    )
    # Prebuilt inserts, as the case's (Message.save only refuses changes to a sent message).
    submission = Message(case=case, kind=MessageKind.SUBMISSION, author_person_id=submitted_by_id, created_at=now)
    _MESSAGE_INSERT.insert([submission])
    flags = set(checked.flags) | ({"probable_duplicate"} if duplicate_of else set())
    _FLAG_INSERT.insert([CaseFlag(case=case, code=code) for code in sorted(flags)])
    return case, submission


def _new_number() -> str:
    raw = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


# --- resident side ----------------------------------------------------------------


def do_submit_case(
    actor: Actor,
    *,
    service: Service,
    unit: Unit | None,
    answers: dict[str, Any],
    channel: str = Channel.WEB,
    files: Sequence[CheckedFile] = (),
) -> Case:
    """A resident (or a guardian for a child) sends a case for `service`, routed by CASE-1 from `unit`.

    For callers that hold a service and maybe a unit (the API, services, tests);
    a page that has already found the offer calls do_submit_offered.
    """
    subject = check_resident_subject(actor)
    # The caller holds the service: the offer check reads only the questionnaire (and the service's facts).
    offer = access_offer_of(route_case(subject, service, unit), service)
    return _submit(actor, subject, offer, answers=answers, channel=channel, files=files)


def do_submit_offered(
    actor: Actor,
    offer: Offer,
    *,
    answers: dict[str, Any],
    channel: str = Channel.WEB,
    files: Sequence[CheckedFile] = (),
) -> Case:
    """A resident (or a guardian for a child) sends a case through the offered service's questionnaire,
    with checked files when the unit allows them in this service (ATT-3, ATT-4).

    The offer's unit must be where CASE-1 routes the case (a listing-bound
    service goes to the listed unit only).
    """
    subject = check_resident_subject(actor)
    if route_case(subject, offer.service, offer.unit).pk != offer.unit.pk:
        raise CaseError.NOT_LISTED_AT_UNIT.error()
    return _submit(actor, subject, offer, answers=answers, channel=channel, files=files)


@dataclass(frozen=True)
class RoutedOffer:
    """An offer already routed for its subject (CASE-1) and checked (ORG-2) by cases.access.access_submission_offer.

    Why a type: the API finds the offer once per submission; do_submit_routed
    stores it without loading the person and routing the case a second time.
    """

    subject: Person
    offer: Offer


def do_submit_routed(
    actor: Actor,
    routed: RoutedOffer,
    *,
    answers: dict[str, Any],
    channel: str = Channel.WEB,
    files: Sequence[CheckedFile] = (),
) -> Case:
    """A resident (or a guardian for a child) sends a case through an offer routed for them."""
    if not actor.is_resident or routed.subject.pk != actor.subject_person_id:
        raise NotFound()
    return _submit(actor, routed.subject, routed.offer, answers=answers, channel=channel, files=files)


def _submit(
    actor: Actor,
    subject: Person,
    offer: Offer,
    *,
    answers: dict[str, Any],
    channel: str,
    files: Sequence[CheckedFile],
) -> Case:
    """Check and store a routed, offered submission with its files and audit entry, in one transaction."""
    assert actor.person_id is not None  # check_resident_subject refuses an actor without a person
    if files:
        attachments.check_file_count(actor, len(files))
        _check_accepts_files(offer.unit, offer.service)
    checked = check_submission(actor, subject, offer, answers)
    # No savepoint of its own: inside run_idempotent's transaction an error here rolls
    # back the whole request anyway, and alone it is the transaction.
    with attachments.stored_files(files) as stored, transaction.atomic(savepoint=False):
        case, submission = insert_case(checked, subject=subject, submitted_by_id=actor.person_id, channel=channel)
        case.offer_facts = offer.facts
        for extension in case_extensions():
            extension.on_submitted(actor, case)
        attachments.create_rows(
            stored,
            case.file_folder,
            owner_id=submission.pk,
            subject_person_id=subject.pk,
            person_id=actor.person_id,
        )
        # The write's last statement: through the API it rides in the idempotency record's INSERT.
        do_record(
            actor,
            AuditEvent.CASE_SUBMIT,
            case,
            subject_person_id=subject.pk,
            unit_id=offer.unit.pk,
            last=True,
        )
    return case


def _insert_case(**fields: Any) -> Case:
    """Insert with a fresh random case number; a collision (1 in 10^12) just draws again.

    The instance is built as Case.objects.create builds it (defaults, cached related
    objects) and comes back saved: pk set, not adding, on the database it was written to.
    """
    case = Case(**fields)
    for _ in range(NUMBER_DRAWS):
        case.number = _new_number()
        _CASE_INSERT.insert([case])
        if case.pk is not None:
            return case
    raise RuntimeError("could not draw a unique case number")


def do_send_resident_message(
    actor: Actor,
    case: Case,
    *,
    body: str,
    files: Sequence[CheckedFile] = (),
    attachment_ids: Sequence[int] = (),
) -> Message:
    """The resident writes in an open case: an answer to a counter-question (CASE-4) or a follow-up,
    with new checked files and/or files staged earlier through the API (ATT-3, ATT-4)."""
    subject = check_resident_subject(actor)
    if case.subject_id != subject.pk:
        raise NotFound()
    text = check_message_body(body)
    if case.status == CaseStatus.CLOSED:
        raise CaseError.CASE_CLOSED.error()
    if files or attachment_ids:
        check_resident_may_attach(case)
        attachments.check_file_count(actor, len(files) + len(set(attachment_ids)))
    now = clock.now()
    # No savepoint of its own: inside run_idempotent any failure rolls the whole write back anyway,
    # and without one the audit entry can ride in the idempotency record's INSERT (last=True). So a
    # caller with an outer transaction must let an error here end it, as run_idempotent does.
    with attachments.stored_files(files) as stored, transaction.atomic(savepoint=False):
        message = Message.objects.create(
            case=case, kind=MessageKind.RESIDENT_MESSAGE, author_person_id=actor.person_id, body=text, created_at=now
        )
        attachments.create_rows(
            stored, case.file_folder, owner_id=message.pk, subject_person_id=case.subject_id, person_id=actor.person_id
        )
        _send_staged(actor, case, attachment_ids, message)
        if case.status == CaseStatus.WAITING_FOR_RESIDENT:
            case.status = CaseStatus.ASSIGNED if case.assigned_to_id else CaseStatus.NEW
        case.staff_unread = True
        case.last_activity_at = now
        case.save(update_fields=["status", "staff_unread", "last_activity_at"])
        do_record(actor, AuditEvent.CASE_MESSAGE, message, subject_person_id=case.subject_id, last=True)
    return message


def do_mark_read_by_resident(actor: Actor, case: Case) -> None:
    if case.resident_unread:
        Case.objects.filter(pk=case.pk).update(resident_unread=False)
        case.resident_unread = False


# --- staff side -----------------------------------------------------------------------


def do_distribute_case(
    actor: Actor, case: Case, *, handler: Staff, partial_reply: str = "", attachment_ids: Sequence[int] = ()
) -> Case:
    """CASE-3: a receiver hands the case to a handler of the unit, optionally with a partial reply (delsvar).

    ATT-5: the receiver may send files they uploaded, but only with a partial reply.
    """
    _require_role(actor, case, Role.RECEIVER)
    if case.status == CaseStatus.CLOSED:
        raise CaseError.CASE_CLOSED.error()
    if not RoleGrant.objects.filter(
        staff=handler, unit_id=case.unit_id, role=Role.HANDLER, staff__is_active=True
    ).exists():
        raise CaseError.NOT_A_HANDLER.error(field="handler")
    text = check_message_body(partial_reply, field="partial_reply", required=False)
    if attachment_ids and not text:
        raise CaseError.ATTACHMENTS_NEED_PARTIAL_REPLY.error(field="partial_reply")
    attachments.check_file_count(actor, len(set(attachment_ids)), field="attachment_ids")
    now = clock.now()
    with transaction.atomic():
        if text:
            partial = Message.objects.create(
                case=case, kind=MessageKind.PARTIAL_REPLY, author_staff_id=actor.staff_id, body=text, created_at=now
            )
            _send_staged(actor, case, attachment_ids, partial)
            case.resident_unread = True
            notify_case_event(case, "partial_reply")
        case.assigned_to = handler
        if case.status == CaseStatus.NEW:
            case.status = CaseStatus.ASSIGNED
        case.staff_unread = True
        case.last_activity_at = now
        case.save(update_fields=["assigned_to", "status", "staff_unread", "resident_unread", "last_activity_at"])
        do_record(
            actor,
            AuditEvent.CASE_DISTRIBUTE,
            case,
            subject_person_id=case.subject_id,
            purpose="fördelning",
        )
    return case


def do_take_case(actor: Actor, case: Case) -> Case:
    """CASE-1: a handler takes an unassigned case that its service routes straight to the handler role.

    Why a separate step: such a case waits for the unit's handlers as a group;
    taking it makes one of them responsible, as a receiver's distribution would.
    """
    held = _require_role(actor, case, Role.HANDLER)
    if case.assigned_to_id == actor.staff_id:
        return case
    # A handler who cannot see the case (someone else's, or waiting for a receiver) gets the
    # same 404 as for a case that does not exist; a receiver who sees it is told why not.
    visible = case.routed_role == Role.HANDLER and case.assigned_to_id is None
    if not visible and Role.RECEIVER not in held:
        raise NotFound()
    if case.status == CaseStatus.CLOSED:
        raise CaseError.CASE_CLOSED.error()
    if case.routed_role != Role.HANDLER:
        raise CaseError.CASE_NOT_FOR_HANDLERS.error()
    now = clock.now()
    with transaction.atomic():
        taken = Case.objects.filter(pk=case.pk, assigned_to__isnull=True).update(
            assigned_to=actor.staff_id,
            status=CaseStatus.ASSIGNED if case.status == CaseStatus.NEW else case.status,
            last_activity_at=now,
        )
        if not taken:
            raise CaseError.CASE_ALREADY_TAKEN.error()
        case.refresh_from_db(fields=["assigned_to", "status", "last_activity_at"])
        do_record(actor, AuditEvent.CASE_TAKE, case, subject_person_id=case.subject_id)
    return case


def _require_handler(actor: Actor, case: Case) -> None:
    """Only the staff member the case is assigned to asks, answers and closes (CASE-3, CASE-4).

    The refusal says what is actually wrong: an unassigned case must first be
    distributed (or, routed to the handler role, taken); only an assigned one
    belongs to someone else.
    """
    _require_role(actor, case, Role.HANDLER, Role.RECEIVER)
    if case.assigned_to_id is None:
        if case.routed_role == Role.HANDLER:
            raise CaseError.CASE_NOT_TAKEN.error()
        raise CaseError.CASE_NOT_DISTRIBUTED.error()
    if case.assigned_to_id != actor.staff_id:
        raise PermissionDenied(CaseError.ASSIGNED_TO_OTHER)
    if case.status == CaseStatus.CLOSED:
        raise CaseError.CASE_CLOSED.error()


def do_ask_question(actor: Actor, case: Case, *, body: str, attachment_ids: Sequence[int] = ()) -> Message:
    """CASE-4: the handler asks the resident a counter-question; the case waits for the resident.
    ATT-5: the handler may send files they uploaded with it."""
    _require_handler(actor, case)
    text = check_message_body(body)
    attachments.check_file_count(actor, len(set(attachment_ids)), field="attachment_ids")
    now = clock.now()
    with transaction.atomic():
        message = Message.objects.create(
            case=case, kind=MessageKind.QUESTION, author_staff_id=actor.staff_id, body=text, created_at=now
        )
        _send_staged(actor, case, attachment_ids, message)
        case.status = CaseStatus.WAITING_FOR_RESIDENT
        case.resident_unread = True
        case.last_activity_at = now
        case.save(update_fields=["status", "resident_unread", "last_activity_at"])
        do_record(actor, AuditEvent.CASE_QUESTION, message, subject_person_id=case.subject_id)
        notify_case_event(case, "question")
    return message


def reply_form_for(case: Case) -> list[dict[str, Any]]:
    return check_questionnaire_definition(hooks_for(case.service.kind).reply_form)


def do_reply(
    actor: Actor,
    case: Case,
    *,
    answers: dict[str, Any],
    close: bool = False,
    outcome: str = "",
    attachment_ids: Sequence[int] = (),
) -> Message:
    """CASE-3: the handler answers by filling in the service's reply form; optionally closes the case.
    ATT-5: the handler may send files they uploaded with the answer."""
    _require_handler(actor, case)
    attachments.check_file_count(actor, len(set(attachment_ids)), field="attachment_ids")
    hooks = hooks_for(case.service.kind)
    if not hooks.may_reply(actor, case):
        raise PermissionDenied(CaseError.PROFESSION_MAY_NOT_REPLY)
    form = reply_form_for(case)
    clean = check_response(form, answers)
    body = str(clean.get("reply", ""))
    if close:
        outcome = _check_outcome(outcome or Outcome.ANSWERED)
    now = clock.now()
    with transaction.atomic():
        message = Message.objects.create(
            case=case,
            kind=MessageKind.REPLY,
            author_staff_id=actor.staff_id,
            body=body,
            form_answers=clean,
            created_at=now,
        )
        _send_staged(actor, case, attachment_ids, message)
        case.status = CaseStatus.CLOSED if close else CaseStatus.ANSWERED
        case.resident_unread = True
        case.last_activity_at = now
        fields = ["status", "resident_unread", "last_activity_at"]
        if close:
            case.closed_at, case.outcome = now, outcome
            fields += ["closed_at", "outcome"]
        case.save(update_fields=fields)
        hooks.on_reply(actor, case, clean)
        do_record(actor, AuditEvent.CASE_REPLY, message, subject_person_id=case.subject_id)
        if close:
            for extension in case_extensions():
                extension.on_closed(actor, case)
        notify_case_event(case, "reply")
    return message


def do_add_note(actor: Actor, case: Case, *, body: str) -> Message:
    """An internal note: staff of the unit see it, the resident never does."""
    _require_role(actor, case, Role.HANDLER, Role.RECEIVER)
    text = check_message_body(body)
    with transaction.atomic():
        message = Message.objects.create(
            case=case, kind=MessageKind.NOTE, author_staff_id=actor.staff_id, body=text, created_at=clock.now()
        )
        do_record(actor, AuditEvent.CASE_NOTE, message, subject_person_id=case.subject_id)
    return message


def _check_outcome(outcome: str) -> str:
    if outcome not in Outcome.values:
        raise CaseError.INVALID_OUTCOME.error(field="outcome")
    return outcome


def do_close_case(actor: Actor, case: Case, *, outcome: str) -> Case:
    _require_handler(actor, case)
    outcome = _check_outcome(outcome)
    now = clock.now()
    with transaction.atomic():
        case.status, case.closed_at, case.outcome, case.last_activity_at = CaseStatus.CLOSED, now, outcome, now
        case.save(update_fields=["status", "closed_at", "outcome", "last_activity_at"])
        do_record(actor, AuditEvent.CASE_CLOSE, case, subject_person_id=case.subject_id)
        for extension in case_extensions():
            extension.on_closed(actor, case)
        notify_case_event(case, "closed")
    return case


def do_mark_read_by_staff(actor: Actor, case: Case) -> None:
    """The staff member has seen the case as it is now.

    Their own read state moves forward (CaseReading: the inbox's "Oläst" is unread
    by me, in the inbox page and API), in one upsert. The case's shared flag (staff_unread)
    is cleared when the assignee, or before distribution a receiver, has seen the
    latest from the resident.
    """
    # The case first, the reading after: the reading's trigger locks the case row to judge it
    # (cases.inbox_counts), and in a transaction that also updates the case, a shared lock
    # taken before the update would have to be upgraded, which two openers could deadlock on.
    if case.staff_unread and (case.assigned_to_id == actor.staff_id or case.assigned_to_id is None):
        Case.objects.filter(pk=case.pk).update(staff_unread=False)
        case.staff_unread = False
    if actor.staff_id is not None:
        CaseReading.objects.bulk_create(
            [CaseReading(case=case, staff_id=actor.staff_id, read_at=clock.now())],
            update_conflicts=True,
            unique_fields=["case", "staff"],
            update_fields=["read_at"],
        )


# --- files (ATT-3..ATT-7; the attachments app stores them, the case decides who may attach) ---------


def _check_accepts_files(unit: Unit, service: Service) -> None:
    if not attachments_allowed(unit, service):
        raise CaseError.ATTACHMENTS_NOT_ALLOWED.error(field="files")


def check_resident_may_attach(case: Case) -> None:
    """ATT-4: the unit (or the provider, when services are provider-wide) decides per service."""
    _check_accepts_files(case.unit, case.service)


def check_staff_may_attach(actor: Actor, case: Case) -> None:
    """ATT-5: a receiver (to send with a partial reply when distributing) or the handler the case is assigned to."""
    roles = staff_roles_at(actor, case.unit_id)
    if not roles & {Role.RECEIVER, Role.HANDLER}:
        raise NotFound()
    if case.status == CaseStatus.CLOSED:
        raise CaseError.CASE_CLOSED.error()
    if Role.RECEIVER not in roles and case.assigned_to_id != actor.staff_id:
        raise PermissionDenied(CaseError.MAY_NOT_ATTACH)


def _check_resident_may_attach_to(actor: Actor, case: Case) -> None:
    subject = check_resident_subject(actor)
    if case.subject_id != subject.pk:
        raise NotFound()
    if case.status == CaseStatus.CLOSED:
        raise CaseError.CASE_CLOSED.error()
    check_resident_may_attach(case)


def do_stage_attachments(actor: Actor, case: Case, checked: Sequence[CheckedFile]) -> list[Attachment]:
    """Upload files to a case without sending them yet; only the uploader sees them until sent (ATT-7)."""
    try:
        if actor.is_staff:
            check_staff_may_attach(actor, case)
        else:
            _check_resident_may_attach_to(actor, case)
    except BaseException:
        for each in checked:
            each.cleanup()
        raise
    return attachments.do_stage_files(actor, case.file_folder, checked, subject_person_id=case.subject_id)


def _send_staged(actor: Actor, case: Case, attachment_ids: Sequence[int], message: Message) -> None:
    """Inside the sending transaction: the actor's own staged files of this case go with `message`."""
    attachments.link_to_owner(attachments.take_staged(actor, case.file_folder, attachment_ids), message.pk)


def do_discard_staged(actor: Actor, case: Case, attachment: Attachment) -> None:
    """Remove a file the uploader staged in this case and has not sent (ATT-7)."""
    attachments.do_discard_staged(actor, case.file_folder, attachment)
