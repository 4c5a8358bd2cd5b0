"""The patient record (journal): signed record notes on a case.

A note is signed when it is saved and never changes afterwards (PDL 3 kap.):
a correction or addition is a new note that points at the old one
(`amends`). The model refuses updates and deletes, and so does the database
(migration 0002's triggers), with one exception: when a case is purged after
its retention period (CASE-8) the note's link to it is cleared, because the
record is kept far longer than the case (PDL 3 kap. 17 §: at least ten years).
That is why a note carries its own copy of the subject, unit, provider and case
number. Text and diagnosis codes are encrypted at rest (REC-10).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

from vardnav.core.crypto import EncryptedTextField
from vardnav.core.fields import EncryptedJSONField
from vardnav.organizations.models import Profession


class RecordIsImmutable(RuntimeError):
    """Raised when code tries to change or remove a signed note: a programming error, never a user's."""


class NoteKind(models.TextChoices):
    NOTE = "note", "Journalanteckning"
    SUMMARY = "summary", "Sammanfattning"


class ImmutableQuerySet(models.QuerySet["RecordNote"]):
    """Refuses bulk changes (which would bypass save()/delete()); only unlinking a purged case is let through."""

    def update(self, **kwargs: Any) -> int:
        if set(kwargs) == {"case"} and kwargs["case"] is None:
            return super().update(**kwargs)
        raise RecordIsImmutable("signed record notes cannot be changed")

    def delete(self) -> NoReturn:
        raise RecordIsImmutable("signed record notes cannot be deleted")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        raise RecordIsImmutable("signed record notes cannot be changed")


ImmutableManager = models.Manager.from_queryset(ImmutableQuerySet)


class RecordNote(models.Model):
    """One signed note by a member of staff about the resident's care in a case."""

    # Not hidden (related_name "+"): the case purge (CASE-8) unlinks every nullable PROTECT reference it can see.
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="record_notes")
    case_number = models.CharField(max_length=12)
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=NoteKind.choices, default=NoteKind.NOTE)
    body = EncryptedTextField()
    # ICD-10-SE codes from the list the project ships (records.diagnoses); encrypted: a diagnosis is health data.
    diagnosis_codes = EncryptedJSONField(default=list, blank=True)
    # VISIT-10: a summary note the resident reads in "Min journal".
    shared_with_resident = models.BooleanField(default=False)
    amends = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments")
    author = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    # The author's profession when signing: a later change of title does not rewrite the record.
    author_profession = models.CharField(max_length=20, choices=Profession.choices)
    signed_at = models.DateTimeField()

    objects = ImmutableManager()

    class Meta:
        verbose_name = "journalanteckning"
        verbose_name_plural = "journalanteckningar"
        indexes = [
            # A case's notes for staff, oldest first.
            models.Index(fields=["case", "signed_at", "id"], name="record_note_case_time"),
            # "Min journal": a resident's shared notes, newest first (keyset on signed_at, id).
            models.Index(
                fields=["subject", "-signed_at", "-id"],
                condition=models.Q(shared_with_resident=True),
                name="record_note_shared_by_time",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shared_with_resident=False) | models.Q(kind="summary"),
                name="record_note_only_summaries_shared",
            ),
        ]

    def __str__(self) -> str:
        return f"RecordNote {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RecordIsImmutable("a signed record note cannot be changed; write an amendment")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise RecordIsImmutable("a signed record note cannot be deleted")


# --- national sharing (REC-3) -----------------------------------------------------------------


class SharingMode(models.TextChoices):
    """What a provider's policy says about the national summary for contacts in a period."""

    SHARED = "shared", _("Delas i sammanhållen journalföring")
    NOT_SHARED = "not_shared", _("Delas inte med andra vårdgivare")
    # The provider worked as a subcontractor: the principal (e.g. a region) keeps and shares the record.
    PRINCIPAL = "principal", _("Huvudmannen ansvarar för delningen")


class NationalSharingPeriod(models.Model):
    """One period of a provider's sharing policy; contacts dated in it follow its mode.

    Providers differ: one shares from the day it joined the national summary,
    another was a subcontractor whose principal shared the record, and contacts
    in between were not shared at all. A contact outside every period is not
    shared. Periods of one provider never overlap (records.actions checks it).
    """

    provider = models.ForeignKey(
        "organizations.CareProvider", on_delete=models.PROTECT, related_name="national_sharing_periods"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Sista dagen; tom: tills vidare")
    mode = models.CharField(max_length=12, choices=SharingMode.choices)
    principal_name = models.CharField(max_length=200, blank=True, help_text="Huvudmannen, vid underleverantörskap")

    class Meta:
        verbose_name = "period för sammanhållen journalföring"
        verbose_name_plural = "perioder för sammanhållen journalföring"
        ordering = ["provider", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="sharing_period_ends_after_start",
            ),
            models.UniqueConstraint(fields=["provider", "starts_on"], name="one_sharing_period_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.starts_on}–{self.ends_on or ''} {self.mode}"

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class ContactCategory(models.TextChoices):
    """What kind of contact a case is, as far as the national summary is concerned (REC-3)."""

    CARE = "care", _("Vård")
    VACCINATION_ADVICE = "vaccination_advice", _("Vaccinationsrådgivning")
    PRIVATE_INSURANCE = "private_insurance", _("Privat vårdförsäkring")
    OCCUPATIONAL_HEALTH = "occupational_health", _("Företagshälsovård")


class ContactClassification(models.Model):
    """Staff's statement of what kind of contact a case was; absent means ordinary care.

    Keyed by the case number, not the case: the record outlives the case (CASE-8
    purges the case, the note and this classification stay).
    """

    case_number = models.CharField(max_length=12, unique=True)
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=24, choices=ContactCategory.choices)
    classified_by = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    classified_at = models.DateTimeField()

    class Meta:
        verbose_name = "kontaktens art"
        verbose_name_plural = "kontakternas art"

    def __str__(self) -> str:
        return f"{self.case_number}: {self.category}"


class ExportStatus(models.TextChoices):
    PUBLISHED = "published", "Publicerad"
    WITHHELD = "withheld", "Delas inte"
    WITHDRAWN = "withdrawn", "Återkallad"


class NationalExport(models.Model):
    """The export's bookkeeping for one summary note: what was decided, so a rerun does nothing twice."""

    note = models.OneToOneField(RecordNote, on_delete=models.PROTECT, primary_key=True, related_name="national_export")
    status = models.CharField(max_length=10, choices=ExportStatus.choices)
    reason = models.CharField(max_length=40, blank=True)  # records.national.Reason: why it is withheld
    # Something it depends on changed (a classification, the policy, a seal): decide again on the next run.
    recheck = models.BooleanField(default=False)
    document_id = models.CharField(max_length=80)
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["note"], condition=models.Q(recheck=True), name="national_export_recheck"),
            models.Index(fields=["status"], name="national_export_status"),
        ]

    def __str__(self) -> str:
        return f"{self.note_id}: {self.status}"


class NationalSummaryDocument(models.Model):
    """The local national-summary store: the documents the national service has received.

    This is the receiving side of records.national.LocalNationalSummaryStore,
    what 1177 Journalen and other providers read: the document as sent
    (encrypted), keyed by its id, with the columns the national side indexes on
    (patient, source provider and unit, contact date). A withdrawn document is
    no longer shown to anyone.
    """

    document_id = models.CharField(max_length=80, unique=True)
    patient = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    source_provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    source_unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    contact_date = models.DateField()
    document = EncryptedJSONField()
    received_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "dokument i den nationella sammanfattningen"
        verbose_name_plural = "dokument i den nationella sammanfattningen"
        indexes = [
            models.Index(
                fields=["patient", "-contact_date", "-id"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="national_doc_by_patient",
            )
        ]

    def __str__(self) -> str:
        return self.document_id


# --- block and seal (REC-5, REC-6) ------------------------------------------------------------


class RestrictionScope(models.TextChoices):
    ALL = "all", _("Hela journalen")
    UNIT = "unit", _("En mottagning")
    PERIOD = "period", _("En tidsperiod")


class Restriction(models.Model):
    """What a resident has restricted: the whole journal, one unit's contacts, or contacts in a period.

    Made and lifted by the resident only (never by a guardian for a child);
    a lifted restriction stays as history with the time it was lifted.
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=10, choices=RestrictionScope.choices)
    unit = models.ForeignKey("organizations.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def covers(self, unit_id: int, day: dt.date) -> bool:
        """Whether a contact at `unit_id` on `day` falls under this restriction."""
        if self.scope == RestrictionScope.ALL:
            return True
        if self.scope == RestrictionScope.UNIT:
            return self.unit_id == unit_id
        assert self.starts_on is not None and self.ends_on is not None
        return self.starts_on <= day <= self.ends_on


class Block(Restriction):
    """Spärr (REC-5): other care providers cannot read what it covers; the resident still sees it."""

    class Meta:
        verbose_name = "spärr"
        verbose_name_plural = "spärrar"
        indexes = [models.Index(fields=["person"], condition=models.Q(lifted_at__isnull=True), name="block_active")]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}: {self.scope}"


class Seal(Restriction):
    """Försegling (REC-6): what it covers is not in the national view at all, not even for the resident."""

    class Meta:
        verbose_name = "försegling"
        verbose_name_plural = "förseglingar"
        indexes = [models.Index(fields=["person"], condition=models.Q(lifted_at__isnull=True), name="seal_active")]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}: {self.scope}"


# --- consent to read shared data (REC-4) ------------------------------------------------------


class ConsentBasis(models.TextChoices):
    CONSENT = "consent", _("Invånaren har samtyckt")
    EMERGENCY = "emergency", _("Nödsituation: invånaren kan inte samtycka och vården är akut")


class SharedRecordConsent(models.Model):
    """Why staff may read other providers' shared data for one care relation (a case at their unit).

    Consent holds for the care relation; the emergency exception holds for a
    short time (records.access.EMERGENCY_HOURS) and must then be recorded again.
    """

    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(max_length=12)
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(max_length=10, choices=ConsentBasis.choices)
    reason = EncryptedTextField(blank=True, default="")
    recorded_by = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = "samtycke till sammanhållen journalföring"
        verbose_name_plural = "samtycken till sammanhållen journalföring"
        indexes = [models.Index(fields=["case_number", "-recorded_at"], name="consent_by_case")]

    def __str__(self) -> str:
        return f"{self.case_number}: {self.basis}"


# --- log review (HSLF-FS 2016:40 4 kap.; 1177's granskare) ------------------------------------


class StaffPerson(models.Model):
    """A staff member's own personal number, for the log review's flags (own record, family, colleagues)."""

    staff = models.OneToOneField("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField()

    class Meta:
        verbose_name = "medarbetarens personnummer (loggkontroll)"
        verbose_name_plural = "medarbetarnas personnummer (loggkontroll)"

    def __str__(self) -> str:
        return f"Staff {self.staff_id}"


class LogReview(models.Model):
    """One day's selection of a provider's staff reads for the reviewer: a random sample plus the flagged."""

    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()  # the Swedish date of the reads
    selected_at = models.DateTimeField()
    reads_that_day = models.PositiveIntegerField()

    class Meta:
        verbose_name = "loggkontroll"
        verbose_name_plural = "loggkontroller"
        constraints = [models.UniqueConstraint(fields=["provider", "day"], name="one_log_review_per_day")]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.day}"


class ReviewOutcome(models.TextChoices):
    JUSTIFIED = "justified", _("Befogad: läsningen hade stöd i vårdrelation eller arbetsuppgift")
    NOT_JUSTIFIED = "not_justified", _("Obefogad: läsningen saknade stöd")
    FOLLOW_UP = "follow_up", _("Utreds vidare")


class LogReviewItem(models.Model):
    """One selected read, why it was selected, and the reviewer's documented outcome.

    The read itself is the audit entry, which never changes; the outcome is written here.
    """

    review = models.ForeignKey(LogReview, on_delete=models.PROTECT, related_name="items")
    # No database constraint: a constraint's triggers on the append-only log would make every
    # change to it wait on this table (and the log is never deleted from, so nothing dangles).
    entry = models.ForeignKey("audit.AuditEntry", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    reasons = models.JSONField(default=list)  # records.log_review.Flag values; "sample" for the random pick
    outcome = models.CharField(max_length=16, choices=ReviewOutcome.choices, blank=True)
    comment = EncryptedTextField(blank=True, default="")
    decided_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "granskad loggpost"
        verbose_name_plural = "granskade loggposter"
        constraints = [models.UniqueConstraint(fields=["review", "entry"], name="one_item_per_entry")]

    def __str__(self) -> str:
        return f"{self.review_id}/{self.entry_id}"


# --- early access for children of 13–15 (REC-8) -----------------------------------------------


class EarlyAccessStatus(models.TextChoices):
    PENDING = "pending", _("Väntar på beslut")
    GRANTED = "granted", _("Beviljad")
    REFUSED = "refused", _("Avslagen")
    WITHDRAWN = "withdrawn", _("Återkallad")


class EarlyAccessApplication(models.Model):
    """A child's application to read their own journal before 16, and the head of unit's decision (REC-8).

    A child of 13–15 cannot log in with their own BankID (ID-2), so the child
    applies through the unit: staff with a care relation register the
    application on the child's case, and the head of that unit (verksamhetschef,
    the `unit_head` role) grants or refuses it with a recorded reason. A granted
    application lets the child log in with their own BankID for the journal
    only, until they turn 16 (then they read it anyway). Nothing is deleted:
    the decision stays as history.
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(max_length=12)
    registered_by = models.ForeignKey("organizations.Staff", on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=EarlyAccessStatus.choices, default=EarlyAccessStatus.PENDING)
    reason = EncryptedTextField(blank=True, default="")  # the head of unit's recorded reason
    decided_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # A granted access the head of unit withdraws later, with its own reason (the decision itself stays).
    withdrawn_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = EncryptedTextField(blank=True, default="")

    class Meta:
        verbose_name = "ansökan om tidig åtkomst till journalen"
        verbose_name_plural = "ansökningar om tidig åtkomst till journalen"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "unit"], condition=models.Q(status="pending"), name="one_pending_early_access"
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(decided_at__isnull=False, decided_by__isnull=False),
                name="early_access_decided_with_decider",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn")
                | models.Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False),
                name="early_access_withdrawn_with_withdrawer",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "registered_at"], condition=models.Q(status="pending"), name="early_pending"),
            models.Index(fields=["person"], condition=models.Q(status="granted"), name="early_granted"),
        ]

    def __str__(self) -> str:
        return f"EarlyAccessApplication {self.pk}: {self.status}"


# --- private health insurance: the power of attorney (REC-9) ----------------------------------


class Insurer(models.Model):
    """An insurance company residents may name at submission.

    The shared list (no provider: the large Swedish insurers, kept by the
    platform) and each provider's own additions, which its administrator adds,
    renames and deactivates. A provider's insurance e-services offer both.
    """

    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=40, unique=True)  # the answer code in the insurance service's form
    active = models.BooleanField(default=True)
    provider = models.ForeignKey(
        "organizations.CareProvider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "försäkringsbolag"
        verbose_name_plural = "försäkringsbolag"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InsuranceService(models.Model):
    """An e-service whose cases are tied to a private health insurance (REC-9).

    Its questionnaire asks which insurer (records.insurance.INSURER_ITEM, the
    insurers of this list) and whether the resident approves the power of
    attorney (records.insurance.POWER_OF_ATTORNEY_ITEM); the submission records it.
    """

    service = models.OneToOneField("catalog.Service", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "e-tjänst med vårdförsäkring"
        verbose_name_plural = "e-tjänster med vårdförsäkring"

    def __str__(self) -> str:
        return f"InsuranceService {self.service_id}"


class PowerOfAttorney(models.Model):
    """The resident's power of attorney for one insurer to request medical data about one case (REC-9).

    Approved at submission; the resident may revoke it for the future (what was
    released before stays released and logged).
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    insurer = models.ForeignKey(Insurer, on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(max_length=12, unique=True)
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "fullmakt till försäkringsbolag"
        verbose_name_plural = "fullmakter till försäkringsbolag"
        indexes = [models.Index(fields=["person", "-approved_at"], name="poa_by_person")]

    def __str__(self) -> str:
        return f"PowerOfAttorney {self.pk}"


class InsurerRequestOutcome(models.TextChoices):
    RELEASED = "released", _("Uppgifter lämnades ut")
    REFUSED = "refused", _("Inga uppgifter lämnades ut")


class InsurerRequest(models.Model):
    """An insurer's request for medical data about a case, registered by the unit, and what was released.

    Released only under a power of attorney in force; otherwise refused, and
    the refusal is logged just the same. `released` lists what went: the
    signed summaries of the case (date and diagnosis codes), never chats.
    """

    insurer = models.ForeignKey(Insurer, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(max_length=12)
    power_of_attorney = models.ForeignKey(
        PowerOfAttorney, null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    provider = models.ForeignKey("organizations.CareProvider", on_delete=models.PROTECT, related_name="+")
    # Registered by the unit (a member of staff), or posted by the insurer through the integration API (its token).
    registered_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    token = models.ForeignKey(
        "integrations.IntegrationToken", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(max_length=64, blank=True)  # the insurer's own id of an API request: idempotency
    requested_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=InsurerRequestOutcome.choices)
    refusal_code = models.CharField(max_length=60, blank=True)
    released = EncryptedJSONField(default=list, blank=True)  # [{"note_id", "signed_at", "diagnosis_codes"}]

    class Meta:
        verbose_name = "begäran från försäkringsbolag"
        verbose_name_plural = "begäranden från försäkringsbolag"
        indexes = [models.Index(fields=["person", "-requested_at"], name="insurer_request_by_person")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="refused") | models.Q(power_of_attorney__isnull=False),
                name="insurer_release_needs_poa",
            ),
            models.CheckConstraint(
                condition=models.Q(registered_by__isnull=False) | models.Q(token__isnull=False),
                name="insurer_request_has_a_source",
            ),
            models.UniqueConstraint(
                fields=["provider", "insurer", "reference"],
                condition=~models.Q(reference=""),
                name="one_insurer_request_per_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"InsurerRequest {self.pk}: {self.outcome}"


class InsurerToken(models.Model):
    """Which insurer an integration token of the provider speaks for (REC-9 through the API).

    A provider administrator ties a token with the insurer-requests scope to
    one insurer; a request posted with the token is that insurer's, and
    released only under a power of attorney for that insurer.
    """

    token = models.OneToOneField("integrations.IntegrationToken", on_delete=models.PROTECT, related_name="+")
    insurer = models.ForeignKey(Insurer, on_delete=models.PROTECT, related_name="+")
    linked_by = models.ForeignKey(
        "organizations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        verbose_name = "API-nyckel för försäkringsbolag"
        verbose_name_plural = "API-nycklar för försäkringsbolag"

    def __str__(self) -> str:
        return f"InsurerToken {self.token_id}: {self.insurer_id}"
