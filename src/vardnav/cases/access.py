"""Fetching cases for an actor: the only way views and the API reach a case.

Residents see their own cases and those of a child they act for; receivers see
every case of their unit; handlers see the cases distributed to them. Anything
else is the same 404 as a case that doesn't exist. Every staff read of case
content writes an audit entry (REC-1). A case's files are reached the same way:
the case first, then the file in the case's folder of the attachments store,
with its own audit entry for every serving.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.expressions import Combinable, NegatedExpression

from vardnav.attachments.access import access_file, access_staged_file, files_by_owner
from vardnav.attachments.models import Attachment
from vardnav.audit.actions import do_record, record_staff_read
from vardnav.audit.events import AuditEvent
from vardnav.cases.actions import (
    RoutedOffer,
    check_resident_subject,
    check_submission,
    check_submission_subject,
    do_mark_read_by_staff,
    find_probable_duplicate,
    route_case,
)
from vardnav.cases.errors import CaseError
from vardnav.cases.models import (
    MESSAGE_FILES,
    RESIDENT_VISIBLE_KINDS,
    Case,
    CaseFlag,
    CaseReading,
    CaseStatus,
    InboxCount,
    Message,
    ReadCount,
)
from vardnav.catalog.access import Offer, access_offer_of, access_service, find_offer
from vardnav.catalog.errors import CatalogError
from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.compiled import CompiledForIds, CompiledQuery, CompiledRow, Kind
from vardnav.core.errors import DomainError, NotFound
from vardnav.core.pagination import decode_cursor, encode_cursor
from vardnav.organizations.access import access_unit, public_units, staff_roles_at
from vardnav.organizations.models import Role, Staff, Unit

PAGE_SIZE = 25


def _resident_scope(actor: Actor) -> Q:
    """The cases a resident may see: their own, or those of the child they act for.

    PRIV-5: a protected-identity child's cases are seen only by the guardian who
    submitted them, never by the child's other guardian.
    """
    if actor.is_resident and actor.person_id is not None and actor.acting_for_id is None:
        return Q(subject_id=actor.person_id)  # their own cases: nothing to look up
    subject = check_resident_subject(actor)
    scope = Q(subject_id=subject.pk)
    if subject.pk != actor.person_id and subject.protected_identity:
        scope &= Q(submitted_by_id=actor.person_id)
    return scope


def resident_case_scope(actor: Actor) -> Q:
    """The cases a resident may see, as a filter for apps that show something of each (billing's fees)."""
    return _resident_scope(actor)


# --- where a case can be sent -------------------------------------------------------


def receiving_units() -> list[Unit]:
    """Every unit that takes e-service cases (ORG-1), for the resident to choose from."""
    return list(public_units().filter(eservices_active=True))


def access_receiving_unit(slug: str) -> Unit:
    """A unit that takes e-service cases, by its public slug; otherwise a 404 saying it does not."""
    unit = public_units().filter(slug=slug, eservices_active=True).first()
    if unit is None:
        raise NotFound(CaseError.UNIT_NOT_RECEIVING)
    return unit


def access_submission_offer(actor: Actor, *, service_id: int, unit_id: int | None) -> RoutedOffer:
    """Where a resident's case for this service goes (CASE-1) and that the unit offers it (ORG-2).

    For the API, where the unit may be left out and routing picks the listed
    unit. A missing service or unit is told as the service not being offered,
    so ids reveal nothing. The offer is routed and checked here once;
    do_submit_routed does not ask again.
    """
    subject = check_submission_subject(actor)
    unit: Unit | None = None
    if unit_id:
        try:
            unit = access_unit(unit_id)
        except NotFound:
            raise NotFound(CatalogError.SERVICE_NOT_OFFERED) from None
        # The usual case, in one query: the unit offers the service (read with it), and CASE-1
        # routes the case there (route_case returns the unit it was given, or refuses).
        offer = find_offer(unit, service_id)
        if offer is not None:
            if route_case(subject, offer.service, unit).pk != unit.pk:
                raise CaseError.NOT_LISTED_AT_UNIT.error()
            return RoutedOffer(subject, offer)
    # Otherwise step by step, so that what is refused is told as before: a missing service,
    # then the routing's own refusals (eligibility, listing), then the service not offered.
    try:
        service = access_service(service_id)
    except NotFound:
        raise NotFound(CatalogError.SERVICE_NOT_OFFERED) from None
    return RoutedOffer(subject, access_offer_of(route_case(subject, service, unit), service))


# --- cases --------------------------------------------------------------------------


# A resident's own case, read on every write in it: compiled once per process (core.compiled, issue 13).
_OWN_CASE = CompiledQuery(
    lambda v: (
        Case.objects.select_related("service", "unit", "unit__provider")
        .filter(subject_id=v["person_id"], pk=v["case_id"])
        .order_by("pk")[:1]
    ),
    person_id=int,
    case_id=int,
)


def access_case_for_resident(actor: Actor, case_id: int) -> Case:
    case: Case | None
    if actor.is_resident and actor.person_id is not None and actor.acting_for_id is None:
        case = _OWN_CASE.first(person_id=actor.person_id, case_id=case_id)  # _resident_scope's first branch
    else:
        case = (
            Case.objects.select_related("service", "unit", "unit__provider")
            .filter(_resident_scope(actor), pk=case_id)
            .first()
        )
    if case is None:
        raise NotFound(CaseError.CASE_NOT_FOUND)
    return case


def refuse_probable_duplicate(actor: Actor, offer: Offer, answers: dict[str, Any]) -> None:
    """CASE-6 before sending: refuse (PROBABLE_DUPLICATE) when the resident already sent the same request.

    The web form calls it unless the resident chose "Skicka ändå"; the case is then
    sent, linked and flagged as the engine always does. Answers that do not pass the
    questionnaire are left to the submission, which names what is wrong. Only a case
    this resident may see is mentioned (PRIV-5: not the other guardian's case of a
    protected child).
    """
    subject = check_resident_subject(actor)
    try:
        checked = check_submission(actor, subject, offer, answers)
    except DomainError:
        return
    first = find_probable_duplicate(subject, checked.service, checked.answers, clock.now())
    if first is None or not Case.objects.filter(_resident_scope(actor), pk=first.pk).exists():
        return
    raise CaseError.PROBABLE_DUPLICATE.error(number=first.number, case_id=first.pk)


def resident_messages(case: Case) -> QuerySet[Message]:
    """The dialogue as the resident sees it: never internal notes."""
    return (
        case.messages.filter(kind__in=RESIDENT_VISIBLE_KINDS)
        .select_related("author_staff")
        .order_by("created_at", "id")
    )


def access_case_for_staff(actor: Actor, case_id: int, *, purpose: str = "ärendehantering", people: bool = True) -> Case:
    """A staff member opens a case to read it: receivers any case of their unit, handlers their own.

    Audited: one read entry per viewing (REC-1). An action on the case fetches
    it with access_case_to_handle instead and writes its own event.
    `people=False`: see access_case_to_handle.
    """
    case = access_case_to_handle(actor, case_id, people=people)
    record_case_viewing(actor, case, purpose=purpose)
    return case


def access_case_opened_by_staff(actor: Actor, case_id: int, *, people: bool = True) -> Case:
    """A staff member opens a case to read it (the case page, the API's case view).

    As access_case_for_staff, and their own read state moves forward (the inbox's
    "Oläst", do_mark_read_by_staff) in the same transaction as the viewing's audit
    entry (REC-1): one commit instead of two. The case row first, the audit chain
    head last, the order in which a resident's message takes them too, so the two
    never wait on each other crosswise.
    """
    case = access_case_to_handle(actor, case_id, people=people)
    with transaction.atomic():
        do_mark_read_by_staff(actor, case)
        record_case_viewing(actor, case)
    return case


def _case_to_handle(v: Mapping[str, Any], *, people: bool) -> QuerySet[Case]:
    cases = Case.objects.filter(pk=v["case_id"], unit_id=v["unit_id"]).prefetch_related("flags")
    if people:
        cases = cases.select_related("service", "unit", "subject", "submitted_by", "assigned_to", "duplicate_of")
    else:
        cases = cases.select_related("service", "unit").annotate(duplicate_number=F("duplicate_of__number"))
    return cases.order_by("pk")[:1]


# Every staff action and viewing starts here: compiled once per process (core.compiled, issue 13).
_CASE_TO_HANDLE = {
    people: CompiledQuery(partial(_case_to_handle, people=people), case_id=int, unit_id=int) for people in (True, False)
}


def access_case_to_handle(actor: Actor, case_id: int, *, people: bool = True) -> Case:
    """The case for an action on it (take, distribute, ask, reply, note, close, upload or discard a file).

    The same rule as opening it, and the same 404. No read entry: the action
    is recorded as what it is (its own AuditEvent, in its transaction), so a
    resident's log extract shows one read per viewing, not one per button.

    `people=False` is for a reader that shows no person and no linked case (the API's
    case view): the subject, the submitter, the assignee and the probable duplicate are
    not joined (no Person rows decrypted, no second case's answers), and the duplicate's
    number comes as `case.duplicate_number`.
    """
    if not actor.is_staff or actor.unit_id is None:
        raise NotFound(CaseError.CASE_NOT_FOUND)
    case: Case | None = _CASE_TO_HANDLE[people].first(case_id=case_id, unit_id=actor.unit_id)
    if case is None:
        raise NotFound(CaseError.CASE_NOT_FOUND)
    roles = staff_roles_at(actor, case.unit_id)
    may_read = Role.RECEIVER in roles or (Role.HANDLER in roles and _handler_may_see(actor, case))
    if not may_read:
        raise NotFound(CaseError.CASE_NOT_FOUND)
    return case


def record_case_viewing(actor: Actor, case: Case, *, purpose: str = "ärendehantering") -> None:
    """A staff member is shown the case's content (REC-1): the page after a refused action, for one."""
    record_staff_read(actor, case, subject_person_id=case.subject_id, purpose=purpose)


def _handler_may_see(actor: Actor, case: Case) -> bool:
    """CASE-1, ORG-4: a handler sees the cases distributed to them, and the unit's
    unassigned cases whose service routes them straight to the handler role."""
    if case.assigned_to_id is None:
        return case.routed_role == Role.HANDLER
    return case.assigned_to_id == actor.staff_id


def _handler_scope(actor: Actor) -> Q:
    """The same rule as _handler_may_see, as a query."""
    return Q(assigned_to_id=actor.staff_id) | Q(assigned_to__isnull=True, routed_role=Role.HANDLER)


def staff_messages(case: Case, *, people: bool = True) -> list[Message]:
    """The case's messages for staff; `people=False` leaves the resident authors' Person rows out (the API's view)."""
    messages: list[Message] = _STAFF_MESSAGES[people].objects(case_id=case.pk)
    for message in messages:
        Message.case.field.set_cached_value(message, case)
    return messages


def _staff_messages(v: Mapping[str, Any], *, people: bool) -> QuerySet[Message]:
    related = ("author_staff", "author_person") if people else ("author_staff",)
    return Message.objects.filter(case_id=v["case_id"]).select_related(*related).order_by("created_at", "id")


_STAFF_MESSAGES = {
    people: CompiledQuery(partial(_staff_messages, people=people), case_id=int) for people in (True, False)
}


# --- files of a case (ATT-6, ATT-7) ------------------------------------------------------------


def with_files(messages: QuerySet[Message] | list[Message]) -> list[Message]:
    """The messages, each with `.files`: the files sent with it, fetched in one query."""
    messages = list(messages)
    files = files_by_owner(MESSAGE_FILES, [message.pk for message in messages])
    for message in messages:
        message.files = files.get(message.pk, [])
    return messages


def access_attachment_for_resident(actor: Actor, case_id: int, attachment_id: int) -> tuple[Case, Attachment]:
    """A file sent in a resident-visible message of the resident's case, or one they staged there. Audited."""
    case = access_case_for_resident(actor, case_id)
    visible = Message.objects.filter(case=case, kind__in=RESIDENT_VISIBLE_KINDS).values("pk")
    attachment = access_file(actor, case.file_folder, attachment_id, sent_with=visible)
    do_record(
        actor,
        AuditEvent.ATTACHMENT_READ,
        attachment,
        subject_person_id=case.subject_id,
        unit_id=case.unit_id,
    )
    return case, attachment


def access_attachment_for_staff(
    actor: Actor, case_id: int, attachment_id: int, *, purpose: str = "ärendehantering"
) -> tuple[Case, Attachment]:
    """Any sent file of a case the staff member may open, or one they staged there.

    Audited once (REC-1, PRIV-2): the read names the file, which is what was read.
    """
    case = access_case_to_handle(actor, case_id)
    attachment = access_file(actor, case.file_folder, attachment_id)
    record_staff_read(actor, attachment, subject_person_id=case.subject_id, purpose=purpose)
    return case, attachment


def access_staged_for_resident(actor: Actor, case_id: int, attachment_id: int) -> tuple[Case, Attachment]:
    """A file this resident (or the guardian acting) uploaded to their case and has not sent (ATT-7).

    Someone else's file, a sent one, or one in another case is the same 404 as a missing one.
    """
    case = access_case_for_resident(actor, case_id)
    return case, access_staged_file(actor, case.file_folder, attachment_id)


def access_staged_for_staff(actor: Actor, case: Case, attachment_id: int) -> Attachment:
    """A file this staff member uploaded to `case` and has not sent (to discard it)."""
    return access_staged_file(actor, case.file_folder, attachment_id)


# --- keyset pages -----------------------------------------------------------------


@dataclass
class Page:
    items: list[Case]
    next_cursor: str | None


def resident_cases(actor: Actor, *, after: str | None = None, limit: int = PAGE_SIZE) -> Page:
    """ "Mina ärenden": newest activity first, keyset-paginated, one query."""
    # Lists never show the answers: deferring them saves decrypting every row.
    queryset = Case.objects.select_related("service", "unit").defer("answers").filter(_resident_scope(actor))
    position = decode_cursor(after)
    if position:
        moment, pk = position
        queryset = queryset.filter(Q(last_activity_at__lt=moment) | Q(last_activity_at=moment, id__lt=pk))
    rows = list(queryset.order_by("-last_activity_at", "-id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1].last_activity_at, rows[-1].pk) if more else None)


RESIDENT_ROW_FIELDS = (
    "id",
    "number",
    "service__name",
    "unit__name",
    "status",
    "submitted_at",
    "last_activity_at",
    "resident_unread",
)


@dataclass
class RowPage:
    items: list[dict[str, Any]]
    next_cursor: str | None


def resident_case_rows(actor: Actor, *, after: str | None = None, limit: int = PAGE_SIZE) -> RowPage:
    """ "Mina ärenden" as plain values (the API's lean read): the same scope, order and cursor as resident_cases."""
    queryset = Case.objects.filter(_resident_scope(actor))
    position = decode_cursor(after)
    if position:
        moment, pk = position
        queryset = queryset.filter(Q(last_activity_at__lt=moment) | Q(last_activity_at=moment, id__lt=pk))
    rows = list(queryset.order_by("-last_activity_at", "-id").values(*RESIDENT_ROW_FIELDS)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return RowPage(rows, encode_cursor(rows[-1]["last_activity_at"], rows[-1]["id"]) if more else None)


def resident_unread_count(actor: Actor) -> int:
    """How many of the resident's cases have something new to read (the menu's count on "Mina ärenden")."""
    if not actor.is_resident or actor.person_id is None:
        return 0
    # The same scope as _resident_scope in one COUNT, without loading the person: on every page, and
    # identity's middleware has already re-checked acting-for on this request.
    if actor.acting_for_id is None:
        scope = Q(subject_id=actor.person_id)
    else:
        scope = Q(subject_id=actor.acting_for_id) & (
            Q(subject__protected_identity=False) | Q(submitted_by_id=actor.person_id)
        )
    return Case.objects.filter(scope, resident_unread=True).count()


def resident_unread_cases(actor: Actor, *, limit: int = 5) -> list[Case]:
    """The newest cases with an answer the resident has not read, for the logged-in start page (bounded)."""
    queryset = Case.objects.select_related("service", "unit").defer("answers").filter(_resident_scope(actor))
    return list(queryset.filter(resident_unread=True).order_by("-last_activity_at", "-id")[:limit])


@dataclass
class InboxFilters:
    service_id: int | None = None
    status: str | None = None
    flag: str | None = None
    overdue: bool = False
    assignee_id: int | None = None
    unassigned: bool = False
    unread: bool = False  # unread by me (see unread_by_me)


@dataclass
class InboxPage(Page):
    roles: set[str]
    counts: dict[str, int]


# --- read state per staff member (issue 11: "Oläst" means unread by me) ----------------------------


def unread_by_me(actor: Actor) -> NegatedExpression[Combinable]:
    """True for a case with activity the staff member has not seen: never opened by them, or
    changed (last_activity_at) since they last did. A per-row EXISTS on CaseReading's unique
    (case, staff) index, so the inbox's rows and filter need no extra query."""
    if actor.staff_id is None:
        raise NotFound()
    return _unread_by(actor.staff_id)


def _unread_by(staff_id: int) -> NegatedExpression[Combinable]:
    return ~Exists(
        CaseReading.objects.filter(case_id=OuterRef("pk"), staff_id=staff_id, read_at__gte=OuterRef("last_activity_at"))
    )


# --- the inbox -----------------------------------------------------------------------
#
# Every inbox query is written once, below, as a function of plain values (`v`) and the
# page's shape (which filters are set, receiver or handler). inbox() runs them through the
# ORM; inbox_rows(), the API's hot path, runs the same querysets compiled once per shape
# (core.compiled), because building them cost more CPU than the database spent answering.


@dataclass(frozen=True)
class _InboxShape:
    receiver: bool
    status: bool = False
    service: bool = False
    flag: bool = False
    overdue: bool = False
    assignee: bool = False
    unassigned: bool = False
    unread: bool = False
    cursor: bool = False
    limit: int = 50

    def kinds(self) -> dict[str, Kind]:
        """The values this shape's page query binds."""
        kinds: dict[str, Kind] = {"unit_id": int, "staff_id": int}
        optional: tuple[tuple[bool, str, Kind], ...] = (
            (self.status, "status", str),
            (self.service, "service_id", int),
            (self.flag, "flag", str),
            (self.overdue, "now", dt.datetime),
            (self.assignee, "assignee_id", int),
            (self.cursor, "moment", dt.datetime),
            (self.cursor, "after_id", int),
        )
        kinds.update({name: kind for present, name, kind in optional if present})
        return kinds


def _inbox_scope(v: Mapping[str, Any], receiver: bool) -> QuerySet[Case]:
    """The unit's cases the staff member may see in the inbox: all for a receiver, a handler's own."""
    scope = Case.objects.filter(unit_id=v["unit_id"])
    if not receiver:
        scope = scope.filter(_handler_scope(Actor(kind=ActorKind.STAFF, staff_id=v["staff_id"])))
    return scope


def _inbox_filtered(v: Mapping[str, Any], shape: _InboxShape) -> QuerySet[Case]:
    scope = _inbox_scope(v, shape.receiver)
    queryset = scope.filter(status=v["status"]) if shape.status else scope.exclude(status=CaseStatus.CLOSED)
    if shape.service:
        queryset = queryset.filter(service_id=v["service_id"])
    if shape.flag:
        queryset = queryset.filter(Exists(CaseFlag.objects.filter(case=OuterRef("pk"), code=v["flag"])))
    if shape.overdue:
        queryset = queryset.filter(due_at__lt=v["now"])
    if shape.assignee:
        queryset = queryset.filter(assigned_to_id=v["assignee_id"])
    if shape.unassigned:
        queryset = queryset.filter(assigned_to__isnull=True)
    if shape.unread:
        queryset = queryset.filter(_unread_by(v["staff_id"]))
    if shape.cursor:
        queryset = queryset.filter(Q(due_at__gt=v["moment"]) | Q(due_at=v["moment"], id__gt=v["after_id"]))
    return queryset


def _inbox_rows_queryset(v: Mapping[str, Any], shape: _InboxShape) -> QuerySet[Any, Any]:
    page: QuerySet[Any, Any] = (
        _inbox_filtered(v, shape)
        .annotate(unread_by_me=_unread_by(v["staff_id"]))
        .order_by("due_at", "id")
        .values(*INBOX_ROW_FIELDS, "unread_by_me")[: shape.limit + 1]
    )
    return page


def _open_counts_queryset(v: Mapping[str, Any], receiver: bool) -> QuerySet[Any, Any]:
    """New / open among the open cases in scope: one row, summed from the unit's counters (InboxCount),
    a few rows per unit and pool or staff member, however many cases are open."""
    counters = InboxCount.objects.filter(unit_id=v["unit_id"])
    if not receiver:  # the same rule as _handler_scope
        counters = counters.filter(Q(assignee_id=v["staff_id"]) | Q(assignee_id=0, pool=Role.HANDLER))
    return counters.order_by().values("unit_id").annotate(new=Sum("n", filter=Q(is_new=True)), open=Sum("n"))


# The inbox says "1 000+ försenade" past this: counting further would cost time per overdue case.
OVERDUE_COUNT_LIMIT = 1000


def _overdue_queryset(v: Mapping[str, Any], receiver: bool) -> QuerySet[Any, Any]:
    """The overdue open cases in scope, at most OVERDUE_COUNT_LIMIT of them: a range of the index
    case_inbox_open_by_due (unit, due_at) that stops at the limit. Counted, never fetched."""
    return (
        _inbox_scope(v, receiver)
        .exclude(status=CaseStatus.CLOSED)
        .filter(due_at__lt=v["now"])
        .order_by()
        .values("id")[:OVERDUE_COUNT_LIMIT]
    )


def _read_count_queryset(v: Mapping[str, Any], receiver: bool) -> QuerySet[Any, Any]:
    """The open cases in scope this staff member has read since their last activity: a sum of their
    counters at the unit (ReadCount, kept by triggers), one to three rows however much they have read."""
    counters = ReadCount.objects.filter(staff_id=v["staff_id"], unit_id=v["unit_id"])
    if not receiver:  # the same rule as _handler_scope
        counters = counters.filter(part__in=(ReadCount.ASSIGNED_TO_READER, ReadCount.HANDLER_POOL))
    return counters.order_by().values("staff_id").annotate(read=Sum("n"))


_COUNT_KINDS: dict[str, Kind] = {"unit_id": int, "staff_id": int}
# The inbox's counts in one statement: the counters' sums and the bounded overdue count.
_COUNTS = {
    r: CompiledRow(
        open=(CompiledQuery(partial(_open_counts_queryset, receiver=r), **_COUNT_KINDS), False),
        read=(CompiledQuery(partial(_read_count_queryset, receiver=r), **_COUNT_KINDS), False),
        overdue=(CompiledQuery(partial(_overdue_queryset, receiver=r), **_COUNT_KINDS, now=dt.datetime), True),
    )
    for r in (True, False)
}
_PAGES: dict[_InboxShape, CompiledQuery] = {}


def _inbox_access(actor: Actor) -> tuple[set[str], bool]:
    """(the staff member's roles at their unit, whether they see the whole inbox); the access rule."""
    if not actor.is_staff or actor.unit_id is None or actor.staff_id is None:
        raise NotFound()
    roles = staff_roles_at(actor, actor.unit_id)
    if not roles & {Role.RECEIVER, Role.HANDLER}:
        raise NotFound()
    return roles, Role.RECEIVER in roles


def _inbox_values(
    actor: Actor, filters: InboxFilters, after: str | None, receiver: bool, limit: int
) -> tuple[_InboxShape, dict[str, Any]]:
    """The page's shape and the values it binds."""
    position = decode_cursor(after)
    shape = _InboxShape(
        receiver=receiver,
        status=bool(filters.status),
        service=bool(filters.service_id),
        flag=bool(filters.flag),
        overdue=filters.overdue,
        assignee=bool(filters.assignee_id),
        unassigned=filters.unassigned,
        unread=filters.unread,
        cursor=position is not None,
        limit=limit,
    )
    values: dict[str, Any] = {
        "unit_id": actor.unit_id,
        "staff_id": actor.staff_id,
        "status": filters.status,
        "service_id": filters.service_id,
        "flag": filters.flag,
        "now": clock.now(),
        "assignee_id": filters.assignee_id,
        "moment": position[0] if position else None,
        "after_id": position[1] if position else None,
    }
    return shape, {name: values[name] for name in shape.kinds()}


def _inbox_counts(actor: Actor, receiver: bool) -> dict[str, int]:
    """New / unread by me / overdue among the open cases in scope, in one statement whose cost
    does not grow with the unit's open cases (issue 13).

    New and the open total are sums of the unit's counters (InboxCount), and what this
    staff member has read since the cases' last activity a sum of theirs (ReadCount);
    triggers keep both with every write of a case or a reading (cases.inbox_counts).
    Unread by me is the open total less what they have read. Overdue depends on the
    clock, so it is counted, but only up to OVERDUE_COUNT_LIMIT ("1 000+").
    """
    found = _COUNTS[receiver].row(unit_id=actor.unit_id, staff_id=actor.staff_id, now=clock.now())
    counts = found["open"] or {}
    read = found["read"] or {}
    return {
        "new": int(counts.get("new") or 0),
        # Never below zero, even if a counter were wrong (the nightly check reports and repairs that).
        "unread": max(0, int(counts.get("open") or 0) - int(read.get("read") or 0)),
        "overdue": found["overdue"],
    }


def inbox(actor: Actor, filters: InboxFilters | None = None, *, after: str | None = None, limit: int = 50) -> InboxPage:
    """The unit inbox by deadline. Receivers: every open case; handlers: theirs. Fixed query count (≤ 5)."""
    roles, receiver = _inbox_access(actor)
    shape, v = _inbox_values(actor, filters or InboxFilters(), after, receiver, limit)
    rows: list[Case] = list(
        _inbox_filtered(v, shape)
        .select_related("service", "assigned_to", "duplicate_of", "subject")
        .defer("answers", "duplicate_of__answers")
        .annotate(unread_by_me=_unread_by(v["staff_id"]))
        .prefetch_related(Prefetch("flags", queryset=CaseFlag.objects.order_by("code")))
        .order_by("due_at", "id")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return InboxPage(
        rows, encode_cursor(rows[-1].due_at, rows[-1].pk) if more else None, roles, _inbox_counts(actor, receiver)
    )


INBOX_ROW_FIELDS = (
    "id",
    "number",
    "service__name",
    "status",
    "due_at",
    "assigned_to_id",
    "assigned_to__given_name",
    "assigned_to__surname",
    "staff_unread",
    "duplicate_of__number",
)


@dataclass
class InboxRows:
    """The inbox page as plain values (the API's lean read): rows of INBOX_ROW_FIELDS plus "unread_by_me" and "flags"."""

    items: list[dict[str, Any]]
    next_cursor: str | None
    counts: dict[str, int]


def inbox_rows(
    actor: Actor, filters: InboxFilters | None = None, *, after: str | None = None, limit: int = 50
) -> InboxRows:
    """The same page, access rule and counts as inbox(), as plain values from queries compiled
    once per shape: no model objects, no query building per request (5 queries)."""
    _roles, receiver = _inbox_access(actor)
    shape, v = _inbox_values(actor, filters or InboxFilters(), after, receiver, limit)
    page = _PAGES.get(shape)
    if page is None:
        page = _PAGES.setdefault(shape, CompiledQuery(partial(_inbox_rows_queryset, shape=shape), **shape.kinds()))
    rows = page.rows(**v)
    more = len(rows) > limit
    rows = rows[:limit]
    flags: dict[int, list[str]] = {row["id"]: [] for row in rows}
    if flags:
        for flag in _FLAGS.rows(list(flags)):
            flags[flag["case_id"]].append(flag["code"])
    for row in rows:
        row["flags"] = flags[row["id"]]
    cursor = encode_cursor(rows[-1]["due_at"], rows[-1]["id"]) if more else None
    return InboxRows(rows, cursor, _inbox_counts(actor, receiver))


_FLAGS = CompiledForIds(
    lambda v, ids: CaseFlag.objects.filter(case_id__in=ids).order_by("code").values("case_id", "code"), max_ids=101
)


def handlers_at(unit_id: int) -> QuerySet[Staff]:
    return Staff.objects.filter(role_grants__unit_id=unit_id, role_grants__role=Role.HANDLER, is_active=True).order_by(
        "surname", "given_name"
    )
