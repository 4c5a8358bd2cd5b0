"""Signing record notes: the only code that writes the record.

A note is signed as it is saved, by its author, with the author's profession
at that moment. Nothing signed changes (REC-1, PDL 3 kap.): a correction is an
amendment, a new note pointing at the old one, and both stay readable.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.cases.actions import do_close_case
from vardnav.cases.models import Case, Outcome
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import CoreError, DomainError, NotFound
from vardnav.organizations.access import acting_staff
from vardnav.organizations.models import Profession
from vardnav.records.access import has_care_relation
from vardnav.records.diagnoses import check_diagnosis_codes
from vardnav.records.errors import RecordError
from vardnav.records.models import NoteKind, RecordNote

NOTE_MAX_LENGTH = 20_000
# Record keeping is for health-care staff (PDL 3 kap. 3 §); administrative staff do not sign notes.
PROFESSIONS_NOT_SIGNING = {Profession.ADMINISTRATIVE}


def check_note_body(body: Any, *, field: str = "body") -> str:
    text = str(body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise RecordError.EMPTY_NOTE.error(field=field)
    if len(text) > NOTE_MAX_LENGTH:
        raise RecordError.NOTE_TOO_LONG.error(field=field, limit=NOTE_MAX_LENGTH, length=len(text))
    return text


def check_note_kind(kind: Any, *, shared_with_resident: bool) -> str:
    """The kind of note; only a summary may be shared with the resident (VISIT-10)."""
    if kind not in NoteKind.values:
        raise RecordError.INVALID_NOTE_KIND.error(field="kind")
    if shared_with_resident and kind != NoteKind.SUMMARY:
        raise RecordError.ONLY_SUMMARY_SHARED.error(field="shared_with_resident")
    return str(kind)


def do_sign_note(
    actor: Actor,
    case: Case,
    *,
    body: Any,
    kind: Any = NoteKind.NOTE,
    diagnosis_codes: str | list[str] | None = None,
    shared_with_resident: bool = False,
    amends_id: int | None = None,
    close_case: bool = False,
) -> RecordNote:
    """Sign a note on the case (REC-1); a summary may be shared with the resident (VISIT-10).

    With `close_case` the case's handler ends the contact with the summary: the
    note and the closing (cases.actions.do_close_case, which checks that the
    actor handles the case) commit together or not at all. Every input is
    checked before anything is written; the note and its audit entry commit
    together.
    """
    if not has_care_relation(actor, case):
        raise NotFound(RecordError.NO_CARE_RELATION)
    author = acting_staff(actor)
    if author is None:
        raise NotFound(RecordError.NO_CARE_RELATION)
    if author.profession in PROFESSIONS_NOT_SIGNING:
        raise RecordError.PROFESSION_MAY_NOT_SIGN.error()
    errors: dict[str, list[str]] = {}
    checked: dict[str, Any] = {}
    for name, check in (
        ("body", lambda: check_note_body(body)),
        ("kind", lambda: check_note_kind(kind, shared_with_resident=shared_with_resident)),
        ("diagnosis_codes", lambda: check_diagnosis_codes(diagnosis_codes)),
    ):
        try:
            checked[name] = check()
        except DomainError as error:
            for field, messages in error.field_errors().items():
                errors.setdefault(field, []).extend(messages)
    amends = None
    if amends_id is not None:
        amends = RecordNote.objects.filter(pk=amends_id, case=case).first()
        if amends is None:
            errors.setdefault("amends", []).append(str(RecordError.AMENDS_OTHER_CASE.message))
    if close_case and checked.get("kind") != NoteKind.SUMMARY:
        errors.setdefault("close_case", []).append(str(RecordError.CLOSE_NEEDS_SUMMARY.message))
    if errors:
        raise CoreError.VALIDATION.error(errors=errors)
    with transaction.atomic():
        note = RecordNote.objects.create(
            case=case,
            case_number=case.number,
            subject_id=case.subject_id,
            unit_id=case.unit_id,
            provider_id=case.provider_id,
            kind=checked["kind"],
            body=checked["body"],
            diagnosis_codes=checked["diagnosis_codes"],
            shared_with_resident=bool(shared_with_resident),
            amends=amends,
            author=author,
            author_profession=author.profession,
            signed_at=clock.now(),
        )
        do_record(
            actor,
            AuditEvent.RECORD_NOTE_SIGN,
            note,
            subject_person_id=case.subject_id,
            unit_id=case.unit_id,
            extra={
                "case_id": case.pk,
                "kind": note.kind,
                "shared_with_resident": note.shared_with_resident,
                "amends": amends.pk if amends is not None else None,
            },
        )
        if close_case:
            do_close_case(actor, case, outcome=Outcome.ANSWERED)
    return note
