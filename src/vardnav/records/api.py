"""The record in /api/v1/records: "Min journal" for residents, a case's notes for staff.

There is deliberately no PUT, PATCH or DELETE on notes: a signed note never
changes; a correction is a new note with `amends` (REC-1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Router, Schema
from ninja.params.functions import Header, Path
from ninja.responses import Status

from vardnav.cases.models import Case
from vardnav.core.errors import NotFound
from vardnav.core.http import ApiRequest
from vardnav.core.idempotency import check_idempotency_key, run_idempotent
from vardnav.core.ids import MAX_ID
from vardnav.identity.api_auth import resident_auth, staff_auth
from vardnav.integrations.api import IntegrationTokenAuth
from vardnav.integrations.models import IntegrationScope
from vardnav.organizations import access as org_access
from vardnav.organizations.models import CareProvider
from vardnav.records import access, actions
from vardnav.records.diagnoses import code_titles
from vardnav.records.errors import RecordError
from vardnav.records.models import (
    Block,
    ContactCategory,
    InsurerRequestOutcome,
    NationalSharingPeriod,
    NoteKind,
    PowerOfAttorney,
    RecordNote,
    Seal,
)
from vardnav.records.national import StoredDocument

router = Router(tags=["records"])


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
    category: Literal["care", "vaccination_advice", "private_insurance", "occupational_health"]


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


# --- block and seal, the national view (REC-5, REC-6, REC-7) ----------------------------------


class RestrictionIn(Schema):
    scope: Literal["all", "unit", "period"]
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    starts_on: dt.date | None = Field(None, description="the period's first day")
    ends_on: dt.date | None = Field(None, description="the period's last day")


class RestrictionOut(Schema):
    id: int
    scope: str
    unit_id: int | None
    unit: str | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    created_at: dt.datetime
    lifted_at: dt.datetime | None


class RestrictionsOut(Schema):
    may_restrict: bool
    blocks: list[RestrictionOut]
    seals: list[RestrictionOut]


class NationalDocumentOut(Schema):
    document_id: str
    provider: str
    unit: str
    contact_date: dt.date
    summary_note: str
    diagnoses: list[DiagnosisOut]


class NationalViewOut(Schema):
    documents: list[NationalDocumentOut]
    sealed_count: int


def _national_document(stored: StoredDocument) -> dict[str, Any]:
    document = stored.document
    return {
        "document_id": document.document_id,
        "provider": document.contact.provider,
        "unit": document.contact.unit,
        "contact_date": document.contact_date,
        "summary_note": document.summary_note,
        "diagnoses": [{"code": d.code, "title": d.title} for d in document.diagnoses],
    }


def _json(body: dict[str, Any]) -> dict[str, Any]:
    """Dates as ISO strings: the body is stored for an idempotent replay."""
    return {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in body.items()}


def _restriction(item: Block | Seal) -> dict[str, Any]:
    return {
        "id": item.pk,
        "scope": item.scope,
        "unit_id": item.unit_id,
        "unit": item.unit.name if item.unit is not None else None,
        "starts_on": item.starts_on,
        "ends_on": item.ends_on,
        "created_at": item.created_at,
        "lifted_at": item.lifted_at,
    }


@router.get("/records/restrictions", response=RestrictionsOut, auth=resident_auth, summary="My blocks and seals")
def my_restrictions(request: ApiRequest) -> dict[str, Any]:
    page = access.access_restrictions(request.auth)
    return {
        "may_restrict": page.may_restrict,
        "blocks": [_restriction(b) for b in page.blocks],
        "seals": [_restriction(s) for s in page.seals],
    }


def _restrict(request: ApiRequest, kind: str, payload: RestrictionIn, key: str | None) -> Status[dict[str, Any]]:
    actor = request.auth
    actions.restricting_person(actor)  # a guardian's refusal (REC-5) is logged before the write's transaction
    do = actions.do_block if kind == "block" else actions.do_seal

    def perform() -> tuple[int, dict[str, Any]]:
        made = do(
            actor, scope=payload.scope, unit_id=payload.unit_id, starts_on=payload.starts_on, ends_on=payload.ends_on
        )
        return 201, _json(_restriction(made))

    result = run_idempotent(actor, check_idempotency_key(key), f"records.{kind}", payload.dict(), perform)
    return Status(result.status, result.body)


@router.post(
    "/records/blocks",
    response={201: RestrictionOut},
    auth=resident_auth,
    summary="Block all or part of my journal from other care providers (REC-5)",
)
def block(
    request: ApiRequest, payload: RestrictionIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
) -> Status[dict[str, Any]]:
    return _restrict(request, "block", payload, idempotency_key)


@router.post(
    "/records/seals",
    response={201: RestrictionOut},
    auth=resident_auth,
    summary="Seal all or part of my journal in the national view, for me too (REC-6)",
)
def seal(
    request: ApiRequest, payload: RestrictionIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
) -> Status[dict[str, Any]]:
    return _restrict(request, "seal", payload, idempotency_key)


@router.post("/records/blocks/{block_id}/lift", response=RestrictionOut, auth=resident_auth, summary="Lift a block")
def lift_block(request: ApiRequest, block_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return _restriction(actions.do_lift_block(request.auth, block_id))


@router.post("/records/seals/{seal_id}/lift", response=RestrictionOut, auth=resident_auth, summary="Lift a seal")
def lift_seal(request: ApiRequest, seal_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    return _restriction(actions.do_lift_seal(request.auth, seal_id))


@router.get(
    "/records/national",
    response=NationalViewOut,
    auth=resident_auth,
    summary="My national summary as 1177 Journalen shows it (sealed items left out)",
)
def national_view(request: ApiRequest) -> dict[str, Any]:
    view = access.national_view(request.auth)
    return {
        "documents": [_national_document(stored) for stored in view.documents],
        "sealed_count": view.sealed_count,
    }


# --- staff: other providers' shared data, after consent (REC-4) -------------------------------


class ConsentIn(Schema):
    basis: Literal["consent", "emergency"]
    reason: str = Field("", max_length=actions.CONSENT_REASON_MAX_LENGTH)


class ConsentOut(Schema):
    id: int
    case_number: str
    basis: str
    recorded_at: dt.datetime


class SharedRecordsOut(Schema):
    basis: str
    documents: list[NationalDocumentOut]


@router.post(
    "/records/cases/{case_id}/shared-consent",
    response={201: ConsentOut},
    auth=staff_auth,
    summary="Record the resident's consent (or the emergency exception) to read shared data (REC-4)",
)
def record_consent(request: ApiRequest, case_id: int, payload: ConsentIn) -> Status[dict[str, Any]]:
    case = _case_for_staff(request, case_id)
    consent = actions.do_record_consent(request.auth, case, basis=payload.basis, reason=payload.reason)
    return Status(
        201,
        {
            "id": consent.pk,
            "case_number": consent.case_number,
            "basis": consent.basis,
            "recorded_at": consent.recorded_at,
        },
    )


@router.get(
    "/records/cases/{case_id}/shared",
    response=SharedRecordsOut,
    auth=staff_auth,
    summary="Other providers' shared data for the case's resident (after consent; audited)",
)
def shared_records(request: ApiRequest, case_id: int) -> dict[str, Any]:
    case = _case_for_staff(request, case_id)
    shared = access.read_shared_records(request.auth, case)
    return {"basis": shared.consent.basis, "documents": [_national_document(s) for s in shared.documents]}


# --- the log reviewer (HSLF-FS 2016:40 4 kap.) ------------------------------------------------


class LogReviewOut(Schema):
    id: int
    day: dt.date
    reads_that_day: int
    selected: int
    undecided: int


class LogReviewItemOut(Schema):
    id: int
    occurred_at: dt.datetime
    action: str
    staff_id: int | None
    subject_person_id: int | None
    unit_id: int | None
    purpose: str
    reasons: list[str]
    outcome: str
    comment: str
    decided_at: dt.datetime | None


class LogReviewDecisionIn(Schema):
    outcome: Literal["justified", "not_justified", "follow_up"]
    comment: str = Field("", max_length=actions.REVIEW_COMMENT_MAX_LENGTH)


def _review_item(item: Any, entry: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "occurred_at": entry.occurred_at,
        "action": entry.action,
        "staff_id": entry.actor_staff_id,
        "subject_person_id": entry.subject_person_id,
        "unit_id": entry.unit_id,
        "purpose": entry.purpose,
        "reasons": item.reasons,
        "outcome": item.outcome,
        "comment": item.comment,
        "decided_at": item.decided_at,
    }


@router.get("/records/log-reviews", response=list[LogReviewOut], auth=staff_auth, summary="The reviewer's selections")
def log_reviews(request: ApiRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": s.review.pk,
            "day": s.review.day,
            "reads_that_day": s.review.reads_that_day,
            "selected": s.selected,
            "undecided": s.undecided,
        }
        for s in access.access_log_reviews(request.auth)
    ]


@router.get(
    "/records/log-reviews/{review_id}/items",
    response=list[LogReviewItemOut],
    auth=staff_auth,
    summary="One day's selected reads (the viewing is logged)",
)
def log_review_items(request: ApiRequest, review_id: int = Path(..., ge=1, le=MAX_ID)) -> list[dict[str, Any]]:
    review = access.access_log_review(request.auth, review_id)
    return [_review_item(row.item, row.entry) for row in access.read_log_review(request.auth, review)]


@router.post(
    "/records/log-reviews/{review_id}/items/{item_id}/decision",
    response=LogReviewItemOut,
    auth=staff_auth,
    summary="Document the outcome of one selected read",
)
def decide_log_item(
    request: ApiRequest,
    payload: LogReviewDecisionIn,
    review_id: int = Path(..., ge=1, le=MAX_ID),
    item_id: int = Path(..., ge=1, le=MAX_ID),
) -> dict[str, Any]:
    review = access.access_log_review(request.auth, review_id)
    item = access.access_log_item(request.auth, review, item_id)
    decided = actions.do_decide_log_item(request.auth, item, outcome=payload.outcome, comment=payload.comment)
    return _review_item(decided, decided.entry)


# --- early access (REC-8) ---------------------------------------------------------------------


class EarlyAccessOut(Schema):
    id: int
    unit: str
    case_number: str
    status: str
    status_label: str
    registered_at: dt.datetime
    decided_at: dt.datetime | None
    withdrawn_at: dt.datetime | None


class EarlyAccessStaffOut(EarlyAccessOut):
    child_name: str
    reason: str
    withdrawal_reason: str


class EarlyAccessDecisionIn(Schema):
    decision: Literal["granted", "refused"]
    reason: str = Field(max_length=actions.DECISION_REASON_MAX_LENGTH)


class EarlyAccessWithdrawalIn(Schema):
    reason: str = Field(max_length=actions.DECISION_REASON_MAX_LENGTH)


def _early_access(application: Any) -> dict[str, Any]:
    return {
        "id": application.pk,
        "unit": application.unit.name,
        "case_number": application.case_number,
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "registered_at": application.registered_at,
        "decided_at": application.decided_at,
        "withdrawn_at": application.withdrawn_at,
    }


def _early_access_staff(application: Any) -> dict[str, Any]:
    return _early_access(application) | {
        "child_name": application.person.full_name,
        "reason": application.reason,
        "withdrawal_reason": application.withdrawal_reason,
    }


@router.get(
    "/records/early-access",
    response=list[EarlyAccessOut],
    auth=resident_auth,
    url_name="my_early_access",
    summary="The status of my (or my child's) applications for early access to the journal",
)
def my_early_access(request: ApiRequest) -> list[dict[str, Any]]:
    return [_early_access(application) for application in access.my_early_access(request.auth)]


@router.post(
    "/records/cases/{case_id}/early-access",
    response={201: EarlyAccessStaffOut},
    auth=staff_auth,
    summary="Register the child's application for early access on their case (staff with a care relation)",
)
def register_early_access(request: ApiRequest, case_id: int) -> Status[dict[str, Any]]:
    case = _case_for_staff(request, case_id)
    return Status(201, _early_access_staff(actions.do_register_early_access(request.auth, case)))


@router.get(
    "/records/early-access-applications",
    response=list[EarlyAccessStaffOut],
    auth=staff_auth,
    summary="The head of unit's applications for early access: waiting ones first",
)
def early_access_applications(request: ApiRequest) -> list[dict[str, Any]]:
    return [_early_access_staff(row.application) for row in access.access_early_access_applications(request.auth)]


@router.post(
    "/records/early-access-applications/{application_id}/decision",
    response=EarlyAccessStaffOut,
    auth=staff_auth,
    summary="Grant or refuse early access with a reason (the head of unit)",
)
def decide_early_access(
    request: ApiRequest, payload: EarlyAccessDecisionIn, application_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    application = access.access_early_access_application(request.auth, application_id)
    decided = actions.do_decide_early_access(
        request.auth, application, decision=payload.decision, reason=payload.reason
    )
    return _early_access_staff(decided)


@router.post(
    "/records/early-access-applications/{application_id}/withdraw",
    response=EarlyAccessStaffOut,
    auth=staff_auth,
    summary="Withdraw a granted early access with a reason (the head of unit); the child's session ends",
)
def withdraw_early_access(
    request: ApiRequest, payload: EarlyAccessWithdrawalIn, application_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    application = access.access_early_access_application(request.auth, application_id)
    withdrawn = actions.do_withdraw_early_access(request.auth, application, reason=payload.reason)
    return _early_access_staff(withdrawn)


# --- the resident's powers of attorney for insurers (REC-9) -----------------------------------


class InsurerRequestOut(Schema):
    insurer: str
    case_number: str
    requested_at: dt.datetime
    outcome: str
    outcome_label: str
    released: int


class PowerOfAttorneyOut(Schema):
    id: int
    insurer: str
    case_number: str
    unit: str
    approved_at: dt.datetime
    revoked_at: dt.datetime | None
    in_force: bool


class InsuranceOut(Schema):
    powers: list[PowerOfAttorneyOut]
    requests: list[InsurerRequestOut]


def _power(poa: Any) -> dict[str, Any]:
    return {
        "id": poa.pk,
        "insurer": poa.insurer.name,
        "case_number": poa.case_number,
        "unit": poa.unit.name,
        "approved_at": poa.approved_at,
        "revoked_at": poa.revoked_at,
        "in_force": poa.revoked_at is None,
    }


@router.get(
    "/records/powers-of-attorney",
    response=InsuranceOut,
    auth=resident_auth,
    summary="My powers of attorney for insurers, and every insurer request with what was released",
)
def my_powers_of_attorney(request: ApiRequest) -> dict[str, Any]:
    overview = access.insurance_overview(request.auth)
    return {
        "powers": [_power(poa) for poa in overview.powers],
        "requests": [
            {
                "insurer": each.insurer.name,
                "case_number": each.case_number,
                "requested_at": each.requested_at,
                "outcome": each.outcome,
                "outcome_label": str(each.get_outcome_display()),
                "released": len(each.released or []),
            }
            for each in overview.requests
        ],
    }


@router.post(
    "/records/powers-of-attorney/{poa_id}/revoke",
    response=PowerOfAttorneyOut,
    auth=resident_auth,
    summary="Revoke a power of attorney for the future",
)
def revoke_power_of_attorney(request: ApiRequest, poa_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    poa = access.access_power_of_attorney(request.auth, poa_id)
    revoked = actions.do_revoke_power_of_attorney(request.auth, poa)
    return _power(PowerOfAttorney.objects.select_related("insurer", "unit").get(pk=revoked.pk))


# --- insurers through the integration API (REC-9) ---------------------------------------------

insurer_requests_auth = IntegrationTokenAuth(IntegrationScope.INSURER_REQUESTS)


class InsurerRequestIn(Schema):
    case_number: str = Field(max_length=20, description="The case's number, as the resident gave it")
    personal_number: str = Field(max_length=13, description="The resident's personnummer (10 or 12 digits)")
    reference: str = Field(
        min_length=1, max_length=64, description="The insurer's own id of the request: the same again is a repeat"
    )


class ReleasedSummaryOut(Schema):
    signed_at: dt.datetime
    summary: str
    diagnoses: list[DiagnosisOut]


class InsurerRequestReceivedOut(Schema):
    reference: str
    case_number: str
    outcome: Literal["released"]
    requested_at: dt.datetime
    summaries: list[ReleasedSummaryOut]


@router.post(
    "/integrations/insurer-requests",
    response={200: InsurerRequestReceivedOut, 201: InsurerRequestReceivedOut},
    auth=insurer_requests_auth,
    summary="Request a case's summary under the resident's power of attorney (an insurer)",
    description="201 with the summaries when released; the same reference again is 200 and changes nothing. "
    "Without a power of attorney in force for the insurer and the case the request is stored and refused (403).",
)
def post_insurer_request(request: ApiRequest, payload: InsurerRequestIn) -> Status[dict[str, Any]]:
    received = actions.do_receive_insurer_request(
        request.auth,
        case_number=payload.case_number,
        personal_number=payload.personal_number,
        reference=payload.reference,
    )
    stored = received.request
    poa = stored.power_of_attorney
    if stored.outcome != InsurerRequestOutcome.RELEASED or poa is None or poa.revoked_at is not None:
        raise RecordError.POWER_OF_ATTORNEY_REQUIRED.error()
    body = {
        "reference": stored.reference,
        "case_number": stored.case_number,
        "outcome": "released",
        "requested_at": stored.requested_at,
        "summaries": [
            {"signed_at": note.signed_at, "summary": note.body, "diagnoses": _diagnoses(note.diagnosis_codes)}
            for note in access.released_summaries(stored)
        ],
    }
    return Status(201 if received.created else 200, body)


# --- the provider administrator's records settings (issue 11, item 13) ----------------------------


class SettingsSharingPeriodOut(Schema):
    id: int
    starts_on: dt.date
    ends_on: dt.date | None
    mode: str
    mode_label: str
    principal_name: str


class SettingsSharingPeriodIn(Schema):
    starts_on: dt.date
    ends_on: dt.date | None = None
    mode: Literal["shared", "not_shared", "principal"]  # SharingMode
    principal_name: str = Field("", max_length=200)


class SettingsSharingPeriodEndIn(Schema):
    ends_on: dt.date


class SettingsStaffNumberOut(Schema):
    staff_id: int
    name: str
    personal_number: str  # masked: the birth date only, or "" when none is stored


class SettingsStaffNumberIn(Schema):
    personal_number: str = Field(..., max_length=20)


def _period(period: NationalSharingPeriod) -> dict[str, Any]:
    return {
        "id": period.pk,
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "mode": period.mode,
        "mode_label": str(period.get_mode_display()),
        "principal_name": period.principal_name,
    }


def _administered_provider(request: ApiRequest) -> CareProvider:
    return org_access.access_administered_provider(request.auth)


@router.get(
    "/staff/settings/sharing-periods",
    response=list[SettingsSharingPeriodOut],
    auth=staff_auth,
    summary="The provider's national-sharing periods (REC-3), latest first",
)
def settings_sharing_periods(request: ApiRequest) -> list[dict[str, Any]]:
    return [_period(period) for period in access.provider_sharing_periods(_administered_provider(request).pk)]


@router.post(
    "/staff/settings/sharing-periods",
    response={201: SettingsSharingPeriodOut},
    auth=staff_auth,
    summary="Add a national-sharing period (REC-3); periods never overlap",
)
def settings_add_sharing_period(request: ApiRequest, payload: SettingsSharingPeriodIn) -> Status[dict[str, Any]]:
    period = actions.do_set_sharing_period(
        request.auth,
        provider=_administered_provider(request),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        mode=payload.mode,
        principal_name=payload.principal_name,
    )
    return Status(201, _period(period))


@router.post(
    "/staff/settings/sharing-periods/{period_id}/end",
    response=SettingsSharingPeriodOut,
    auth=staff_auth,
    summary="End a national-sharing period on its last day",
)
def settings_end_sharing_period(
    request: ApiRequest, payload: SettingsSharingPeriodEndIn, period_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    period = access.access_sharing_period(_administered_provider(request).pk, period_id)
    return _period(actions.do_end_sharing_period(request.auth, period, ends_on=payload.ends_on))


@router.get(
    "/staff/settings/staff-personal-numbers",
    response=list[SettingsStaffNumberOut],
    auth=staff_auth,
    summary="The provider's staff with their personal numbers, masked (log review flags)",
)
def settings_staff_numbers(request: ApiRequest) -> list[dict[str, Any]]:
    members = list(org_access.provider_staff_list(_administered_provider(request).pk))
    numbers = access.staff_personal_numbers([member.pk for member in members])
    return [
        {"staff_id": m.pk, "name": f"{m.given_name} {m.surname}", "personal_number": numbers.get(m.pk, "")}
        for m in members
    ]


@router.put(
    "/staff/settings/staff/{staff_id}/personal-number",
    response=SettingsStaffNumberOut,
    auth=staff_auth,
    summary="Set a staff member's personal number (normally filled from the staff login's claim)",
)
def settings_set_staff_number(
    request: ApiRequest, payload: SettingsStaffNumberIn, staff_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    member = org_access.provider_staff(_administered_provider(request).pk, staff_id)
    if member is None:
        raise NotFound()
    link = actions.do_link_staff_person(request.auth, staff=member, personal_number=payload.personal_number)
    return {
        "staff_id": member.pk,
        "name": f"{member.given_name} {member.surname}",
        "personal_number": access.masked_personal_number(link.person.personal_number),
    }
