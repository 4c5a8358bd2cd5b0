"""Fetching the record for an actor: the only way views and the API reach notes and the journal.

Staff (REC-1): only staff with a care relation to the case read or write its
notes: the case's handler, or a member of staff holding a role at the case's
unit while working there. Anyone else gets the same 404 as a case that does not
exist. Every viewing of a case's notes writes one audit entry.

Residents (REC-2): "Min journal" is the subject's conversations, answers and the
summary notes shared with them, newest first, under the age rules
(records.age_rules) and protected identity (PRIV-5: a protected child's journal
is seen only by the guardian who submitted the case). The list is keyset
paginated over two tables with a fixed number of queries.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.cases.models import RESIDENT_VISIBLE_KINDS, Case, Message, MessageKind
from vardnav.catalog.models import Service
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.crypto import blind_index, blind_index_candidates
from vardnav.core.errors import CoreError, DomainError, NotFound
from vardnav.core.personal_number import parse_personal_number
from vardnav.identity.access import access_acting_for
from vardnav.organizations.access import access_administered_provider, staff_roles_at
from vardnav.organizations.models import Role, Staff, Unit
from vardnav.people.models import Person
from vardnav.records import age_rules
from vardnav.records.errors import RecordError
from vardnav.records.models import (
    Block,
    ConsentBasis,
    EarlyAccessApplication,
    EarlyAccessStatus,
    InsuranceService,
    Insurer,
    InsurerRequest,
    InsurerRequestOutcome,
    InsurerToken,
    LogReview,
    LogReviewItem,
    NationalSharingPeriod,
    PowerOfAttorney,
    RecordNote,
    Seal,
    SharedRecordConsent,
    StaffPerson,
)
from vardnav.records.national import StoredDocument, SummaryDocument, national_store

JOURNAL_PAGE_SIZE = 25
CASE_NOTES_LIMIT = 500  # a case's notes on one page; far above any real case, and a bound on the query

STAFF_READ_PURPOSE = "journalföring"


# --- staff: a case's notes (REC-1) ----------------------------------------------------------


def has_care_relation(actor: Actor, case: Case) -> bool:
    """REC-1: the case's handler, or staff with a role at the case's unit (where they work now)."""
    if not actor.is_staff or actor.staff_id is None or actor.unit_id != case.unit_id:
        return False
    return case.assigned_to_id == actor.staff_id or bool(staff_roles_at(actor, case.unit_id))


def access_case_for_records(actor: Actor, case_id: int) -> Case:
    """The case whose notes a member of staff reads or writes; 404 without a care relation."""
    if not actor.is_staff or actor.unit_id is None:
        raise NotFound(RecordError.NO_CARE_RELATION)
    case = (
        Case.objects.select_related("service", "unit", "subject", "assigned_to")
        .defer("answers")
        .filter(pk=case_id, unit_id=actor.unit_id)
        .first()
    )
    if case is None or not has_care_relation(actor, case):
        raise NotFound(RecordError.NO_CARE_RELATION)
    return case


def case_notes(case: Case) -> QuerySet[RecordNote]:
    return (
        RecordNote.objects.filter(case=case)
        .select_related("author", "amends", "national_export")
        .order_by("signed_at", "id")[:CASE_NOTES_LIMIT]
    )


def read_case_notes(actor: Actor, case: Case, *, purpose: str = STAFF_READ_PURPOSE) -> list[RecordNote]:
    """A staff member reads a case's notes: one audit entry per viewing (REC-1, PRIV-2)."""
    notes = list(case_notes(case))
    do_record(
        actor,
        AuditEvent.RECORD_READ,
        case,
        subject_person_id=case.subject_id,
        unit_id=case.unit_id,
        purpose=purpose,
    )
    return notes


def access_note_for_staff(actor: Actor, case: Case, note_id: int) -> RecordNote:
    """A note of this case (the one an amendment points at); 404 otherwise."""
    note = RecordNote.objects.filter(pk=note_id, case=case).first()
    if note is None:
        raise NotFound(RecordError.NOTE_NOT_FOUND)
    return note


# --- residents: "Min journal" (REC-2, REC-7, REC-8, PRIV-5) ------------------------------------


def access_journal_subject(actor: Actor) -> Person:
    """Whose journal the actor reads: their own, or the child they act for, if the age rules allow it.

    The child comes through identity (a guardian relation from the register and
    under 16, ID-3); the age rules then decide what the journal view allows. A
    child of 13–15 reads their own only with early access granted (REC-8).
    """
    if not actor.is_resident or actor.person_id is None:
        raise NotFound()
    subject = access_acting_for(actor)
    reader_is_subject = actor.acting_for_id is None
    age = subject.age_on(clock.today())
    early_access = reader_is_subject and age_rules.may_apply_for_early_access(age) and has_early_access(subject)
    age_rules.check_journal_reader(
        reader_is_subject=reader_is_subject,
        subject_age=age,
        view=age_rules.JournalView.PROVIDER,
        early_access=early_access,
    )
    return subject


def _journal_case_scope(actor: Actor, subject: Person, prefix: str = "") -> Q:
    """The subject's cases (through `prefix`, e.g. "case__").

    PRIV-5: a protected-identity child's cases are seen only by the guardian who submitted them.
    """
    scope = Q(**{f"{prefix}subject_id": subject.pk})
    if subject.pk != actor.person_id and subject.protected_identity:
        scope &= Q(**{f"{prefix}submitted_by_id": actor.person_id})
    return scope


# Item order: newest first; at the same moment a note (rank 1) before a message (rank 0), then by id.
NOTE_RANK, MESSAGE_RANK = 1, 0


@dataclass
class JournalItem:
    kind: Literal["answers", "message", "summary"]
    at: dt.datetime
    unit: Unit
    case_number: str
    case_id: int | None
    service_name: str
    message: Message | None = None
    note: RecordNote | None = None
    rank: int = 0
    pk: int = 0


@dataclass
class JournalPage:
    subject: Person
    items: list[JournalItem]
    next_cursor: str | None
    units: list[Unit] = field(default_factory=list)


def _encode(item: JournalItem) -> str:
    raw = f"{item.at.isoformat()}|{item.rank}|{item.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str | None) -> tuple[dt.datetime, int, int] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, rank, pk = raw.split("|")
        parsed = dt.datetime.fromisoformat(moment)
        if parsed.tzinfo is None or rank not in ("0", "1"):
            raise ValueError("bad cursor")
        return parsed, int(rank), int(pk)
    except (ValueError, UnicodeDecodeError):
        raise CoreError.INVALID_CURSOR.error(field="after") from None


def _before(time_field: str, rank: int, position: tuple[dt.datetime, int, int]) -> Q:
    """Rows after `position` in the journal's order (time desc, rank desc, id desc), for a table of `rank`."""
    moment, at_rank, pk = position
    earlier = Q(**{f"{time_field}__lt": moment})
    if rank < at_rank:
        return earlier | Q(**{time_field: moment})
    if rank == at_rank:
        return earlier | Q(**{time_field: moment, "id__lt": pk})
    return earlier


def journal(
    actor: Actor, *, after: str | None = None, unit_id: int | None = None, limit: int = JOURNAL_PAGE_SIZE
) -> JournalPage:
    """One page of the subject's journal, newest first; the same number of queries for any page size.

    Every viewing is logged, so a guardian's reading of a child's journal shows
    in the child's log (PRIV-2 for protected identities).
    """
    subject = access_journal_subject(actor)
    page = _journal_page(actor, subject, after=after, unit_id=unit_id, limit=limit)
    page.units = list(
        Unit.objects.filter(pk__in=Case.objects.filter(_journal_case_scope(actor, subject)).values("unit_id")).order_by(
            "name", "pk"
        )
    )
    do_record(actor, AuditEvent.JOURNAL_READ, subject, subject_person_id=subject.pk)
    return page


COPY_PAGE_SIZE = 200
COPY_MAX_ITEMS = 5000  # a journal copy is bounded; one larger says so and the unit sends the rest


@dataclass
class JournalCopy:
    subject: Person
    items: list[JournalItem]
    complete: bool


def journal_copy(actor: Actor) -> JournalCopy:
    """The whole journal for a copy (PDF), newest first, in keyset pages of fixed query count; logged once."""
    subject = access_journal_subject(actor)
    items: list[JournalItem] = []
    cursor: str | None = None
    while len(items) < COPY_MAX_ITEMS:
        page = _journal_page(actor, subject, after=cursor, limit=COPY_PAGE_SIZE)
        items += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    do_record(actor, AuditEvent.JOURNAL_COPY, subject, subject_person_id=subject.pk)
    return JournalCopy(subject, items[:COPY_MAX_ITEMS], complete=cursor is None)


def _journal_page(
    actor: Actor, subject: Person, *, after: str | None = None, unit_id: int | None = None, limit: int
) -> JournalPage:
    """Each table gives at most `limit + 1` rows past the cursor; merged, the first `limit` are the page."""
    position = _decode(after)
    messages = Message.objects.filter(_journal_case_scope(actor, subject, "case__"), kind__in=RESIDENT_VISIBLE_KINDS)
    notes = RecordNote.objects.filter(subject_id=subject.pk, shared_with_resident=True)
    if subject.pk != actor.person_id and subject.protected_identity:
        notes = notes.filter(_journal_case_scope(actor, subject, "case__"))
    if unit_id is not None:
        messages = messages.filter(case__unit_id=unit_id)
        notes = notes.filter(unit_id=unit_id)
    if position:
        messages = messages.filter(_before("created_at", MESSAGE_RANK, position))
        notes = notes.filter(_before("signed_at", NOTE_RANK, position))
    message_rows = list(
        messages.select_related("case__unit", "case__service", "case__questionnaire", "author_staff").order_by(
            "-created_at", "-id"
        )[: limit + 1]
    )
    note_rows = list(notes.select_related("unit", "author", "case__service").order_by("-signed_at", "-id")[: limit + 1])
    items = [_message_item(message) for message in message_rows] + [_note_item(note) for note in note_rows]
    items.sort(key=lambda item: (item.at, item.rank, item.pk), reverse=True)
    more = len(items) > limit
    items = items[:limit]
    return JournalPage(subject, items, _encode(items[-1]) if more and items else None)


def message_author(message: Message, actor: Actor) -> str:
    """Who wrote a message, as the reader of the journal says it: a guardian's message in a
    journal the child later reads is the guardian's, not "you"."""
    staff = message.author_staff
    if staff is not None:
        return f"{staff.given_name} {staff.surname}, {staff.get_profession_display().lower()}"
    if message.author_person_id == actor.person_id:
        return str(_("Du"))
    if message.author_person_id == message.case.subject_id:
        return str(_("Barnet"))
    return str(_("Vårdnadshavare"))


def _message_item(message: Message) -> JournalItem:
    case = message.case
    return JournalItem(
        kind="answers" if message.kind == MessageKind.SUBMISSION else "message",
        at=message.created_at,
        unit=case.unit,
        case_number=case.number,
        case_id=case.pk,
        service_name=case.service.name,
        message=message,
        rank=MESSAGE_RANK,
        pk=message.pk,
    )


def _note_item(note: RecordNote) -> JournalItem:
    return JournalItem(
        kind="summary",
        at=note.signed_at,
        unit=note.unit,
        case_number=note.case_number,
        case_id=note.case_id,
        service_name=note.case.service.name if note.case is not None else "",
        note=note,
        rank=NOTE_RANK,
        pk=note.pk,
    )


# --- refusals ---------------------------------------------------------------------------------


def record_refusal(actor: Actor, subject_person_id: int | None, code: str) -> None:
    """A refused read or change of someone's journal is logged too (outside any transaction that rolls back)."""
    do_record(
        actor,
        AuditEvent.RECORD_ACCESS_REFUSED,
        object_type="people.person",
        object_id=subject_person_id,
        subject_person_id=subject_person_id,
        extra={"code": str(code)},
    )


# --- block and seal, the national view (REC-5, REC-6, REC-7) ----------------------------------


def restriction_units(person: Person) -> list[Unit]:
    """The units the person's journal has contacts at: what a block or seal of one unit can name."""
    return list(
        Unit.objects.filter(
            Q(pk__in=Case.objects.filter(subject_id=person.pk).values("unit_id"))
            | Q(pk__in=RecordNote.objects.filter(subject_id=person.pk).values("unit_id"))
        )
        .select_related("provider")
        .order_by("name", "pk")
    )


@dataclass
class Restrictions:
    subject: Person
    may_restrict: bool  # False for a guardian acting for a child (REC-5)
    blocks: list[Block]
    seals: list[Seal]
    units: list[Unit]


def access_restrictions(actor: Actor) -> Restrictions:
    """The subject's active blocks and seals; a guardian sees that they cannot make any."""
    if not actor.is_resident or actor.person_id is None:
        raise NotFound()
    subject = access_acting_for(actor)
    may_restrict = actor.acting_for_id is None
    return Restrictions(
        subject=subject,
        may_restrict=may_restrict,
        blocks=list(
            Block.objects.filter(person=subject, lifted_at__isnull=True).select_related("unit").order_by("created_at")
        ),
        seals=list(
            Seal.objects.filter(person=subject, lifted_at__isnull=True).select_related("unit").order_by("created_at")
        ),
        units=restriction_units(subject) if may_restrict else [],
    )


@dataclass
class NationalView:
    subject: Person
    documents: list[StoredDocument]
    sealed_count: int


def _covered(restrictions: list[Block] | list[Seal], document: SummaryDocument) -> bool:
    return any(r.covers(document.contact.unit_id, document.contact_date) for r in restrictions)


def national_view(actor: Actor) -> NationalView:
    """The subject's national summary as 1177 Journalen shows it (REC-6, REC-7): sealed items left out.

    A guardian sees a child's only while the child is under 13 (REC-7); a
    refusal is logged. The resident sees what is blocked (a block only keeps
    other providers out) but not what is sealed, and is told how much is sealed.
    """
    if not actor.is_resident or actor.person_id is None:
        raise NotFound()
    subject = access_acting_for(actor)
    try:
        age_rules.check_journal_reader(
            reader_is_subject=actor.acting_for_id is None,
            subject_age=subject.age_on(clock.today()),
            view=age_rules.JournalView.NATIONAL,
        )
    except DomainError as error:
        record_refusal(actor, subject.pk, error.code)
        raise
    seals = list(Seal.objects.filter(person=subject, lifted_at__isnull=True))
    documents = national_store().documents_for(subject)
    shown = [stored for stored in documents if not _covered(seals, stored.document)]
    do_record(actor, AuditEvent.NATIONAL_VIEW_READ, subject, subject_person_id=subject.pk)
    return NationalView(subject, shown, len(documents) - len(shown))


# --- a block inside the provider (REC-5, PDL 4 kap. 4 §) --------------------------------------


class BlockReadFilter:
    """The resident's blocks keep a unit's items from staff at the provider's other units too (inre spärr).

    Registered with the case engine (cases.hooks.register_case_read_filter), so
    a listing across units (visits' earlier visits) leaves out a case an active
    block covers (by its unit and the Swedish date it came in) unless the
    reader works at that case's own unit. What was withheld is logged once per
    listing, with the count, as every read of the record is.
    """

    def withheld_case_ids(self, actor: Actor, cases: Sequence[Case]) -> set[int]:
        if not cases:
            return set()
        subject_id = cases[0].subject_id
        blocks = list(Block.objects.filter(person_id=subject_id, lifted_at__isnull=True))
        hidden = {
            case.pk
            for case in cases
            if case.unit_id != actor.unit_id
            and any(
                block.covers(case.unit_id, case.submitted_at.astimezone(clock.STOCKHOLM).date()) for block in blocks
            )
        }
        if hidden:
            do_record(
                actor,
                AuditEvent.BLOCKED_RECORDS_WITHHELD,
                object_type="people.person",
                object_id=subject_id,
                subject_person_id=subject_id,
                unit_id=actor.unit_id,
                extra={"withheld": len(hidden)},
            )
        return hidden


# --- staff reading other providers' shared data (REC-4) ---------------------------------------

EMERGENCY_HOURS = 24  # the emergency exception is for the acute situation; after that, record it again
# The purpose the log keeps (in Swedish, whatever language the page was in).
SHARED_READ_PURPOSES = {
    ConsentBasis.CONSENT: "sammanhållen journalföring: samtycke",
    ConsentBasis.EMERGENCY: "sammanhållen journalföring: nödsituation",
}


def current_consent(case: Case) -> SharedRecordConsent | None:
    """The basis on which staff of the case's unit may read shared data now: consent, or a recent emergency."""
    latest = (
        SharedRecordConsent.objects.filter(case_number=case.number, unit_id=case.unit_id)
        .order_by("-recorded_at", "-id")
        .first()
    )
    if latest is None:
        return None
    if latest.basis == ConsentBasis.EMERGENCY and latest.recorded_at < clock.now() - dt.timedelta(
        hours=EMERGENCY_HOURS
    ):
        return None
    return latest


@dataclass
class SharedRecords:
    case: Case
    consent: SharedRecordConsent
    documents: list[StoredDocument]


def read_shared_records(actor: Actor, case: Case) -> SharedRecords:
    """Other providers' shared data for the case's resident, through the national summary (REC-4).

    Only with consent or the emergency exception recorded for this care
    relation; without, a logged refusal. Blocked (REC-5) and sealed (REC-6)
    items are left out, whatever the basis: a block holds even in an
    emergency. The provider's own data is read in its own system, not here.
    The read is logged once, with the basis as its purpose.
    """
    consent = current_consent(case)
    if consent is None:
        record_refusal(actor, case.subject_id, RecordError.CONSENT_REQUIRED)
        raise RecordError.CONSENT_REQUIRED.error()
    subject = case.subject
    blocks = list(Block.objects.filter(person=subject, lifted_at__isnull=True))
    seals = list(Seal.objects.filter(person=subject, lifted_at__isnull=True))
    documents = [
        stored
        for stored in national_store().documents_for(subject)
        if stored.document.contact.provider_id != case.provider_id
        and not _covered(blocks, stored.document)
        and not _covered(seals, stored.document)
    ]
    do_record(
        actor,
        AuditEvent.SHARED_RECORD_READ,
        case,
        subject_person_id=case.subject_id,
        unit_id=case.unit_id,
        purpose=SHARED_READ_PURPOSES[ConsentBasis(consent.basis)],
        extra={"consent_id": consent.pk, "basis": consent.basis, "documents": len(documents)},
    )
    return SharedRecords(case, consent, documents)


# --- the log reviewer (HSLF-FS 2016:40 4 kap.) ------------------------------------------------

LOG_REVIEW_LIST_LIMIT = 60
LOG_REVIEW_PURPOSE = "loggkontroll"


def is_log_reviewer(actor: Actor) -> bool:
    """Working as the provider's reviewer: the role chosen at login, and still held at that unit."""
    return (
        actor.is_staff
        and actor.unit_id is not None
        and actor.role == Role.LOG_REVIEWER
        and Role.LOG_REVIEWER in staff_roles_at(actor, actor.unit_id)
    )


def _require_reviewer(actor: Actor) -> None:
    if not is_log_reviewer(actor):
        raise NotFound(RecordError.LOG_REVIEW_NOT_FOUND)


@dataclass
class ReviewSummary:
    review: LogReview
    selected: int
    undecided: int


def access_log_reviews(actor: Actor) -> list[ReviewSummary]:
    """The provider's daily selections, newest first, with what is left to decide (one query)."""
    _require_reviewer(actor)
    reviews = (
        LogReview.objects.filter(provider_id=actor.provider_id)
        .annotate(selected=Count("items"), undecided=Count("items", filter=Q(items__outcome="")))
        .order_by("-day")[:LOG_REVIEW_LIST_LIMIT]
    )
    return [ReviewSummary(r, r.selected, r.undecided) for r in reviews]


@dataclass
class ReviewRow:
    item: LogReviewItem
    entry: AuditEntry
    staff: Staff | None
    subject: Person | None
    unit: Unit | None


def access_log_review(actor: Actor, review_id: int) -> LogReview:
    _require_reviewer(actor)
    review = LogReview.objects.filter(pk=review_id, provider_id=actor.provider_id).first()
    if review is None:
        raise NotFound(RecordError.LOG_REVIEW_NOT_FOUND)
    return review


def access_log_item(actor: Actor, review: LogReview, item_id: int) -> LogReviewItem:
    item = LogReviewItem.objects.filter(pk=item_id, review=review).first()
    if item is None:
        raise NotFound(RecordError.LOG_REVIEW_NOT_FOUND)
    return item


def read_log_review(actor: Actor, review: LogReview) -> list[ReviewRow]:
    """The selected reads with who, whose and where, in a fixed number of queries; the viewing is logged."""
    items = list(review.items.select_related("entry", "decided_by").order_by("entry__occurred_at", "entry_id"))
    entries = [item.entry for item in items]
    staff = Staff.objects.in_bulk({e.actor_staff_id for e in entries if e.actor_staff_id is not None})
    people = Person.objects.in_bulk({e.subject_person_id for e in entries if e.subject_person_id is not None})
    units = Unit.objects.in_bulk({e.unit_id for e in entries if e.unit_id is not None})
    do_record(actor, AuditEvent.LOG_REVIEW_READ, review, purpose=LOG_REVIEW_PURPOSE)
    return [
        ReviewRow(
            item,
            item.entry,
            staff.get(item.entry.actor_staff_id or 0),
            people.get(item.entry.subject_person_id or 0),
            units.get(item.entry.unit_id or 0),
        )
        for item in items
    ]


# --- early access for children of 13–15 (REC-8) -----------------------------------------------


def has_early_access(person: Person) -> bool:
    """A head of unit has granted the person early access to their journal (REC-8)."""
    return EarlyAccessApplication.objects.filter(person_id=person.pk, status=EarlyAccessStatus.GRANTED).exists()


def early_access_login_allowed(personal_number: str) -> bool:
    """identity's login asks this for a BankID login under 16: a child of 13–15 with early access granted
    may log in to read the journal only (REC-8 with ID-2)."""
    person = Person.objects.filter(personal_number_index=blind_index(personal_number)).first()
    if person is None or not age_rules.may_apply_for_early_access(person.age_on(clock.today())):
        return False
    return has_early_access(person)


def journal_only_session_allowed(person_id: int) -> bool:
    """identity's middleware asks this on every request of a journal-only session: is the access still granted?

    A withdrawn early access (or a child no longer 13–15) ends the session at its next request.
    """
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not age_rules.may_apply_for_early_access(person.age_on(clock.today())):
        return False
    return has_early_access(person)


def is_unit_head_of(actor: Actor, unit_id: int) -> bool:
    """The unit's head (verksamhetschef, the unit_admin role) working at that unit now."""
    return Role.UNIT_ADMIN in staff_roles_at(actor, unit_id)


EARLY_ACCESS_LIST_LIMIT = 100


@dataclass
class EarlyAccessRow:
    application: EarlyAccessApplication
    child_name: str
    age: int


def access_early_access_applications(actor: Actor) -> list[EarlyAccessRow]:
    """The head of unit's applications: waiting ones first (oldest first), then the latest decisions."""
    if actor.unit_id is None or not is_unit_head_of(actor, actor.unit_id):
        raise NotFound(RecordError.EARLY_ACCESS_NOT_FOUND)
    today = clock.today()
    applications = list(
        EarlyAccessApplication.objects.filter(unit_id=actor.unit_id)
        .select_related("person", "registered_by", "decided_by")
        .order_by("-registered_at", "-id")[:EARLY_ACCESS_LIST_LIMIT]
    )
    applications.sort(key=lambda a: (a.status != EarlyAccessStatus.PENDING, a.registered_at))
    return [EarlyAccessRow(a, a.person.full_name, a.person.age_on(today)) for a in applications]


def access_early_access_application(actor: Actor, application_id: int) -> EarlyAccessApplication:
    if actor.unit_id is None or not is_unit_head_of(actor, actor.unit_id):
        raise NotFound(RecordError.EARLY_ACCESS_NOT_FOUND)
    application = EarlyAccessApplication.objects.filter(pk=application_id, unit_id=actor.unit_id).first()
    if application is None:
        raise NotFound(RecordError.EARLY_ACCESS_NOT_FOUND)
    return application


def my_early_access(actor: Actor) -> list[EarlyAccessApplication]:
    """The subject's applications and their status, newest first: the child's own, or a guardian's for the child."""
    if not actor.is_resident or actor.person_id is None:
        raise NotFound()
    subject = access_acting_for(actor)
    return list(
        EarlyAccessApplication.objects.filter(person_id=subject.pk)
        .select_related("unit")
        .order_by("-registered_at", "-id")[:EARLY_ACCESS_LIST_LIMIT]
    )


def case_early_access(case: Case) -> EarlyAccessApplication | None:
    """The latest application of the case's resident at the case's unit, for the staff notes page."""
    return (
        EarlyAccessApplication.objects.filter(person_id=case.subject_id, unit_id=case.unit_id)
        .order_by("-registered_at", "-id")
        .first()
    )


# --- private health insurance (REC-9) ---------------------------------------------------------

INSURANCE_LIST_LIMIT = 200


@dataclass
class InsuranceOverview:
    powers: list[PowerOfAttorney]
    requests: list[InsurerRequest]


def insurance_overview(actor: Actor) -> InsuranceOverview:
    """The resident's powers of attorney and every insurer request with what was released; the viewing is logged.

    Only the resident themself: a power of attorney is personal, a guardian acting for a child gets a 404.
    """
    if not actor.is_resident or actor.person_id is None or actor.acting_for_id is not None:
        raise NotFound()
    powers = list(
        PowerOfAttorney.objects.filter(person_id=actor.person_id)
        .select_related("insurer", "unit")
        .order_by("-approved_at", "-id")[:INSURANCE_LIST_LIMIT]
    )
    requests = list(
        InsurerRequest.objects.filter(person_id=actor.person_id)
        .select_related("insurer")
        .order_by("-requested_at", "-id")[:INSURANCE_LIST_LIMIT]
    )
    do_record(
        actor,
        AuditEvent.INSURANCE_READ,
        object_type="people.person",
        object_id=actor.person_id,
        subject_person_id=actor.person_id,
    )
    return InsuranceOverview(powers, requests)


def access_power_of_attorney(actor: Actor, poa_id: int) -> PowerOfAttorney:
    if not actor.is_resident or actor.person_id is None or actor.acting_for_id is not None:
        raise NotFound(RecordError.POWER_OF_ATTORNEY_NOT_FOUND)
    poa = PowerOfAttorney.objects.filter(pk=poa_id, person_id=actor.person_id).first()
    if poa is None:
        raise NotFound(RecordError.POWER_OF_ATTORNEY_NOT_FOUND)
    return poa


def insurers_for(provider_id: int | None) -> QuerySet[Insurer]:
    """The insurers a provider's insurance e-services offer: the shared list and the provider's own."""
    return Insurer.objects.filter(Q(provider__isnull=True) | Q(provider_id=provider_id))


def active_insurers(provider_id: int | None) -> list[Insurer]:
    return list(insurers_for(provider_id).filter(active=True).order_by("name", "pk"))


# --- insurers through the integration API (REC-9) ---------------------------------------------


def insurer_of_token(actor: Actor) -> Insurer:
    """The insurer the integration token speaks for; a token tied to none is refused (403)."""
    link = (
        InsurerToken.objects.select_related("insurer").filter(token_id=actor.token_id).first()
        if actor.token_id is not None
        else None
    )
    if link is None or link.insurer.provider_id not in (None, actor.provider_id):
        raise RecordError.INSURER_TOKEN_NOT_LINKED.error()
    return link.insurer


def access_case_for_insurer(actor: Actor, case_number: object, personal_number: object) -> Case:
    """The token provider's case by its number, and only if it is the named resident's: else one 404."""
    number = str(case_number or "").strip().upper()
    case = (
        Case.objects.select_related("subject").filter(number=number, provider_id=actor.provider_id).first()
        if number and actor.provider_id is not None
        else None
    )
    try:
        digits12 = parse_personal_number(personal_number).digits12
    except DomainError:
        digits12 = ""
    if case is None or not digits12 or case.subject.personal_number_index not in blind_index_candidates(digits12):
        raise NotFound(RecordError.INSURANCE_CASE_NOT_FOUND)
    return case


def released_summaries(request: InsurerRequest) -> list[RecordNote]:
    """The summary notes a released request gave the insurer (immutable, so the same on every reading)."""
    if request.outcome != InsurerRequestOutcome.RELEASED:
        return []
    ids = [int(item["note_id"]) for item in request.released or []]
    return list(RecordNote.objects.filter(pk__in=ids).order_by("signed_at", "id"))


# --- the provider admin's insurer list and insurance e-services (REC-9) -----------------------


@dataclass
class InsurerSettings:
    provider_id: int
    shared: list[Insurer]
    own: list[Insurer]
    services: list[tuple[Service, bool]]  # the provider's e-services, and whether each is an insurance service
    tokens: dict[int, list[int]]  # insurer id → ids of the provider's tokens tied to it


def insurer_settings(actor: Actor) -> InsurerSettings:
    """The provider admin's view: the shared and own insurers, and which e-services are insurance ones.

    A fixed number of queries however long the lists.
    """
    provider_id = access_administered_provider(actor).pk
    insurers = list(insurers_for(provider_id).order_by("name", "pk"))
    services = list(Service.objects.filter(provider_id=provider_id).order_by("name", "pk"))
    marked = set(InsuranceService.objects.filter(service__provider_id=provider_id).values_list("service_id", flat=True))
    tokens: dict[int, list[int]] = {}
    for token_id, insurer_id in InsurerToken.objects.filter(token__provider_id=provider_id).values_list(
        "token_id", "insurer_id"
    ):
        tokens.setdefault(insurer_id, []).append(token_id)
    return InsurerSettings(
        provider_id=provider_id,
        shared=[i for i in insurers if i.provider_id is None],
        own=[i for i in insurers if i.provider_id is not None],
        services=[(service, service.pk in marked) for service in services],
        tokens=tokens,
    )


def access_insurer_for_admin(actor: Actor, insurer_id: int, *, own_only: bool = True) -> Insurer:
    """One of the provider's own insurers (or, own_only=False, also a shared one); else 404."""
    provider_id = access_administered_provider(actor).pk
    scope = Insurer.objects.filter(provider_id=provider_id) if own_only else insurers_for(provider_id)
    insurer = scope.filter(pk=insurer_id).first()
    if insurer is None:
        raise NotFound(RecordError.INSURER_NOT_FOUND)
    return insurer


def access_service_for_insurance(actor: Actor, service_id: int) -> Service:
    provider_id = access_administered_provider(actor).pk
    service = Service.objects.filter(pk=service_id, provider_id=provider_id).first()
    if service is None:
        raise NotFound()
    return service


def case_insurer_requests(case: Case) -> list[InsurerRequest]:
    """The insurer requests registered for the case, newest first, for the staff notes page."""
    return list(
        InsurerRequest.objects.filter(case_number=case.number, provider_id=case.provider_id)
        .select_related("insurer", "registered_by")
        .order_by("-requested_at", "-id")[:INSURANCE_LIST_LIMIT]
    )


# --- the provider administrator's records settings (issue 11, item 13) ----------------------------


def provider_sharing_periods(provider_id: int) -> QuerySet[NationalSharingPeriod]:
    """The provider's national-sharing periods (REC-3), latest first."""
    return NationalSharingPeriod.objects.filter(provider_id=provider_id).order_by("-starts_on")


def access_sharing_period(provider_id: int, period_id: int) -> NationalSharingPeriod:
    """One of the provider's periods; another provider's is the same 404 as a missing one."""
    period = NationalSharingPeriod.objects.filter(provider_id=provider_id, pk=period_id).first()
    if period is None:
        raise NotFound(RecordError.SHARING_PERIOD_NOT_FOUND)
    return period


def masked_personal_number(digits12: str) -> str:
    """A staff member's personal number in a list: the birth date only (YYYYMMDD-****)."""
    return f"{digits12[:8]}-****"


def staff_personal_numbers(staff_ids: list[int]) -> dict[int, str]:
    """Staff id → their masked personal number, for the staff who have one (one query)."""
    links = StaffPerson.objects.filter(staff_id__in=staff_ids).select_related("person")
    return {link.staff_id: masked_personal_number(link.person.personal_number) for link in links}
