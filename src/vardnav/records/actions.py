"""Signing record notes: the only code that writes the record.

A note is signed as it is saved, by its author, with the author's profession
at that moment. Nothing signed changes (REC-1, PDL 3 kap.): a correction is an
amendment, a new note pointing at the old one, and both stay readable.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.cases.actions import do_close_case
from vardnav.cases.hooks import CaseLink
from vardnav.cases.models import Case, Outcome
from vardnav.catalog.access import current_questionnaire, register_offer_fact
from vardnav.catalog.actions import do_publish_questionnaire, do_save_questionnaire
from vardnav.catalog.models import Service
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.compiled import CompiledQuery
from vardnav.core.errors import CoreError, DomainError, NotFound
from vardnav.organizations.access import acting_staff, require_provider_admin
from vardnav.organizations.checks import check_required_text
from vardnav.organizations.models import CareProvider, Profession, Staff, Unit
from vardnav.people.actions import do_sync_person_from_register
from vardnav.people.models import Person
from vardnav.records import age_rules, log_review, national
from vardnav.records.access import has_care_relation, insurers_for, record_refusal, restriction_units
from vardnav.records.checks import check_restriction
from vardnav.records.diagnoses import check_diagnosis_codes
from vardnav.records.errors import RecordError
from vardnav.records.insurance import (
    INSURER_ITEM,
    INSURER_REQUESTS_SCOPE,
    POWER_OF_ATTORNEY_ITEM,
    insurance_items,
)
from vardnav.records.models import (
    Block,
    ConsentBasis,
    ContactCategory,
    ContactClassification,
    EarlyAccessApplication,
    EarlyAccessStatus,
    ExportStatus,
    InsuranceService,
    Insurer,
    InsurerRequest,
    InsurerRequestOutcome,
    InsurerToken,
    LogReview,
    LogReviewItem,
    NationalExport,
    NationalSharingPeriod,
    NoteKind,
    PowerOfAttorney,
    RecordNote,
    ReviewOutcome,
    Seal,
    SharedRecordConsent,
    SharingMode,
    StaffPerson,
)
from vardnav.records.national import national_store

if TYPE_CHECKING:
    from vardnav.integrations.models import IntegrationToken

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


# --- national sharing (REC-3) -----------------------------------------------------------------


def do_classify_contact(actor: Actor, case: Case, *, category: Any) -> ContactClassification:
    """Staff with a care relation say what kind of contact the case is (what the national summary may hold)."""
    if not has_care_relation(actor, case):
        raise NotFound(RecordError.NO_CARE_RELATION)
    staff = acting_staff(actor)
    if staff is None:
        raise NotFound(RecordError.NO_CARE_RELATION)
    if category not in ContactCategory.values:
        raise RecordError.INVALID_CONTACT_CATEGORY.error(field="category")
    with transaction.atomic():
        classification, _created = ContactClassification.objects.update_or_create(
            case_number=case.number,
            defaults={
                "provider_id": case.provider_id,
                "category": category,
                "classified_by": staff,
                "classified_at": clock.now(),
            },
        )
        # A summary already decided is decided again on the next export run.
        NationalExport.objects.filter(note__case_number=case.number).update(recheck=True)
        do_record(
            actor,
            AuditEvent.CONTACT_CLASSIFY,
            classification,
            subject_person_id=case.subject_id,
            unit_id=case.unit_id,
            extra={"case_id": case.pk, "category": str(category)},
        )
    return classification


def contact_category(case: Case) -> str:
    found = ContactClassification.objects.filter(case_number=case.number).values_list("category", flat=True).first()
    return found or ContactCategory.CARE


def do_set_sharing_period(
    actor: Actor,
    *,
    provider: CareProvider,
    starts_on: dt.date,
    ends_on: dt.date | None,
    mode: Any,
    principal_name: str = "",
    period: NationalSharingPeriod | None = None,
) -> NationalSharingPeriod:
    """A provider administrator sets a period of the provider's sharing policy (REC-3); no overlaps.

    Every summary of the provider is decided again on the next export run, so a
    changed policy takes effect both ways (published or withdrawn).
    """
    require_provider_admin(actor, provider.pk)
    if mode not in SharingMode.values:
        raise RecordError.INVALID_SHARING_MODE.error(field="mode")
    if ends_on is not None and ends_on < starts_on:
        raise RecordError.SHARING_PERIOD_ENDS_BEFORE_START.error(field="ends_on")
    with transaction.atomic():
        others = NationalSharingPeriod.objects.select_for_update().filter(provider=provider)
        if period is not None:
            others = others.exclude(pk=period.pk)
        for other in others:
            if other.starts_on <= (ends_on or dt.date.max) and starts_on <= (other.ends_on or dt.date.max):
                raise RecordError.SHARING_PERIOD_OVERLAPS.error(field="starts_on", other=other.starts_on.isoformat())
        period = period or NationalSharingPeriod(provider=provider)
        period.starts_on, period.ends_on, period.mode = starts_on, ends_on, mode
        period.principal_name = str(principal_name or "")[:200]
        period.save()
        NationalExport.objects.filter(note__provider=provider).update(recheck=True)
        do_record(
            actor,
            AuditEvent.NATIONAL_SHARING_PERIOD_SET,
            period,
            extra={
                "provider_id": provider.pk,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat() if ends_on else None,
                "mode": str(mode),
            },
        )
    return period


def do_end_sharing_period(actor: Actor, period: NationalSharingPeriod, *, ends_on: dt.date) -> NationalSharingPeriod:
    """End a sharing period on its last day (REC-3): contacts after it follow the next period, or are not shared."""
    return do_set_sharing_period(
        actor,
        provider=period.provider,
        starts_on=period.starts_on,
        ends_on=ends_on,
        mode=period.mode,
        principal_name=period.principal_name,
        period=period,
    )


EXPORT_BATCH = 500


@dataclass
class ExportResult:
    published: int = 0
    withheld: int = 0
    withdrawn: int = 0

    @property
    def total(self) -> int:
        return self.published + self.withheld + self.withdrawn


def do_export_national_summary(*, limit: int = EXPORT_BATCH) -> ExportResult:
    """Send what the national summary may hold (REC-3) and take back what it may no longer hold.

    Looks at summary notes not yet decided (or marked for a new decision by a
    classification, a policy change, a seal or its lifting) and at published
    notes whose resident has since got a protected identity (PRIV-5). Each note
    is decided and its bookkeeping written in one transaction; the store's calls
    are idempotent by document id, so a run cut short and run again sends
    nothing twice. Returns what this batch did (call again until it is short).
    """
    result = ExportResult()
    store = national_store()
    system = Actor.system()
    notes = list(
        RecordNote.objects.filter(kind=NoteKind.SUMMARY)
        .filter(
            Q(national_export__isnull=True)
            | Q(national_export__recheck=True)
            | Q(national_export__status=ExportStatus.PUBLISHED, subject__protected_identity=True)
        )
        .select_related("subject", "unit", "provider", "case", "national_export")
        .order_by("id")[:limit]
    )
    periods: dict[int, list[NationalSharingPeriod]] = {}
    for period in NationalSharingPeriod.objects.filter(provider_id__in={note.provider_id for note in notes}):
        periods.setdefault(period.provider_id, []).append(period)
    seals: dict[int, list[Seal]] = {}
    for seal in Seal.objects.filter(person_id__in={note.subject_id for note in notes}, lifted_at__isnull=True):
        seals.setdefault(seal.person_id, []).append(seal)
    categories = dict(
        ContactClassification.objects.filter(case_number__in=[note.case_number for note in notes]).values_list(
            "case_number", "category"
        )
    )
    for note in notes:
        reason = national.decide(
            note,
            category=categories.get(note.case_number, ContactCategory.CARE),
            periods=periods.get(note.provider_id, []),
            sealed=any(
                seal.covers(note.unit_id, national.contact_date(note)) for seal in seals.get(note.subject_id, [])
            ),
        )
        previous = getattr(note, "national_export", None)
        was_published = previous is not None and previous.status == ExportStatus.PUBLISHED
        doc_id = national.document_id(note)
        with transaction.atomic():
            if reason is None:
                status = ExportStatus.PUBLISHED
                if not was_published:  # one already there stays as it is: a signed note never changes
                    store.publish(national.build_document(note))
                    result.published += 1
                    _record_export(system, AuditEvent.NATIONAL_SUMMARY_PUBLISH, note)
            else:
                store.withdraw(doc_id)
                if was_published:
                    status = ExportStatus.WITHDRAWN
                    result.withdrawn += 1
                    _record_export(system, AuditEvent.NATIONAL_SUMMARY_WITHDRAW, note, reason=str(reason))
                else:
                    status = ExportStatus.WITHHELD
                    result.withheld += 1
            NationalExport.objects.update_or_create(
                note=note,
                defaults={
                    "status": status,
                    "reason": "" if reason is None else str(reason),
                    "document_id": doc_id,
                    "recheck": False,
                    "updated_at": clock.now(),
                },
            )
    return result


def _record_export(actor: Actor, event: AuditEvent, note: RecordNote, *, reason: str = "") -> None:
    do_record(
        actor,
        event,
        note,
        subject_person_id=note.subject_id,
        unit_id=note.unit_id,
        extra={"reason": reason} if reason else None,
    )


# --- block and seal (REC-5, REC-6) ------------------------------------------------------------


def restricting_person(actor: Actor) -> Person:
    """Only the resident themselves: a guardian cannot block or seal a child's journal (REC-5).

    The refusal is logged; call this before any transaction that would roll the entry back.
    """
    if not actor.is_resident or actor.person_id is None:
        raise NotFound()
    if actor.acting_for_id is not None:
        record_refusal(actor, actor.acting_for_id, RecordError.GUARDIAN_CANNOT_RESTRICT)
        raise RecordError.GUARDIAN_CANNOT_RESTRICT.error()
    return Person.objects.get(pk=actor.person_id)


def _restrict(actor: Actor, model: type[Block] | type[Seal], event: AuditEvent, **asked: Any) -> Block | Seal:
    person = restricting_person(actor)
    checked = check_restriction(**asked, allowed_unit_ids={unit.pk for unit in restriction_units(person)})
    with transaction.atomic():
        restriction = model.objects.create(
            person=person,
            scope=checked.scope,
            unit_id=checked.unit_id,
            starts_on=checked.starts_on,
            ends_on=checked.ends_on,
            created_at=clock.now(),
        )
        do_record(
            actor,
            event,
            restriction,
            subject_person_id=person.pk,
            unit_id=checked.unit_id,
            extra={
                "scope": checked.scope,
                "starts_on": checked.starts_on.isoformat() if checked.starts_on else None,
                "ends_on": checked.ends_on.isoformat() if checked.ends_on else None,
            },
        )
    return restriction


def do_block(actor: Actor, *, scope: Any, unit_id: Any = None, starts_on: Any = None, ends_on: Any = None) -> Block:
    """REC-5: the resident blocks all or part of their journal from other care providers."""
    block = _restrict(
        actor, Block, AuditEvent.BLOCK_CREATE, scope=scope, unit_id=unit_id, starts_on=starts_on, ends_on=ends_on
    )
    assert isinstance(block, Block)
    return block


def do_seal(actor: Actor, *, scope: Any, unit_id: Any = None, starts_on: Any = None, ends_on: Any = None) -> Seal:
    """REC-6: the resident seals all or part of their journal in the national view (hidden from them too).

    What the seal covers is left out of the national view at once and taken out
    of the national summary by the next export run.
    """
    seal = _restrict(
        actor, Seal, AuditEvent.SEAL_CREATE, scope=scope, unit_id=unit_id, starts_on=starts_on, ends_on=ends_on
    )
    assert isinstance(seal, Seal)
    _recheck_person(seal.person_id)
    return seal


def _lift(actor: Actor, model: type[Block] | type[Seal], event: AuditEvent, restriction_id: int) -> Block | Seal:
    person = restricting_person(actor)
    with transaction.atomic():
        restriction = model.objects.select_for_update().filter(pk=restriction_id, person=person).first()
        if restriction is None:
            raise NotFound(RecordError.RESTRICTION_NOT_FOUND)
        if restriction.lifted_at is None:  # lifting twice is lifting once
            restriction.lifted_at = clock.now()
            restriction.save(update_fields=["lifted_at"])
            do_record(actor, event, restriction, subject_person_id=person.pk, unit_id=restriction.unit_id)
    return restriction


def do_lift_block(actor: Actor, block_id: int) -> Block:
    block = _lift(actor, Block, AuditEvent.BLOCK_LIFT, block_id)
    assert isinstance(block, Block)
    return block


def do_lift_seal(actor: Actor, seal_id: int) -> Seal:
    seal = _lift(actor, Seal, AuditEvent.SEAL_LIFT, seal_id)
    assert isinstance(seal, Seal)
    _recheck_person(seal.person_id)
    return seal


def _recheck_person(person_id: int) -> None:
    """The person's summaries are decided again on the next export run.

    Until then the national view already leaves out what a seal covers
    (records.access.national_documents), so a seal takes effect at once.
    """
    NationalExport.objects.filter(note__subject_id=person_id).update(recheck=True)


# --- consent to read shared data (REC-4) ------------------------------------------------------

CONSENT_REASON_MAX_LENGTH = 1000


def do_record_consent(actor: Actor, case: Case, *, basis: Any, reason: Any = "") -> SharedRecordConsent:
    """Staff with a care relation record the resident's consent, or the emergency exception with its reason."""
    if not has_care_relation(actor, case):
        raise NotFound(RecordError.NO_CARE_RELATION)
    staff = acting_staff(actor)
    if staff is None:
        raise NotFound(RecordError.NO_CARE_RELATION)
    if basis not in ConsentBasis.values:
        raise RecordError.INVALID_CONSENT_BASIS.error(field="basis")
    text = str(reason or "").strip()
    if len(text) > CONSENT_REASON_MAX_LENGTH:
        raise RecordError.CONSENT_REASON_TOO_LONG.error(field="reason", limit=CONSENT_REASON_MAX_LENGTH)
    if basis == ConsentBasis.EMERGENCY and not text:
        raise RecordError.EMERGENCY_REASON_REQUIRED.error(field="reason")
    with transaction.atomic():
        consent = SharedRecordConsent.objects.create(
            subject_id=case.subject_id,
            case_number=case.number,
            unit_id=case.unit_id,
            provider_id=case.provider_id,
            basis=basis,
            reason=text,
            recorded_by=staff,
            recorded_at=clock.now(),
        )
        do_record(
            actor,
            AuditEvent.SHARED_RECORD_CONSENT,
            consent,
            subject_person_id=case.subject_id,
            unit_id=case.unit_id,
            extra={"case_id": case.pk, "basis": str(basis)},
        )
    return consent


# --- log review (HSLF-FS 2016:40 4 kap.) ------------------------------------------------------

REVIEW_COMMENT_MAX_LENGTH = 2000


def do_select_log_review(provider: CareProvider, day: dt.date) -> LogReview:
    """The day's selection for the provider's reviewer; selecting the same day again returns the first.

    Nothing in the log changes: the review points at audit entries.
    """
    existing = LogReview.objects.filter(provider=provider, day=day).first()
    if existing is not None:
        return existing
    selection = log_review.select(provider.pk, day)
    try:
        with transaction.atomic():
            review = LogReview.objects.create(
                provider=provider, day=day, selected_at=clock.now(), reads_that_day=selection.reads
            )
            LogReviewItem.objects.bulk_create(
                LogReviewItem(review=review, entry_id=entry_id, reasons=reasons)
                for entry_id, reasons in sorted(selection.flagged.items())
            )
            do_record(
                Actor.system(),
                AuditEvent.LOG_REVIEW_SELECT,
                review,
                extra={"provider_id": provider.pk, "day": day.isoformat(), "selected": len(selection.flagged)},
            )
    except IntegrityError:  # selected at the same moment by another worker
        return LogReview.objects.get(provider=provider, day=day)
    return review


def do_select_daily_log_reviews(day: dt.date | None = None) -> int:
    """Yesterday's (Swedish date) selection for every provider; returns how many providers were selected."""
    day = day or clock.today() - dt.timedelta(days=1)
    providers = CareProvider.objects.exclude(pk__in=LogReview.objects.filter(day=day).values("provider_id"))
    count = 0
    for provider in providers:
        do_select_log_review(provider, day)
        count += 1
    return count


def do_decide_log_item(actor: Actor, item: LogReviewItem, *, outcome: Any, comment: Any = "") -> LogReviewItem:
    """The reviewer documents the outcome of one selected read; once decided, it stays (a new finding is a comment
    elsewhere: the documented review is itself part of the record of the check)."""
    staff = acting_staff(actor)
    if staff is None:
        raise NotFound(RecordError.LOG_REVIEW_NOT_FOUND)
    if outcome not in ReviewOutcome.values:
        raise RecordError.INVALID_REVIEW_OUTCOME.error(field="outcome")
    text = str(comment or "").strip()
    if len(text) > REVIEW_COMMENT_MAX_LENGTH:
        raise RecordError.REVIEW_COMMENT_TOO_LONG.error(field="comment", limit=REVIEW_COMMENT_MAX_LENGTH)
    if outcome != ReviewOutcome.JUSTIFIED and not text:
        raise RecordError.REVIEW_COMMENT_REQUIRED.error(field="comment")
    with transaction.atomic():
        locked = LogReviewItem.objects.select_for_update().get(pk=item.pk)
        if locked.outcome:
            raise RecordError.REVIEW_ALREADY_DECIDED.error(field="outcome")
        locked.outcome, locked.comment = str(outcome), text
        locked.decided_by, locked.decided_at = staff, clock.now()
        locked.save(update_fields=["outcome", "comment", "decided_by", "decided_at"])
        do_record(
            actor,
            AuditEvent.LOG_REVIEW_DECIDE,
            locked,
            extra={"review_id": locked.review_id, "entry_id": locked.entry_id, "outcome": str(outcome)},
        )
    return locked


def do_link_staff_person(actor: Actor, *, staff: Staff, personal_number: str) -> StaffPerson:
    """The provider admin records a staff member's personal number, for the log review's own-record, family and
    colleague flags."""
    require_provider_admin(actor, staff.provider_id)
    person = do_sync_person_from_register(personal_number)
    with transaction.atomic():
        link, _created = StaffPerson.objects.update_or_create(
            staff=staff, defaults={"person": person, "linked_at": clock.now()}
        )
        do_record(actor, AuditEvent.STAFF_PERSON_LINK, staff, extra={"staff_id": staff.pk})
    return link


# --- early access for children of 13–15 (REC-8) -----------------------------------------------

DECISION_REASON_MAX_LENGTH = 2000


def do_register_early_access(actor: Actor, case: Case) -> EarlyAccessApplication:
    """Staff with a care relation register the child's application on their case; the unit's head decides.

    Only for a child of 13, 14 or 15 (under 13 nobody may apply; from 16 the
    resident reads the journal anyway); one application waiting per child and unit.
    """
    if not has_care_relation(actor, case):
        raise NotFound(RecordError.NO_CARE_RELATION)
    staff = acting_staff(actor)
    if staff is None:
        raise NotFound(RecordError.NO_CARE_RELATION)
    child = case.subject
    if not age_rules.may_apply_for_early_access(child.age_on(clock.today())):
        raise RecordError.EARLY_ACCESS_AGE.error()
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=child.pk).first()  # one waiting application per child and unit
        if EarlyAccessApplication.objects.filter(
            person=child, unit_id=case.unit_id, status=EarlyAccessStatus.PENDING
        ).exists():
            raise RecordError.EARLY_ACCESS_PENDING.error()
        application = EarlyAccessApplication.objects.create(
            person=child,
            unit_id=case.unit_id,
            case_number=case.number,
            registered_by=staff,
            registered_at=clock.now(),
        )
        do_record(
            actor,
            AuditEvent.EARLY_ACCESS_APPLY,
            application,
            subject_person_id=child.pk,
            unit_id=case.unit_id,
        )
    return application


def _checked_reason(reason: Any, required: RecordError) -> str:
    text = str(reason or "").replace("\r\n", "\n").strip()
    if not text:
        raise required.error(field="reason")
    if len(text) > DECISION_REASON_MAX_LENGTH:
        raise RecordError.DECISION_REASON_TOO_LONG.error(field="reason", limit=DECISION_REASON_MAX_LENGTH)
    return text


def check_early_access_decision(decision: Any, reason: Any) -> tuple[str, str]:
    if decision not in (EarlyAccessStatus.GRANTED, EarlyAccessStatus.REFUSED):
        raise RecordError.INVALID_EARLY_ACCESS_DECISION.error(field="decision")
    return str(decision), _checked_reason(reason, RecordError.DECISION_REASON_REQUIRED)


def _unit_head(actor: Actor, application: EarlyAccessApplication) -> Staff:
    """The head of the application's unit (verksamhetschef) acting; anyone else gets the 404."""
    from vardnav.records.access import is_unit_head_of

    staff = acting_staff(actor)
    if staff is None or not is_unit_head_of(actor, application.unit_id):
        raise NotFound(RecordError.EARLY_ACCESS_NOT_FOUND)
    return staff


def _change_application(
    actor: Actor,
    application: EarlyAccessApplication,
    *,
    expected: str,
    refusal: RecordError,
    changes: dict[str, Any],
    event: AuditEvent,
    extra: dict[str, Any] | None = None,
) -> EarlyAccessApplication:
    """One change of an application's status by its head of unit: locked, checked, saved and logged."""
    with transaction.atomic():
        locked = EarlyAccessApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status != expected:
            raise refusal.error()
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(changes))
        do_record(actor, event, locked, subject_person_id=locked.person_id, unit_id=locked.unit_id, extra=extra)
    return locked


def do_decide_early_access(
    actor: Actor, application: EarlyAccessApplication, *, decision: Any, reason: Any
) -> EarlyAccessApplication:
    """The head of the unit (verksamhetschef) grants or refuses, with the reason recorded; a decision is final."""
    staff = _unit_head(actor, application)
    status, text = check_early_access_decision(decision, reason)
    return _change_application(
        actor,
        application,
        expected=EarlyAccessStatus.PENDING,
        refusal=RecordError.EARLY_ACCESS_DECIDED,
        changes={"status": status, "reason": text, "decided_by": staff, "decided_at": clock.now()},
        event=AuditEvent.EARLY_ACCESS_DECIDE,
        extra={"decision": status},
    )


def do_withdraw_early_access(
    actor: Actor, application: EarlyAccessApplication, *, reason: Any
) -> EarlyAccessApplication:
    """The head of the unit withdraws a granted early access, with a recorded reason (REC-8).

    The decision stays as history; the child can no longer log in, and a
    journal-only session still open ends at its next request (identity's
    middleware asks records.access.journal_only_session_allowed).
    """
    staff = _unit_head(actor, application)
    text = _checked_reason(reason, RecordError.WITHDRAWAL_REASON_REQUIRED)
    return _change_application(
        actor,
        application,
        expected=EarlyAccessStatus.GRANTED,
        refusal=RecordError.EARLY_ACCESS_NOT_GRANTED,
        changes={
            "status": EarlyAccessStatus.WITHDRAWN,
            "withdrawal_reason": text,
            "withdrawn_by": staff,
            "withdrawn_at": clock.now(),
        },
        event=AuditEvent.EARLY_ACCESS_WITHDRAW,
    )


# --- private health insurance: the power of attorney (REC-9) ----------------------------------


# Asked on every submission (the extension runs for every case): compiled once per process (issue 13),
# and read with the submission's offer where it has one (catalog.access.register_offer_fact).
_IS_INSURANCE_SERVICE = CompiledQuery(
    lambda v: InsuranceService.objects.filter(service_id=v["service_id"]).values("pk")[:1], service_id=int
)
INSURANCE_SERVICE_FACT = "records_insurance_service"


def register_insurance_fact() -> None:
    register_offer_fact(
        INSURANCE_SERVICE_FACT, lambda: Exists(InsuranceService.objects.filter(service_id=OuterRef("service_id")))
    )


def _is_insurance_service(case: Case) -> bool:
    known = case.offer_facts.get(INSURANCE_SERVICE_FACT)
    if known is not None:
        return bool(known)
    return bool(_IS_INSURANCE_SERVICE.rows(service_id=case.service_id))


class InsuranceCaseExtension:
    """Records the power of attorney the resident approved in an insurance service's form (REC-9).

    Runs in the submission's transaction: the case and the power of attorney are stored together or not at all.
    """

    def submission_notes(self, actor: Actor, subject: Person, unit: Unit, service: Service) -> list[str]:
        return []

    def on_submitted(self, actor: Actor, case: Case) -> None:
        if not _is_insurance_service(case):
            return
        answers = case.answers or {}
        insurer = Insurer.objects.filter(code=str(answers.get(INSURER_ITEM) or ""), active=True).first()
        if insurer is None or answers.get(POWER_OF_ATTORNEY_ITEM) is not True:
            return  # no power of attorney: the insurer's requests will be refused
        poa = PowerOfAttorney.objects.create(
            person_id=case.subject_id,
            insurer=insurer,
            case_number=case.number,
            provider_id=case.provider_id,
            unit_id=case.unit_id,
            approved_at=clock.now(),
        )
        do_record(
            actor,
            AuditEvent.POWER_OF_ATTORNEY_APPROVE,
            poa,
            subject_person_id=case.subject_id,
            unit_id=case.unit_id,
            extra={"insurer_id": insurer.pk},
        )

    def on_closed(self, actor: Actor, case: Case) -> None:
        return None

    def resident_case_notes(self, case: Case) -> list[str]:
        return []

    def staff_case_links(self, actor: Actor, case: Case) -> list[CaseLink]:
        return []


def do_revoke_power_of_attorney(actor: Actor, poa: PowerOfAttorney) -> PowerOfAttorney:
    """The resident revokes the power of attorney for the future; what was released before stays logged."""
    if not actor.is_resident or actor.acting_for_id is not None or poa.person_id != actor.person_id:
        raise NotFound(RecordError.POWER_OF_ATTORNEY_NOT_FOUND)
    with transaction.atomic():
        locked = PowerOfAttorney.objects.select_for_update().get(pk=poa.pk)
        if locked.revoked_at is not None:
            raise RecordError.POWER_OF_ATTORNEY_REVOKED.error()
        locked.revoked_at = clock.now()
        locked.save(update_fields=["revoked_at"])
        do_record(actor, AuditEvent.POWER_OF_ATTORNEY_REVOKE, locked, subject_person_id=locked.person_id)
    return locked


def _release_to_insurer(
    actor: Actor,
    case: Case,
    insurer: Insurer,
    *,
    staff: Staff | None = None,
    token_id: int | None = None,
    reference: str = "",
) -> InsurerRequest:
    """Store and log one insurer request on the case, releasing only under a power of attorney in force (REC-9).

    Runs in the caller's transaction. What goes is the case's signed summaries
    with their diagnosis codes; a refusal is stored and logged the same way.
    """
    poa = (
        PowerOfAttorney.objects.select_for_update()
        .filter(case_number=case.number, insurer=insurer, person_id=case.subject_id, revoked_at__isnull=True)
        .first()
    )
    released: list[dict[str, Any]] = []
    if poa is not None:
        for note in RecordNote.objects.filter(case=case, kind=NoteKind.SUMMARY).order_by("signed_at", "id"):
            released.append(
                {
                    "note_id": note.pk,
                    "signed_at": note.signed_at.isoformat(),
                    "diagnosis_codes": list(note.diagnosis_codes or []),
                }
            )
    request = InsurerRequest.objects.create(
        insurer=insurer,
        person_id=case.subject_id,
        case_number=case.number,
        power_of_attorney=poa,
        provider_id=case.provider_id,
        registered_by=staff,
        token_id=token_id,
        reference=reference,
        requested_at=clock.now(),
        outcome=InsurerRequestOutcome.RELEASED if poa is not None else InsurerRequestOutcome.REFUSED,
        refusal_code="" if poa is not None else str(RecordError.POWER_OF_ATTORNEY_REQUIRED),
        released=released,
    )
    do_record(
        actor,
        AuditEvent.INSURER_REQUEST,
        request,
        subject_person_id=case.subject_id,
        unit_id=case.unit_id,
        purpose="försäkringsbolagets begäran",
        extra={"insurer_id": insurer.pk, "outcome": request.outcome, "released": len(released)},
    )
    return request


def do_register_insurer_request(actor: Actor, case: Case, *, insurer_id: Any) -> InsurerRequest:
    """The unit registers an insurer's request for medical data about the case and releases what it may.

    Released only under the resident's power of attorney for that insurer and
    case, not revoked (REC-9); what goes is the case's signed summaries with
    their diagnosis codes. A refused request is stored and logged too, so the
    resident sees every request.
    """
    if not has_care_relation(actor, case):
        raise NotFound(RecordError.NO_CARE_RELATION)
    staff = acting_staff(actor)
    if staff is None:
        raise NotFound(RecordError.NO_CARE_RELATION)
    insurer = (
        insurers_for(case.provider_id).filter(pk=int(insurer_id), active=True).first()
        if str(insurer_id or "").isdigit()
        else None
    )
    if insurer is None:
        raise RecordError.UNKNOWN_INSURER.error(field="insurer")
    with transaction.atomic():
        return _release_to_insurer(actor, case, insurer, staff=staff)


@dataclass(frozen=True)
class ReceivedInsurerRequest:
    request: InsurerRequest
    created: bool


def do_receive_insurer_request(
    actor: Actor, *, case_number: Any, personal_number: Any, reference: Any
) -> ReceivedInsurerRequest:
    """An insurer posts a request for a case's summary through the integration API (REC-9).

    The token speaks for the insurer its provider tied it to (InsurerToken);
    the case is the token provider's, named by its number and the resident's
    personal number (anything else is the same 404). Released only under a
    power of attorney in force for that insurer and case; a refusal is stored
    and logged. The insurer's reference makes it idempotent: the same reference
    for the same case returns the stored request and changes nothing.
    """
    from vardnav.records.access import access_case_for_insurer, insurer_of_token

    insurer = insurer_of_token(actor)
    reference = str(reference or "").strip()[:64]
    earlier = InsurerRequest.objects.filter(provider_id=actor.provider_id, insurer=insurer, reference=reference).first()
    if earlier is not None:
        if earlier.case_number != str(case_number or "").strip().upper():
            raise RecordError.INSURER_REFERENCE_REUSED.error(field="reference")
        return ReceivedInsurerRequest(earlier, created=False)
    case = access_case_for_insurer(actor, case_number, personal_number)
    try:
        with transaction.atomic():
            return ReceivedInsurerRequest(
                _release_to_insurer(actor, case, insurer, token_id=actor.token_id, reference=reference), created=True
            )
    except IntegrityError:  # the same reference posted twice at once: the first one stands
        earlier = InsurerRequest.objects.get(provider_id=actor.provider_id, insurer=insurer, reference=reference)
        return ReceivedInsurerRequest(earlier, created=False)


# An insurance e-service asks which insurer: a choice among at least two (catalog.questionnaires).
MIN_INSURERS = 2


def _publish_insurance_items(actor: Actor, service: Service, *, with_items: bool) -> None:
    """A new published version of the service's questionnaire, with the insurance items (or without)."""
    current = current_questionnaire(service)
    kept = [
        item
        for item in (current.items if current is not None else [])
        if item.get("linkId") not in (INSURER_ITEM, POWER_OF_ATTORNEY_ITEM)
    ]
    insurers = [(i.code, i.name) for i in insurers_for(service.provider_id).filter(active=True).order_by("name")]
    if with_items and len(insurers) < MIN_INSURERS:
        # The insurer item is a choice, and a choice needs two answers: say so, not "the form is invalid".
        raise RecordError.TOO_FEW_INSURERS.error()
    draft = do_save_questionnaire(
        actor,
        service,
        title=current.title if current is not None else service.name,
        items=kept + (insurance_items(insurers) if with_items else []),
    )
    do_publish_questionnaire(actor, draft)


def do_mark_insurance_service(actor: Actor, service: Service) -> InsuranceService:
    """The provider admin ties an e-service to private health insurance (REC-9).

    Its questionnaire gets the two insurance items (the insurer, from the list,
    and the power of attorney) as a new published version; earlier answers keep
    the version they answered.
    """
    require_provider_admin(actor, service.provider_id)
    with transaction.atomic():
        _publish_insurance_items(actor, service, with_items=True)
        marked, created = InsuranceService.objects.get_or_create(service=service)
        if created:
            do_record(actor, AuditEvent.INSURANCE_SERVICE_MARK, service)
    return marked


def do_unmark_insurance_service(actor: Actor, service: Service) -> None:
    """The provider admin unties the e-service: the insurance items leave its form (a new version).

    Powers of attorney already approved stay in force until the resident revokes them.
    """
    require_provider_admin(actor, service.provider_id)
    with transaction.atomic():
        marked = InsuranceService.objects.select_for_update().filter(service=service).first()
        if marked is None:
            raise RecordError.NOT_INSURANCE_SERVICE.error()
        _publish_insurance_items(actor, service, with_items=False)
        marked.delete()
        do_record(actor, AuditEvent.INSURANCE_SERVICE_UNMARK, service)


def _refresh_insurance_forms(actor: Actor, provider_id: int) -> None:
    """After the provider's list changed: its insurance e-services' forms offer the list as it is now."""
    for marked in InsuranceService.objects.filter(service__provider_id=provider_id).select_related("service"):
        _publish_insurance_items(actor, marked.service, with_items=True)


INSURER_NAME_MAX_LENGTH = 200


def _insurer_name(name: Any) -> str:
    return check_required_text(
        str(name or ""), field="name", label=cast(str, _("Namnet")), max_length=INSURER_NAME_MAX_LENGTH
    )


def do_add_provider_insurer(actor: Actor, provider: CareProvider, *, name: Any) -> Insurer:
    """The provider admin adds an insurer to the provider's own list (the shared list is the platform's)."""
    require_provider_admin(actor, provider.pk)
    text = _insurer_name(name)
    with transaction.atomic():
        insurer = Insurer.objects.create(name=text, code=f"p{provider.pk}-{secrets.token_hex(6)}", provider=provider)
        do_record(actor, AuditEvent.INSURER_ADD, insurer)
        _refresh_insurance_forms(actor, provider.pk)
    return insurer


def do_change_provider_insurer(actor: Actor, insurer: Insurer, *, name: Any, active: Any) -> Insurer:
    """Rename or (de)activate one of the provider's own insurers; its insurance forms follow.

    A deactivated insurer is no longer offered; powers of attorney already
    given for it stay as they are.
    """
    if insurer.provider_id is None:
        raise NotFound(RecordError.INSURER_NOT_FOUND)
    require_provider_admin(actor, insurer.provider_id)
    text = _insurer_name(name)
    with transaction.atomic():
        locked = Insurer.objects.select_for_update().get(pk=insurer.pk)
        before = {"name": locked.name, "active": locked.active}
        locked.name = text
        locked.active = bool(active)
        if before != {"name": locked.name, "active": locked.active}:
            locked.save(update_fields=["name", "active"])
            do_record(actor, AuditEvent.INSURER_CHANGE, locked, extra={"active": locked.active})
            _refresh_insurance_forms(actor, insurer.provider_id)
    return locked


def do_link_insurer_token(
    actor: Actor, provider: CareProvider, insurer: Insurer, *, token: IntegrationToken | None
) -> InsurerToken:
    """The provider admin ties one of its integration tokens (insurer-requests scope) to an insurer.

    The token comes from the page's list of the provider's tokens; checked again here.
    """
    if insurer.provider_id not in (None, provider.pk):
        raise NotFound(RecordError.INSURER_NOT_FOUND)
    require_provider_admin(actor, provider.pk)
    if (
        token is None
        or token.provider_id != provider.pk
        or token.revoked_at is not None
        or INSURER_REQUESTS_SCOPE not in (token.scopes or [])
    ):
        raise RecordError.INSURER_TOKEN_SCOPE.error(field="token")
    with transaction.atomic():
        link, _created = InsurerToken.objects.update_or_create(
            token=token,
            defaults={"insurer": insurer, "linked_by": acting_staff(actor), "linked_at": clock.now()},
        )
        do_record(actor, AuditEvent.INSURER_TOKEN_LINK, insurer, extra={"token_id": token.pk})
    return link


def do_link_staff_person_from_login(actor: Actor, staff: Staff, personal_number: str) -> StaffPerson | None:
    """The staff login's personal-number claim fills in the staff member's own personal number (log review flags).

    Runs inside the login's transaction. Unchanged: nothing written. Changed or
    new: stored and audited, like a provider admin's entry (do_link_staff_person).
    """
    try:
        person = do_sync_person_from_register(personal_number)
    except DomainError:  # not in the population register: the login goes on, the number stays unknown
        return None
    current = StaffPerson.objects.filter(staff=staff).first()
    if current is not None and current.person_id == person.pk:
        return current
    link, _created = StaffPerson.objects.update_or_create(
        staff=staff, defaults={"person": person, "linked_at": clock.now()}
    )
    do_record(actor, AuditEvent.STAFF_PERSON_LINK, staff, purpose="inloggning (SITHS)", extra={"staff_id": staff.pk})
    return link


def do_add_insurer(actor: Actor, *, code: str, name: str) -> Insurer:
    """The platform adds an insurer to the list residents choose from (REC-9); an existing code is kept."""
    if not actor.is_platform:
        raise NotFound()
    with transaction.atomic():
        insurer, created = Insurer.objects.get_or_create(code=code, defaults={"name": name})
        if created:
            do_record(actor, AuditEvent.INSURER_ADD, insurer)
    return insurer
