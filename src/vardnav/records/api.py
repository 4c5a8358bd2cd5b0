"""The record in /api/v1/records: "Min journal" for residents, a case's notes for staff.

There is deliberately no PUT, PATCH or DELETE on notes: a signed note never
changes; a correction is a new note with `amends` (REC-1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema
from ninja.responses import Status

from vardnav.cases.models import Case
from vardnav.core.errors import NotFound
from vardnav.core.http import ApiRequest
from vardnav.identity.api_auth import resident_auth, staff_auth
from vardnav.records import access, actions
from vardnav.records.diagnoses import code_titles
from vardnav.records.errors import RecordError
from vardnav.records.models import ContactCategory, NoteKind, RecordNote

router = Router(tags=["records"])
MAX_ID = 2**63 - 1  # ids are 64-bit; a larger number can't name anything


class DiagnosisOut(Schema):
    code: str
    title: str


class NoteOut(Schema):
    id: int
    case_number: str
    kind: str
    kind_label: str
    body: str
    diagnoses: list[DiagnosisOut]
    shared_with_resident: bool
    amends: int | None
    author: str
    author_profession: str
    signed_at: dt.datetime


class NoteIn(Schema):
    body: str = Field(max_length=actions.NOTE_MAX_LENGTH)
    kind: str = NoteKind.NOTE.value
    diagnosis_codes: list[str] = Field(default_factory=list, max_length=20)
    shared_with_resident: bool = False
    amends: int | None = Field(None, ge=1, le=MAX_ID)
    close_case: bool = False  # VISIT-10: the case's handler ends the contact with this summary


class JournalItemOut(Schema):
    kind: str  # "answers", "message" or "summary"
    at: dt.datetime
    unit: str
    case_number: str
    case_id: int | None
    service: str
    author: str
    body: str
    answers: dict[str, Any] | None
    diagnoses: list[DiagnosisOut]


class JournalOut(Schema):
    items: list[JournalItemOut]
    next_cursor: str | None


def _diagnoses(codes: list[str] | None) -> list[dict[str, str]]:
    titles = code_titles()
    return [{"code": code, "title": titles.get(code, "")} for code in codes or []]


def _author(staff: Any) -> str:
    return f"{staff.given_name} {staff.surname}, {staff.get_profession_display().lower()}"


def _note(note: RecordNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "case_number": note.case_number,
        "kind": note.kind,
        "kind_label": note.get_kind_display(),
        "body": note.body,
        "diagnoses": _diagnoses(note.diagnosis_codes),
        "shared_with_resident": note.shared_with_resident,
        "amends": note.amends_id,
        "author": f"{note.author.given_name} {note.author.surname}",
        "author_profession": note.author_profession,
        "signed_at": note.signed_at,
    }


def _item(item: access.JournalItem, actor: Any) -> dict[str, Any]:
    message, note = item.message, item.note
    if note is not None:
        author, body, answers, codes = _author(note.author), note.body, None, note.diagnosis_codes
    else:
        assert message is not None
        author = access.message_author(message, actor)
        body = message.body
        answers = message.case.answers if item.kind == "answers" else message.form_answers
        codes = []
    return {
        "kind": item.kind,
        "at": item.at,
        "unit": item.unit.name,
        "case_number": item.case_number,
        "case_id": item.case_id,
        "service": item.service_name,
        "author": author,
        "body": body,
        "answers": answers,
        "diagnoses": _diagnoses(codes),
    }


def _case_for_staff(request: ApiRequest, case_id: int) -> Case:
    if case_id > MAX_ID:
        raise NotFound(RecordError.NO_CARE_RELATION)
    return access.access_case_for_records(request.auth, case_id)


@router.get("/records/journal", response=JournalOut, auth=resident_auth, summary="Min journal")
def my_journal(request: ApiRequest, after: str | None = None, unit_id: int | None = None) -> dict[str, Any]:
    """The subject's journal, newest first (REC-2); a guardian's under the age rules (REC-7, REC-8)."""
    if unit_id is not None and not 0 < unit_id <= MAX_ID:
        unit_id = 0  # names no unit: an empty page rather than an overflow
    page = access.journal(request.auth, after=after, unit_id=unit_id)
    return {"items": [_item(item, request.auth) for item in page.items], "next_cursor": page.next_cursor}


@router.get("/records/cases/{case_id}/notes", response=list[NoteOut], auth=staff_auth, summary="A case's record notes")
def case_notes(request: ApiRequest, case_id: int) -> list[dict[str, Any]]:
    """Staff with a care relation only; every call is one audited read (REC-1)."""
    case = _case_for_staff(request, case_id)
    return [_note(note) for note in access.read_case_notes(request.auth, case)]


@router.post(
    "/records/cases/{case_id}/notes",
    response={201: NoteOut},
    auth=staff_auth,
    summary="Sign a record note (or an amendment)",
)
def sign_note(request: ApiRequest, case_id: int, payload: NoteIn) -> Status[dict[str, Any]]:
    case = _case_for_staff(request, case_id)
    note = actions.do_sign_note(
        request.auth,
        case,
        body=payload.body,
        kind=payload.kind,
        diagnosis_codes=payload.diagnosis_codes,
        shared_with_resident=payload.shared_with_resident,
        amends_id=payload.amends,
        close_case=payload.close_case,
    )
    return Status(201, _note(note))


class ContactCategoryIn(Schema):
    category: str = Field(max_length=24)


class ContactCategoryOut(Schema):
    case_number: str
    category: str
    label: str


@router.post(
    "/records/cases/{case_id}/contact-category",
    response=ContactCategoryOut,
    auth=staff_auth,
    summary="Say what kind of contact a case is (what the national summary may hold)",
)
def classify_contact(request: ApiRequest, case_id: int, payload: ContactCategoryIn) -> dict[str, Any]:
    """REC-3: vaccination advice, private-insurance and occupational-health contacts never go to the national summary."""
    case = _case_for_staff(request, case_id)
    classification = actions.do_classify_contact(request.auth, case, category=payload.category)
    return {
        "case_number": classification.case_number,
        "category": classification.category,
        "label": str(ContactCategory(classification.category).label),
    }
