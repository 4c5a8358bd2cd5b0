"""National sharing (REC-3): what goes to the national summary, and the outbound interface it goes through.

The national summary (sammanhållen journalföring, read by other providers and
by residents in 1177 Journalen) may hold, for each contact: the contact (which
provider and unit), its date, the summarizing note and any diagnosis. Nothing
else: no conversations, answers, images, referrals, test results, internal
notes, vaccination advice, visits at a vaccination clinic, or contacts paid by
a private health insurance or occupational health service. `ItemKind` lists
every kind of item a journal here can hold and `SHARED_KINDS` the four that go;
a document (`SummaryDocument`) has one field per shared kind and no other.

Which contacts go is decided per summary note (`decide`):
- only from the date the provider's policy says sharing began
  (`NationalSharingPeriod`: shared, not shared, or shared by a principal when
  the provider was a subcontractor; a contact outside every period stays home);
- never a protected-identity resident's journal (PRIV-5);
- never a sealed item (REC-6, records.restrictions).

The store is chosen by settings (`NATIONAL_SUMMARY_STORE`): a class with
`publish`, `withdraw` and `documents_for`. `LocalNationalSummaryStore` keeps the
received documents in a table of its own, as the national service would; a
production adapter speaks the national service's protocol with the same three
calls. `publish` and `withdraw` are idempotent by document id, which is what
makes a rerun of the export (records.actions.do_export_national_summary) safe.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from vardnav.core import clock
from vardnav.organizations.models import UnitKind
from vardnav.people.models import Person
from vardnav.records.diagnoses import code_titles
from vardnav.records.models import (
    ContactCategory,
    NationalSharingPeriod,
    NationalSummaryDocument,
    NoteKind,
    RecordNote,
    SharingMode,
)


class ItemKind(StrEnum):
    """Every kind of item a journal on this platform holds (or may hold), for REC-3's list."""

    CONTACT = "contact"  # that the resident had a contact with the provider, and where
    CONTACT_DATE = "contact_date"
    SUMMARY_NOTE = "summary_note"  # the summarizing record note (sammanfattande journalanteckning)
    DIAGNOSIS = "diagnosis"
    RECORD_NOTE = "record_note"  # the staff's other record notes
    CONVERSATION = "conversation"  # messages between the resident and the unit
    QUESTIONNAIRE_ANSWERS = "questionnaire_answers"
    IMAGE = "image"  # attachments: pictures and files
    REFERRAL = "referral"
    TEST_RESULT = "test_result"
    VACCINATION_ADVICE = "vaccination_advice"
    VACCINATION_CLINIC_VISIT = "vaccination_clinic_visit"
    PRIVATE_INSURANCE_CASE = "private_insurance_case"
    OCCUPATIONAL_HEALTH_CASE = "occupational_health_case"


# REC-3: exactly these go; a document has one field for each (SummaryDocument.fields_by_kind).
SHARED_KINDS = frozenset({ItemKind.CONTACT, ItemKind.CONTACT_DATE, ItemKind.SUMMARY_NOTE, ItemKind.DIAGNOSIS})


class Reason(StrEnum):
    """Why a summary note stays out of the national summary."""

    NOT_A_SUMMARY = "not_a_summary"
    PROTECTED_IDENTITY = "protected_identity"  # PRIV-5
    VACCINATION_CLINIC = "vaccination_clinic"
    VACCINATION_ADVICE = "vaccination_advice"
    PRIVATE_INSURANCE = "private_insurance"
    OCCUPATIONAL_HEALTH = "occupational_health"
    NOT_SHARED_PERIOD = "not_shared_period"
    PRINCIPAL_SHARES = "principal_shares"  # the principal's system holds and shares the record
    NO_POLICY = "no_policy"
    SEALED = "sealed"  # REC-6


REASON_LABELS = {
    Reason.NOT_A_SUMMARY: _("bara sammanfattningar delas"),
    Reason.PROTECTED_IDENTITY: _("invånaren har skyddade personuppgifter"),
    Reason.VACCINATION_CLINIC: _("besök på vaccinationsmottagning delas inte"),
    Reason.VACCINATION_ADVICE: _("vaccinationsrådgivning delas inte"),
    Reason.PRIVATE_INSURANCE: _("ärenden via privat vårdförsäkring delas inte"),
    Reason.OCCUPATIONAL_HEALTH: _("företagshälsovård delas inte"),
    Reason.NOT_SHARED_PERIOD: _("vårdgivaren delade inte journalen när kontakten ägde rum"),
    Reason.PRINCIPAL_SHARES: _("huvudmannen ansvarar för delningen under perioden"),
    Reason.NO_POLICY: _("vårdgivaren har ingen period för delning som omfattar kontakten"),
    Reason.SEALED: _("invånaren har förseglat uppgifterna"),
}


def reason_label(reason: str) -> str:
    try:
        return str(REASON_LABELS[Reason(reason)])
    except ValueError:
        return ""


CATEGORY_REASONS = {
    ContactCategory.VACCINATION_ADVICE: Reason.VACCINATION_ADVICE,
    ContactCategory.PRIVATE_INSURANCE: Reason.PRIVATE_INSURANCE,
    ContactCategory.OCCUPATIONAL_HEALTH: Reason.OCCUPATIONAL_HEALTH,
}
MODE_REASONS = {SharingMode.NOT_SHARED: Reason.NOT_SHARED_PERIOD, SharingMode.PRINCIPAL: Reason.PRINCIPAL_SHARES}


def contact_date(note: RecordNote) -> dt.date:
    """The contact's date in Sweden: when the case came in, or (the case purged) when the note was signed."""
    moment = note.case.submitted_at if note.case is not None else note.signed_at
    return moment.astimezone(clock.STOCKHOLM).date()


def sharing_mode_on(periods: list[NationalSharingPeriod], day: dt.date) -> str | None:
    """The provider's policy for a contact on `day`: the mode of the period covering it, None outside all."""
    for period in periods:
        if period.covers(day):
            return str(period.mode)
    return None


def decide(
    note: RecordNote, *, category: str, periods: list[NationalSharingPeriod], sealed: bool = False
) -> Reason | None:
    """None when the note goes to the national summary; otherwise the first reason it stays home.

    `note` comes with its subject, unit and case loaded; `category` is the
    contact's (ContactClassification, ordinary care when unclassified);
    `periods` are the note's provider's sharing periods.
    """
    if note.kind != NoteKind.SUMMARY:
        return Reason.NOT_A_SUMMARY
    if note.subject.protected_identity:
        return Reason.PROTECTED_IDENTITY
    if note.unit.kind == UnitKind.VACCINATION:
        return Reason.VACCINATION_CLINIC
    if category in CATEGORY_REASONS:
        return CATEGORY_REASONS[ContactCategory(category)]
    mode = sharing_mode_on(periods, contact_date(note))
    if mode is None:
        return Reason.NO_POLICY
    if mode != SharingMode.SHARED:
        return MODE_REASONS[SharingMode(mode)]
    if sealed:
        return Reason.SEALED
    return None


# --- the document -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    provider_id: int
    provider: str
    unit_id: int
    unit: str
    unit_hsa_id: str


@dataclass(frozen=True)
class Diagnosis:
    code: str
    title: str


@dataclass(frozen=True)
class SummaryDocument:
    """What the national summary receives for one contact: REC-3's four kinds of item and nothing else."""

    document_id: str
    patient_id: int
    contact: Contact
    contact_date: dt.date
    summary_note: str
    diagnoses: tuple[Diagnosis, ...] = field(default_factory=tuple)

    @staticmethod
    def fields_by_kind() -> dict[str, ItemKind | None]:
        """Each field and the kind of item it carries (None: the document's own addressing)."""
        return {
            "document_id": None,
            "patient_id": None,
            "contact": ItemKind.CONTACT,
            "contact_date": ItemKind.CONTACT_DATE,
            "summary_note": ItemKind.SUMMARY_NOTE,
            "diagnoses": ItemKind.DIAGNOSIS,
        }

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["contact_date"] = self.contact_date.isoformat()
        data["diagnoses"] = [asdict(d) for d in self.diagnoses]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SummaryDocument:
        return cls(
            document_id=data["document_id"],
            patient_id=data["patient_id"],
            contact=Contact(**data["contact"]),
            contact_date=dt.date.fromisoformat(data["contact_date"]),
            summary_note=data["summary_note"],
            diagnoses=tuple(Diagnosis(**d) for d in data["diagnoses"]),
        )


def document_id(note: RecordNote) -> str:
    return f"vardnav:{note.provider_id}:summary:{note.pk}"


def build_document(note: RecordNote) -> SummaryDocument:
    titles = code_titles()
    return SummaryDocument(
        document_id=document_id(note),
        patient_id=note.subject_id,
        contact=Contact(
            provider_id=note.provider_id,
            provider=note.provider.name,
            unit_id=note.unit_id,
            unit=note.unit.name,
            unit_hsa_id=note.unit.hsa_id,
        ),
        contact_date=contact_date(note),
        summary_note=note.body,
        diagnoses=tuple(Diagnosis(code, titles.get(code, "")) for code in note.diagnosis_codes or []),
    )


# --- the outbound interface -------------------------------------------------------------------


@runtime_checkable
class NationalSummaryStore(Protocol):
    def publish(self, document: SummaryDocument) -> None:
        """Store the document, or replace the one with its id; publishing twice is once."""

    def withdraw(self, document_id: str) -> None:
        """Take the document out of the national summary; a missing one is no error."""

    def documents_for(self, person: Person) -> list[StoredDocument]:
        """The person's documents in the national summary, newest contact first."""


@dataclass(frozen=True)
class StoredDocument:
    document: SummaryDocument
    received_at: dt.datetime


class LocalNationalSummaryStore:
    """The national summary kept locally: the receiving side's table (NationalSummaryDocument)."""

    def publish(self, document: SummaryDocument) -> None:
        now = clock.now()
        NationalSummaryDocument.objects.update_or_create(
            document_id=document.document_id,
            defaults={
                "patient_id": document.patient_id,
                "source_provider_id": document.contact.provider_id,
                "source_unit_id": document.contact.unit_id,
                "contact_date": document.contact_date,
                "document": document.as_json(),
                "received_at": now,
                "withdrawn_at": None,
            },
        )

    def withdraw(self, document_id: str) -> None:
        NationalSummaryDocument.objects.filter(document_id=document_id, withdrawn_at__isnull=True).update(
            withdrawn_at=clock.now()
        )

    def documents_for(self, person: Person) -> list[StoredDocument]:
        rows = NationalSummaryDocument.objects.filter(patient_id=person.pk, withdrawn_at__isnull=True).order_by(
            "-contact_date", "-id"
        )
        return [StoredDocument(SummaryDocument.from_json(row.document), row.received_at) for row in rows]


@cache
def _store_class(dotted: str) -> type:
    try:
        return import_string(dotted)  # type: ignore[no-any-return]
    except ImportError as exc:
        raise ImproperlyConfigured(f"NATIONAL_SUMMARY_STORE {dotted!r} cannot be imported: {exc}") from None


def national_store() -> NationalSummaryStore:
    """The store the settings choose (NATIONAL_SUMMARY_STORE)."""
    store = _store_class(settings.NATIONAL_SUMMARY_STORE)()
    if not isinstance(store, NationalSummaryStore):
        raise ImproperlyConfigured(f"NATIONAL_SUMMARY_STORE {settings.NATIONAL_SUMMARY_STORE!r} is not a store")
    return store
