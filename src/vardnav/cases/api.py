"""Cases in /api/v1: the resident's cases and the staff inbox, through the same actions as the web UI.

There is deliberately no PUT, PATCH or DELETE on cases or messages: nothing sent
can be edited or recalled (CASE-5).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpResponse
from ninja import Field, Router, Schema
from ninja.params.functions import Header, Query
from ninja.responses import Status

from vardnav.cases import access, actions
from vardnav.cases.models import Case, CaseStatus, Channel, Message
from vardnav.core import clock
from vardnav.core.errors import NotFound
from vardnav.core.http import ApiRequest, json_response
from vardnav.core.idempotency import IdempotentResult, Outcome, run_idempotent
from vardnav.core.ids import MAX_ID
from vardnav.identity.api_auth import resident_auth, staff_auth
from vardnav.organizations.access import provider_staff
from vardnav.organizations.errors import OrganizationError

router = Router(tags=["cases"])


def _status_labels() -> dict[str, str]:
    """The status labels in the request's language (once per request, not per row)."""
    return {status.value: str(status.label) for status in CaseStatus}


# --- schemas ------------------------------------------------------------------------


class CaseSubmitIn(Schema):
    service_id: int
    unit_id: int | None = None
    answers: dict[str, Any] = Field(default_factory=dict)


class CaseCreatedOut(Schema):
    id: int
    number: str
    status: str
    due_at: dt.datetime
    probable_duplicate_of: str | None


class CaseSummaryOut(Schema):
    id: int
    number: str
    service: str
    unit: str
    status: str
    status_label: str
    submitted_at: dt.datetime
    last_activity_at: dt.datetime
    unread: bool


class CasePageOut(Schema):
    items: list[CaseSummaryOut]
    next_cursor: str | None


class MessageAttachmentOut(Schema):
    id: int
    file_name: str
    content_type: str
    size: int
    pages: int


class MessageOut(Schema):
    id: int
    kind: str
    kind_label: str
    author: str
    body: str
    form_answers: dict[str, Any] | None
    attachments: list[MessageAttachmentOut]
    created_at: dt.datetime


class CaseDetailOut(CaseSummaryOut):
    answers: dict[str, Any]
    due_at: dt.datetime
    messages: list[MessageOut]


class MessageIn(Schema):
    body: str = Field(max_length=actions.MESSAGE_MAX_LENGTH)


class MessageWithFilesIn(MessageIn):
    """A message that sends files uploaded to the case first (POST …/attachments)."""

    attachment_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(default_factory=list, max_length=10)


class MessageCreatedOut(Schema):
    id: int
    kind: str
    created_at: dt.datetime


class InboxItemOut(Schema):
    id: int
    number: str
    service: str
    status: str
    status_label: str
    due_at: dt.datetime
    overdue: bool
    assigned_to: str | None
    unread: bool
    flags: list[str]
    duplicate_of: str | None


class InboxOut(Schema):
    items: list[InboxItemOut]
    next_cursor: str | None
    counts: dict[str, int] = Field(
        description="The open cases in view: new, unread (by me) and overdue. Overdue is counted up to 1000: "
        "1000 means at least 1000."
    )


class StaffCaseOut(CaseDetailOut):
    assigned_to_id: int | None
    flags: list[str]
    duplicate_of: str | None
    reply_form: list[dict[str, Any]]


class DistributeIn(Schema):
    handler_id: int
    partial_reply: str = Field("", max_length=actions.MESSAGE_MAX_LENGTH)
    attachment_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(default_factory=list, max_length=10)


class ReplyIn(Schema):
    answers: dict[str, Any] = Field(default_factory=dict)
    close: bool = False
    outcome: str = ""
    attachment_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(default_factory=list, max_length=10)


class CloseIn(Schema):
    outcome: str


# --- helpers --------------------------------------------------------------------------


def _summary(case: Case, *, unread: bool) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "service": case.service.name,
        "unit": case.unit.name,
        "status": case.status,
        "status_label": case.get_status_display(),
        "submitted_at": case.submitted_at,
        "last_activity_at": case.last_activity_at,
        "unread": unread,
    }


def _message(message: Message, *, for_staff: bool) -> dict[str, Any]:
    if (staff := message.author_staff) is not None:
        author = f"{staff.given_name} {staff.surname}, {staff.get_profession_display().lower()}"
    else:
        author = "Invånaren" if for_staff else "Du"
    return {
        "id": message.pk,
        "kind": message.kind,
        "kind_label": message.get_kind_display(),
        "author": author,
        "body": message.body,
        "form_answers": message.form_answers,
        "attachments": [
            {
                "id": file.pk,
                "file_name": file.file_name,
                "content_type": file.content_type,
                "size": file.size,
                "pages": file.pages,
            }
            for file in message.files
        ],
        "created_at": message.created_at,
    }


def _created(result: IdempotentResult) -> HttpResponse:
    """The write's response, or the first one again for a repeated Idempotency-Key (CASE-6).

    The body is already plain JSON values (moments as core.clock.iso_utc writes them), so it is
    rendered as it is: the route's response schema documents it without validating it again.
    """
    return json_response(result.body, status=result.status)


IdempotencyKey = Header(None, alias="Idempotency-Key")


# --- resident -------------------------------------------------------------------------


@router.post("/cases", response={201: CaseCreatedOut}, auth=resident_auth, summary="Send a case (ärende)")
def submit_case(
    request: ApiRequest, payload: CaseSubmitIn, idempotency_key: str | None = IdempotencyKey
) -> HttpResponse:
    offer = access.access_submission_offer(request.auth, service_id=payload.service_id, unit_id=payload.unit_id)

    def submit() -> Outcome:
        case = actions.do_submit_routed(request.auth, offer, answers=payload.answers, channel=Channel.API)
        return 201, {
            "id": case.pk,
            "number": case.number,
            "status": case.status,
            "due_at": clock.iso_utc(case.due_at),
            "probable_duplicate_of": case.duplicate_of.number if case.duplicate_of is not None else None,
        }

    return _created(
        run_idempotent(request.auth, idempotency_key, "cases.submit", payload.dict(), submit, rerun_safe=True)
    )


@router.get("/cases", response=CasePageOut, auth=resident_auth, summary="Mina ärenden")
def my_cases(request: ApiRequest, after: str | None = None) -> HttpResponse:
    page = access.resident_case_rows(request.auth, after=after)
    labels = _status_labels()
    items = [
        {
            "id": row["id"],
            "number": row["number"],
            "service": row["service__name"],
            "unit": row["unit__name"],
            "status": row["status"],
            "status_label": labels[row["status"]],
            "submitted_at": row["submitted_at"],
            "last_activity_at": row["last_activity_at"],
            "unread": row["resident_unread"],
        }
        for row in page.items
    ]
    return json_response({"items": items, "next_cursor": page.next_cursor})


@router.get("/cases/{case_id}", response=CaseDetailOut, auth=resident_auth, summary="One of my cases with its dialogue")
def my_case(request: ApiRequest, case_id: int) -> dict[str, Any]:
    case = access.access_case_for_resident(request.auth, case_id)
    messages = [_message(m, for_staff=False) for m in access.with_files(access.resident_messages(case))]
    actions.do_mark_read_by_resident(request.auth, case)
    return {**_summary(case, unread=False), "answers": case.answers, "due_at": case.due_at, "messages": messages}


@router.post(
    "/cases/{case_id}/messages", response={201: MessageCreatedOut}, auth=resident_auth, summary="Write in my case"
)
def my_case_message(
    request: ApiRequest,
    case_id: int,
    payload: MessageWithFilesIn,
    idempotency_key: str | None = IdempotencyKey,
) -> HttpResponse:
    case = access.access_case_for_resident(request.auth, case_id)

    def send() -> Outcome:
        message = actions.do_send_resident_message(
            request.auth, case, body=payload.body, attachment_ids=payload.attachment_ids
        )
        return 201, {"id": message.pk, "kind": message.kind, "created_at": clock.iso_utc(message.created_at)}

    return _created(
        run_idempotent(
            request.auth, idempotency_key, "cases.message", {"case": case_id, **payload.dict()}, send, rerun_safe=True
        )
    )


# --- staff ----------------------------------------------------------------------------


@router.get("/staff/inbox", response=InboxOut, auth=staff_auth, summary="The unit inbox, by deadline")
def staff_inbox(
    request: ApiRequest,
    service_id: int | None = Query(None, ge=1, le=MAX_ID),
    status: str | None = Query(None, max_length=24),
    flag: str | None = Query(None, max_length=40),
    overdue: bool = False,
    assignee_id: int | None = Query(None, ge=1, le=MAX_ID),
    unassigned: bool = False,
    after: str | None = Query(None, max_length=200),
) -> HttpResponse:
    page = access.inbox_rows(
        request.auth,
        access.InboxFilters(
            service_id=service_id,
            status=status,
            flag=flag,
            overdue=overdue,
            assignee_id=assignee_id,
            unassigned=unassigned,
        ),
        after=after,
    )
    now = clock.now()
    labels = _status_labels()
    items = [
        {
            "id": row["id"],
            "number": row["number"],
            "service": row["service__name"],
            "status": row["status"],
            "status_label": labels[row["status"]],
            "due_at": row["due_at"],
            "overdue": row["due_at"] < now and row["status"] != "closed",
            "assigned_to": f"{row['assigned_to__given_name']} {row['assigned_to__surname']}"
            if row["assigned_to_id"]
            else None,
            "unread": row["unread_by_me"],
            "flags": row["flags"],
            "duplicate_of": row["duplicate_of__number"],
        }
        for row in page.items
    ]
    return json_response({"items": items, "next_cursor": page.next_cursor, "counts": page.counts})


@router.get("/staff/cases/{case_id}", response=StaffCaseOut, auth=staff_auth, summary="Open a case (audited)")
def staff_case(request: ApiRequest, case_id: int) -> HttpResponse:
    case = access.access_case_opened_by_staff(request.auth, case_id, people=False)
    messages = [_message(m, for_staff=True) for m in access.with_files(access.staff_messages(case, people=False))]
    # Plain values straight to JSON; StaffCaseOut stays the documented response (OpenAPI).
    return json_response(
        {
            **_summary(case, unread=False),
            "answers": case.answers,
            "due_at": case.due_at,
            "messages": messages,
            "assigned_to_id": case.assigned_to_id,
            "flags": [f.code for f in case.flags.all()],
            "duplicate_of": case.duplicate_number,  # type: ignore[attr-defined]  # annotated by access (people=False)
            "reply_form": actions.reply_form_for(case),
        }
    )


def _staff_case(request: ApiRequest, case_id: int) -> Case:
    """The case for an action: no read entry, the action records itself (one read per viewing)."""
    return access.access_case_to_handle(request.auth, case_id)


@router.post(
    "/staff/cases/{case_id}/take",
    response={200: CaseSummaryOut},
    auth=staff_auth,
    summary="Take an unassigned case routed to the handler role",
)
def take(request: ApiRequest, case_id: int) -> dict[str, Any]:
    case = actions.do_take_case(request.auth, _staff_case(request, case_id))
    return _summary(case, unread=case.staff_unread)


@router.post(
    "/staff/cases/{case_id}/distribute",
    response={200: CaseSummaryOut},
    auth=staff_auth,
    summary="Distribute to a handler",
)
def distribute(request: ApiRequest, case_id: int, payload: DistributeIn) -> dict[str, Any]:
    case = _staff_case(request, case_id)
    handler = provider_staff(case.provider_id, payload.handler_id)
    if handler is None:
        raise NotFound(OrganizationError.STAFF_NOT_FOUND)
    actions.do_distribute_case(
        request.auth,
        case,
        handler=handler,
        partial_reply=payload.partial_reply,
        attachment_ids=payload.attachment_ids,
    )
    return _summary(case, unread=case.staff_unread)


@router.post(
    "/staff/cases/{case_id}/questions",
    response={201: MessageCreatedOut},
    auth=staff_auth,
    summary="Ask a counter-question",
)
def ask(request: ApiRequest, case_id: int, payload: MessageWithFilesIn) -> Status[dict[str, Any]]:
    message = actions.do_ask_question(
        request.auth, _staff_case(request, case_id), body=payload.body, attachment_ids=payload.attachment_ids
    )
    return Status(201, {"id": message.pk, "kind": message.kind, "created_at": message.created_at})


@router.post(
    "/staff/cases/{case_id}/replies",
    response={201: MessageCreatedOut},
    auth=staff_auth,
    summary="Answer with the reply form",
)
def reply(
    request: ApiRequest, case_id: int, payload: ReplyIn, idempotency_key: str | None = IdempotencyKey
) -> HttpResponse:
    """A retried reply with the same Idempotency-Key is answered from the first (make chaos retries through outages)."""
    case = _staff_case(request, case_id)

    def perform() -> Outcome:
        message = actions.do_reply(
            request.auth,
            case,
            answers=payload.answers,
            close=payload.close,
            outcome=payload.outcome,
            attachment_ids=payload.attachment_ids,
        )
        return 201, {"id": message.pk, "kind": message.kind, "created_at": clock.iso_utc(message.created_at)}

    return _created(
        run_idempotent(
            request.auth, idempotency_key, "cases.reply", {"case": case_id, **payload.dict()}, perform, rerun_safe=True
        )
    )


@router.post(
    "/staff/cases/{case_id}/notes", response={201: MessageCreatedOut}, auth=staff_auth, summary="Internal note"
)
def note(request: ApiRequest, case_id: int, payload: MessageIn) -> Status[dict[str, Any]]:
    message = actions.do_add_note(request.auth, _staff_case(request, case_id), body=payload.body)
    return Status(201, {"id": message.pk, "kind": message.kind, "created_at": message.created_at})


@router.post(
    "/staff/cases/{case_id}/close", response={200: CaseSummaryOut}, auth=staff_auth, summary="Close with an outcome"
)
def close(request: ApiRequest, case_id: int, payload: CloseIn) -> dict[str, Any]:
    case = actions.do_close_case(request.auth, _staff_case(request, case_id), outcome=payload.outcome)
    return _summary(case, unread=False)
