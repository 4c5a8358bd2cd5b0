"""Every state change of referrals, lab results, the blood-pressure check and home measurement periods
(VISIT-6, VISIT-7, VISIT-9, VISIT-11, QA-5).

Each do_* checks permission, runs in one transaction and writes its audit
entry in it. What the resident needs to know is a message in the visit's chat
and the case engine's notice (which says only that there is news, never what).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.cases.actions import check_message_body, check_resident_subject
from vardnav.cases.models import Case, Message, MessageKind
from vardnav.cases.notices import notify_case_event, resident_recipients
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError, NotFound, PermissionDenied
from vardnav.labs.content import PLACES_BY_CODE, TESTS_BY_CODE
from vardnav.labs.errors import LabError
from vardnav.labs.figures import GUIDELINE_SOURCE, percent_text, period_figures
from vardnav.labs.models import (
    DIASTOLIC_RANGE,
    FEV1_RANGE_ML,
    FVC_RANGE_ML,
    PEF_RANGE,
    PERIOD_DAYS_RANGE,
    PULSE_RANGE,
    SYSTOLIC_RANGE,
    CareReferral,
    HomeMeasurement,
    Lab,
    LabChooser,
    LabReferral,
    LabResult,
    MeasurementFrequency,
    MeasurementKind,
    MeasurementPeriod,
    MeasurementReminder,
    PeriodStatus,
    PressureVoucher,
    ReferralStatus,
)
from vardnav.labs.pdf import barcode_png
from vardnav.notifications.actions import notify_resident, notify_staff, outside_channels, public_url, written_for
from vardnav.notifications.models import NoticeKind, OutgoingChannel
from vardnav.notifications.outbox import Attachment, queue_message
from vardnav.organizations.models import Profession, Staff
from vardnav.records.actions import NOTE_MAX_LENGTH, do_sign_note
from vardnav.records.diagnoses import check_diagnosis_codes
from vardnav.records.errors import RecordError
from vardnav.records.models import NoteKind
from vardnav.visits.models import Visit

QUESTION_MAX = 1000
REVIEW_MAX = 2000
REASON_MAX = 3000
RECIPIENT_MAX = 200
VOUCHER_DAYS = 30
MEASUREMENT_MAX_AGE_DAYS = 60
NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RESULT_VALUE_MAX = 40

M = TypeVar("M", bound=Model)


# --- shared checks ---------------------------------------------------------------------------------


def _require_handler(actor: Actor, case: Case) -> Staff:
    """Only the practitioner who has the visit acts on it."""
    if actor.staff_id is None or case.assigned_to_id != actor.staff_id:
        raise PermissionDenied(LabError.NOT_YOUR_CASE)
    return Staff.objects.get(pk=actor.staff_id)


def _with_number(model: type[M], prefix: str, **fields: Any) -> M:
    """Create the row with a fresh readable number (e.g. LR-7K2M-9QXD), drawn again on a clash."""
    for _attempt in range(10):
        raw = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
        try:
            with transaction.atomic():
                row: M = model._default_manager.create(number=f"{prefix}{raw[:4]}-{raw[4:]}", **fields)
                return row
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a unique number")


def _tell_resident(actor: Actor, case: Case, text: str) -> None:
    """A message in the visit's chat and the engine's notice (news in the case, nothing more)."""
    now = clock.now()
    Message.objects.create(case=case, kind=MessageKind.REPLY, author_staff_id=actor.staff_id, body=text, created_at=now)
    Case.objects.filter(pk=case.pk).update(resident_unread=True, last_activity_at=now)
    notify_case_event(case, "reply")


def check_tests(codes: Any) -> list[str]:
    """The chosen tests: codes of the shipped list, each once, in the list's order."""
    chosen = [str(code).strip() for code in (codes or []) if str(code).strip()]
    if not chosen:
        raise LabError.NO_TESTS.error(field="tests")
    for code in chosen:
        if code not in TESTS_BY_CODE:
            raise LabError.UNKNOWN_TEST.error(field="tests", test=code[:20])
    return [code for code in TESTS_BY_CODE if code in chosen]


def _text(value: Any, *, limit: int, error: LabError, field: str, required: bool) -> str:
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if (required and not text) or len(text) > limit:
        raise error.error(field=field, limit=limit)
    return text


# --- the lab directory ------------------------------------------------------------------------------------


def do_add_lab(actor: Actor, **fields: Any) -> Lab:
    """A lab joins the directory residents choose from (the platform's administrators, the demo loader)."""
    if not actor.is_platform:
        raise PermissionDenied(LabError.LAB_DIRECTORY_ADMIN)
    with transaction.atomic():
        lab, _created = Lab.objects.update_or_create(code=fields.pop("code"), defaults=fields)
        do_record(actor, AuditEvent.LAB_DIRECTORY_UPDATE, lab)
    return lab


# --- lab referrals (VISIT-6, VISIT-9) ----------------------------------------------------------------


def do_write_lab_referral(
    actor: Actor, visit: Visit, *, tests: Any, question: Any = "", lab: Lab | None = None
) -> LabReferral:
    """The visit's doctor refers the resident for tests. The lab is the resident's choice: picked now with
    the resident, or left for the resident to choose under Mina sidor. Never for a resident abroad (VISIT-9)."""
    case = visit.case
    staff = _require_handler(actor, case)
    if staff.profession != Profession.DOCTOR:
        raise PermissionDenied(LabError.DOCTOR_REQUIRED)
    if visit.abroad:
        raise LabError.ABROAD_NO_LAB_REFERRAL.error()
    codes = check_tests(tests)
    text = _text(question, limit=QUESTION_MAX, error=LabError.QUESTION_TOO_LONG, field="question", required=False)
    now = clock.now()
    with transaction.atomic():
        # Read again under the lock: a visit marked abroad meanwhile gets no referral either.
        if Visit.objects.select_for_update().filter(pk=visit.pk, abroad=True).exists():
            raise LabError.ABROAD_NO_LAB_REFERRAL.error()
        referral = _with_number(
            LabReferral,
            "LR-",
            case=case,
            case_number=case.number,
            provider_id=case.provider_id,
            unit_id=case.unit_id,
            subject_id=case.subject_id,
            issued_by=staff,
            issued_at=now,
            tests=codes,
            question=text,
            lab=lab,
            lab_chosen_by=LabChooser.PRACTITIONER if lab else "",
            lab_chosen_at=now if lab else None,
            status=ReferralStatus.SENT if lab else ReferralStatus.AWAITING_LAB,
        )
        do_record(actor, AuditEvent.LAB_REFERRAL_WRITE, referral, subject_person_id=case.subject_id)
        if lab is None:
            note = "Du har fått en remiss för provtagning. Välj var du vill lämna proverna under Mina sidor › Remisser och provsvar."
        else:
            note = (
                f"Du har fått en remiss för provtagning hos {lab.name}, {lab.town}. "
                "Hämta remissen under Mina sidor › Remisser och provsvar och ta den med dig."
            )
        _tell_resident(actor, case, note)
    return referral


def do_choose_lab(actor: Actor, referral: LabReferral, lab: Lab) -> LabReferral:
    """The resident chooses where to take the tests (VISIT-6: a laboratory of the resident's choice)."""
    subject = check_resident_subject(actor)
    if referral.subject_id != subject.pk:
        raise NotFound(LabError.REFERRAL_NOT_FOUND)
    if not lab.is_active:
        raise NotFound(LabError.LAB_NOT_FOUND)
    with transaction.atomic():
        now = clock.now()
        updated = LabReferral.objects.filter(pk=referral.pk, status=ReferralStatus.AWAITING_LAB).update(
            lab=lab, lab_chosen_by=LabChooser.RESIDENT, lab_chosen_at=now, status=ReferralStatus.SENT
        )
        if not updated:
            raise LabError.LAB_ALREADY_CHOSEN.error(field="lab")
        referral.refresh_from_db()
        do_record(actor, AuditEvent.LAB_CHOOSE, referral, subject_person_id=subject.pk)
    return referral


@dataclass(frozen=True)
class PostedValue:
    code: str
    value: str
    unit: str
    reference: str
    abnormal: bool


@dataclass(frozen=True)
class ReceivedResult:
    result: LabResult
    created: bool


def _result_hash(lab_code: str, values: Sequence[PostedValue], comment: str) -> str:
    body = {"lab": lab_code, "values": [vars(each) for each in values], "comment": comment}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def do_receive_lab_result(
    actor: Actor, referral: LabReferral, *, lab_code: str, values: Sequence[PostedValue], comment: str = ""
) -> ReceivedResult:
    """A lab posts the result of a referral through the integration API (VISIT-6).

    Idempotent: the same result posted again returns the stored one and changes
    nothing; a different result for a referral that has one is refused. The
    practitioner sees it at once; the resident once it is reviewed.
    """
    if referral.status == ReferralStatus.AWAITING_LAB or referral.lab is None:
        raise LabError.REFERRAL_NOT_SENT.error(field="referral_number")
    if referral.lab.code != lab_code:
        raise LabError.WRONG_LAB.error(field="lab_code")
    ordered = set(referral.tests)
    for each in values:
        if each.code not in ordered:
            raise LabError.RESULT_TEST_NOT_ORDERED.error(field="results", test=each.code[:20])
    text = comment.strip()
    digest = _result_hash(lab_code, values, text)
    with transaction.atomic():
        locked = LabReferral.objects.select_for_update().get(pk=referral.pk)
        existing = LabResult.objects.filter(referral=locked).first()
        if existing is not None:
            if existing.body_hash != digest:
                raise LabError.RESULT_EXISTS.error(field="results")
            return ReceivedResult(existing, created=False)
        result = LabResult.objects.create(
            referral=locked,
            values=[vars(each) for each in values],
            lab_comment=text,
            body_hash=digest,
            received_at=clock.now(),
            received_via_token_id=actor.token_id,
        )
        LabReferral.objects.filter(pk=locked.pk).update(status=ReferralStatus.RESULT_RECEIVED)
        if locked.case_id is not None:
            Case.objects.filter(pk=locked.case_id).update(staff_unread=True)
        do_record(actor, AuditEvent.LAB_RESULT_RECEIVE, result, subject_person_id=locked.subject_id)
        _tell_practitioners_of_result(locked)
    return ReceivedResult(result, created=True)


def _tell_practitioners_of_result(referral: LabReferral) -> None:
    """An in-app notice to the practitioner who referred and the one who handles the case now, if another.

    Only that a result has come for a referral number: no test, no value (and staff
    notices are never e-mailed).
    """
    case = (
        Case.objects.filter(pk=referral.case_id).only("pk", "number", "assigned_to_id").first()
        if referral.case_id is not None
        else None
    )
    recipients = {referral.issued_by_id}
    if case is not None and case.assigned_to_id is not None:
        recipients.add(case.assigned_to_id)
    link = reverse("labs:staff_case", args=[case.pk]) if case is not None else ""
    where = f" i ärende {case.number}" if case is not None else ""
    notify_staff(
        sorted(recipients),
        NoticeKind.LAB_RESULT,
        text=f"Provsvar har kommit för remiss {referral.number}{where}. Bedöm svaret.",
        link=link,
    )


def do_review_lab_result(
    actor: Actor, visit: Visit, result: LabResult, *, comment: Any, offer_revisit_days: int | None = None
) -> LabResult:
    """The practitioner reviews the result: the resident then sees it with the comment; a revisit to go
    through it may be offered at the same time (VISIT-6, VISIT-3)."""
    case = visit.case
    staff = _require_handler(actor, case)
    if result.referral.case_id != case.pk:
        raise NotFound(LabError.RESULT_NOT_FOUND)
    text = _text(comment, limit=REVIEW_MAX, error=LabError.REVIEW_COMMENT, field="comment", required=True)
    with transaction.atomic():
        updated = LabResult.objects.filter(pk=result.pk, reviewed_at__isnull=True).update(
            reviewed_at=clock.now(), reviewed_by=staff, review_comment=text
        )
        if not updated:
            raise LabError.RESULT_ALREADY_REVIEWED.error()
        LabReferral.objects.filter(pk=result.referral_id).update(status=ReferralStatus.REVIEWED)
        do_record(actor, AuditEvent.LAB_RESULT_REVIEW, result, subject_person_id=case.subject_id)
        if offer_revisit_days:
            from vardnav.visits.actions import do_offer_revisit
            from vardnav.visits.models import RevisitKind

            do_offer_revisit(actor, visit, kind=RevisitKind.PLANNED, days=offer_revisit_days)
        _tell_resident(
            actor,
            case,
            "Ditt provsvar är bedömt. Du ser svaret och vad det betyder under Mina sidor › Remisser och provsvar.",
        )
    result.refresh_from_db()
    return result


# --- referrals elsewhere and where to turn (VISIT-7) ---------------------------------------------------


def do_write_care_referral(actor: Actor, visit: Visit, *, recipient: Any, reason: Any) -> CareReferral:
    """A referral letter to another care provider; the resident downloads it as a PDF and brings or sends it."""
    case = visit.case
    staff = _require_handler(actor, case)
    to = _text(recipient, limit=RECIPIENT_MAX, error=LabError.RECIPIENT_REQUIRED, field="recipient", required=True)
    why = _text(reason, limit=REASON_MAX, error=LabError.REASON_REQUIRED, field="reason", required=True)
    with transaction.atomic():
        referral = _with_number(
            CareReferral,
            "RM-",
            case=case,
            case_number=case.number,
            provider_id=case.provider_id,
            unit_id=case.unit_id,
            subject_id=case.subject_id,
            issued_by=staff,
            issued_at=clock.now(),
            recipient=to,
            reason=why,
        )
        do_record(actor, AuditEvent.CARE_REFERRAL_WRITE, referral, subject_person_id=case.subject_id)
        _tell_resident(
            actor,
            case,
            f"Du har fått en remiss till {to}. Hämta remissen under Mina sidor › Remisser och provsvar "
            "och ta med den eller skicka den dit.",
        )
    return referral


def do_advise_where_to_turn(actor: Actor, visit: Visit, *, place: Any, note: Any = "") -> Message:
    """VISIT-7: when digital care cannot help, tell the resident where to turn (a standard place and advice,
    with the practitioner's own words)."""
    case = visit.case
    _require_handler(actor, case)
    chosen = PLACES_BY_CODE.get(str(place or ""))
    if chosen is None:
        raise LabError.PLACE_UNKNOWN.error(field="place")
    extra = check_message_body(note, field="note", required=False)
    text = f"Vart du kan vända dig: {chosen['name']}. {chosen['advice']}" + (f"\n\n{extra}" if extra else "")
    with transaction.atomic():
        _tell_resident(actor, case, text)
        message = Message.objects.filter(case=case).order_by("-id").first()
        assert message is not None
        do_record(
            actor, AuditEvent.WHERE_TO_TURN, message, subject_person_id=case.subject_id, extra={"place": chosen["code"]}
        )
    return message


# --- blood pressure at a partner pharmacy (VISIT-11) ----------------------------------------------------


def luhn_digit(digits: str) -> str:
    """The Luhn check digit of a string of digits: a mistyped digit at the pharmacy is caught at once."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def check_voucher_code(code: Any) -> str:
    digits = "".join(ch for ch in str(code or "") if ch in "0123456789")
    if len(digits) != 12 or luhn_digit(digits[:-1]) != digits[-1]:
        raise NotFound(LabError.VOUCHER_NOT_FOUND)
    return digits


def code_hash(digits: str) -> str:
    return hashlib.sha256(digits.encode()).hexdigest()


def format_code(digits: str) -> str:
    return f"{digits[:4]} {digits[4:8]} {digits[8:]}"


BARCODE_FILENAME = "streckkod.png"
# Marked for translation; composed in the recipient's language (written_for).
EMAIL_SUBJECT = gettext_noop("Kod för en kostnadsfri blodtrycksmätning")
EMAIL_TEXT = gettext_noop(
    "Hej!\n\nDu har fått en kod för en kostnadsfri blodtrycksmätning på ett av våra partnerapotek. "
    "Visa streckkoden i kassan: den finns som bild i det här meddelandet (streckkod.png) och när du loggar in "
    "under Mina sidor › Remisser och provsvar › Blodtryck ({url}). Du kan också läsa upp koden.\n\n"
    "Kod: {code}\nKoden gäller till och med {until} och kan användas en gång.\n\n"
    "När du har mätt: skriv in övre och undre trycket och pulsen på samma sida, så ser din behandlare värdena.\n\n"
    "Det här meddelandet går inte att svara på.\n"
)


def do_send_pressure_voucher(actor: Actor, visit: Visit) -> PressureVoucher:
    """The practitioner sends the resident a single-use code for a free measurement at a partner pharmacy.

    The e-mail (through the outbox; only if contact details, consent and
    protected identity allow) says nothing but that: no complaint, no values.
    The code travels only in the encrypted `secret_body` and the e-mail's
    barcode image (an attachment, kept encrypted until sent); the readable copy
    masks it. The barcode is also on the resident's page.
    """
    case = visit.case
    staff = _require_handler(actor, case)
    now = clock.now()
    with transaction.atomic():
        for _attempt in range(10):
            body = "".join(secrets.choice("0123456789") for _ in range(11))
            digits = body + luhn_digit(body)
            if not PressureVoucher.objects.filter(code_hash=code_hash(digits)).exists():
                break
        voucher = PressureVoucher.objects.create(
            case=case,
            case_number=case.number,
            provider_id=case.provider_id,
            subject_id=case.subject_id,
            issued_by=staff,
            issued_at=now,
            expires_at=now + dt.timedelta(days=VOUCHER_DAYS),
            code=digits,
            code_hash=code_hash(digits),
        )
        until = (voucher.expires_at.astimezone(STOCKHOLM)).strftime("%Y-%m-%d")
        url = public_url(reverse("labs:pressure"))
        barcode: Attachment | None = None
        for person in resident_recipients(case):
            protected = person.pk != case.subject_id and case.subject.protected_identity
            if OutgoingChannel.EMAIL not in outside_channels(person, protected=protected):
                continue
            barcode = barcode or Attachment(
                BARCODE_FILENAME, "image/png", barcode_png(digits, human_readable=format_code(digits))
            )
            with written_for(person):
                subject, text = gettext(EMAIL_SUBJECT), gettext(EMAIL_TEXT)
            queue_message(
                event_key=f"pressure-voucher:{voucher.pk}:{person.pk}",
                channel=OutgoingChannel.EMAIL,
                recipient=person.email,
                subject=subject,
                body=text.format(url=url, code="•••• •••• ••••", until=until),
                secret_body=text.format(url=url, code=format_code(digits), until=until),
                attachments=[barcode] if barcode else [],
            )
            voucher.emailed = True
        if voucher.emailed:
            PressureVoucher.objects.filter(pk=voucher.pk).update(emailed=True)
        do_record(actor, AuditEvent.PRESSURE_VOUCHER_SEND, voucher, subject_person_id=case.subject_id)
        _tell_resident(
            actor,
            case,
            "Du har fått en kod för en kostnadsfri blodtrycksmätning på ett partnerapotek. Streckkoden finns under "
            "Mina sidor › Remisser och provsvar › Blodtryck. Skriv in värdena där när du har mätt.",
        )
    return voucher


def do_redeem_pressure_voucher(actor: Actor, code: Any) -> PressureVoucher:
    """A partner pharmacy checks the code and uses it (once), through the integration API."""
    digits = check_voucher_code(code)
    with transaction.atomic():
        voucher = (
            PressureVoucher.objects.select_for_update()
            .filter(code_hash=code_hash(digits), provider_id=actor.provider_id)
            .first()
        )
        if voucher is None:
            raise NotFound(LabError.VOUCHER_NOT_FOUND)
        if voucher.redeemed_at is not None:
            raise LabError.VOUCHER_USED.error()
        now = clock.now()
        if voucher.expires_at < now:
            raise LabError.VOUCHER_EXPIRED.error()
        voucher.redeemed_at, voucher.redeemed_via_token_id = now, actor.token_id
        voucher.save(update_fields=["redeemed_at", "redeemed_via_token_id"])
        do_record(actor, AuditEvent.PRESSURE_VOUCHER_REDEEM, voucher, subject_person_id=voucher.subject_id)
    return voucher


def _whole(value: Any, low_high: tuple[int, int], error: LabError, field: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = -1
    low, high = low_high
    if not low <= number <= high:
        raise error.error(field=field, low=low, high=high)
    return number


@dataclass(frozen=True)
class CheckedMeasurement:
    systolic: int
    diastolic: int
    pulse: int
    measured_on: dt.date


def check_measurement(*, systolic: Any, diastolic: Any, pulse: Any, measured_on: Any) -> CheckedMeasurement:
    high = _whole(systolic, SYSTOLIC_RANGE, LabError.MEASUREMENT_SYSTOLIC, "systolic")
    low = _whole(diastolic, DIASTOLIC_RANGE, LabError.MEASUREMENT_DIASTOLIC, "diastolic")
    beats = _whole(pulse, PULSE_RANGE, LabError.MEASUREMENT_PULSE, "pulse")
    if high <= low:
        raise LabError.MEASUREMENT_ORDER.error(field="diastolic")
    if isinstance(measured_on, dt.date):
        day: dt.date | None = measured_on
    else:
        try:
            day = dt.date.fromisoformat(str(measured_on or "").strip())
        except ValueError:
            day = None
    today = clock.today()
    if day is None or day > today or day < today - dt.timedelta(days=MEASUREMENT_MAX_AGE_DAYS):
        raise LabError.MEASUREMENT_DATE.error(field="measured_on", days=MEASUREMENT_MAX_AGE_DAYS)
    return CheckedMeasurement(high, low, beats, day)


def do_enter_home_measurement(
    actor: Actor, *, systolic: Any, diastolic: Any, pulse: Any, measured_on: Any
) -> HomeMeasurement:
    """The resident enters a measurement (from the pharmacy or at home); it joins the visit that asked for it."""
    subject = check_resident_subject(actor)
    checked = check_measurement(systolic=systolic, diastolic=diastolic, pulse=pulse, measured_on=measured_on)
    voucher = PressureVoucher.objects.filter(subject_id=subject.pk).order_by("-issued_at", "-id").first()
    if voucher is None:
        raise NotFound(LabError.NO_VOUCHER)
    with transaction.atomic():
        measurement = HomeMeasurement.objects.create(
            subject_id=subject.pk,
            case_id=voucher.case_id,
            voucher=voucher,
            systolic=checked.systolic,
            diastolic=checked.diastolic,
            pulse=checked.pulse,
            measured_on=checked.measured_on,
            entered_at=clock.now(),
        )
        if voucher.case_id is not None:
            Case.objects.filter(pk=voucher.case_id).update(staff_unread=True)
        do_record(actor, AuditEvent.HOME_MEASUREMENT_ENTER, measurement, subject_person_id=subject.pk)
    return measurement


# --- home measurement periods (QA-5) ---------------------------------------------------------------------

ORDERABLE_KINDS = (MeasurementKind.PEF, MeasurementKind.SPIROMETRY)
DEFAULT_PERIOD_DAYS = 14
# The daily reminder goes out from this time of the resident's day (Swedish time), once, if a slot is empty.
REMINDER_FROM = dt.time(18, 0)


def check_period_order(*, kind: Any, days: Any, frequency: Any) -> tuple[str, int, str]:
    """What the practitioner asks for: a lung-function kind, 3–28 days, morning and evening or morning only."""
    errors: dict[str, list[str]] = {}
    first = None
    checked_kind = str(kind or "")
    if checked_kind not in ORDERABLE_KINDS:
        first = first or LabError.PERIOD_KIND.error(field="kind")
        errors["kind"] = [str(LabError.PERIOD_KIND.message)]
    low, high = PERIOD_DAYS_RANGE
    try:
        checked_days = int(str(days if days not in (None, "") else DEFAULT_PERIOD_DAYS).strip())
    except (TypeError, ValueError):
        checked_days = -1
    if not low <= checked_days <= high:
        error = LabError.PERIOD_DAYS.error(field="days", low=low, high=high)
        first = first or error
        errors["days"] = [error.message]
    checked_frequency = str(frequency or "")
    if checked_frequency not in MeasurementFrequency.values:
        first = first or LabError.PERIOD_FREQUENCY.error(field="frequency")
        errors["frequency"] = [str(LabError.PERIOD_FREQUENCY.message)]
    if first is not None:
        raise first.code.error(field=first.field, errors=errors, **first.params)
    return checked_kind, checked_days, checked_frequency


PERIOD_ORDER_TEXT = {
    MeasurementKind.PEF: "Din behandlare vill att du mäter ditt PEF-värde (med PEF-mätare) hemma",
    MeasurementKind.SPIROMETRY: "Din behandlare vill att du mäter din lungfunktion med spirometern hemma",
}


def do_order_measurement_period(
    actor: Actor,
    visit: Visit,
    *,
    kind: Any,
    days: Any = DEFAULT_PERIOD_DAYS,
    frequency: Any = MeasurementFrequency.MORNING_AND_EVENING,
    after_bronchodilator: bool = False,
) -> MeasurementPeriod:
    """The practitioner orders a home measurement period on the visit (QA-5): daily values at home replace
    several visits to a clinic. The resident hears of it in the visit's chat and by the case's in-app notice
    (e-mail and SMS only ever say that there is news)."""
    case = visit.case
    staff = _require_handler(actor, case)
    checked_kind, checked_days, checked_frequency = check_period_order(kind=kind, days=days, frequency=frequency)
    today = clock.today()
    with transaction.atomic():
        if MeasurementPeriod.objects.filter(case=case, kind=checked_kind, status=PeriodStatus.ACTIVE).exists():
            raise LabError.PERIOD_ACTIVE.error(field="kind")
        try:
            with transaction.atomic():
                period = MeasurementPeriod.objects.create(
                    case=case,
                    case_number=case.number,
                    provider_id=case.provider_id,
                    unit_id=case.unit_id,
                    subject_id=case.subject_id,
                    ordered_by=staff,
                    ordered_at=clock.now(),
                    kind=checked_kind,
                    starts_on=today,
                    ends_on=today + dt.timedelta(days=checked_days - 1),
                    days=checked_days,
                    frequency=checked_frequency,
                    after_bronchodilator=bool(after_bronchodilator),
                )
        except IntegrityError:  # a concurrent order of the same kind committed first
            raise LabError.PERIOD_ACTIVE.error(field="kind") from None
        do_record(
            actor,
            AuditEvent.MEASUREMENT_PERIOD_ORDER,
            period,
            subject_person_id=case.subject_id,
            extra={"kind": checked_kind, "days": checked_days},
        )
        when = "morgon och kväll" if checked_frequency == MeasurementFrequency.MORNING_AND_EVENING else "varje morgon"
        after = (
            " Mät också en gång efter att du tagit ditt luftrörsvidgande läkemedel, så som vi kommit överens om."
            if period.after_bronchodilator
            else ""
        )
        _tell_resident(
            actor,
            case,
            f"{PERIOD_ORDER_TEXT[MeasurementKind(checked_kind)]} i {checked_days} dagar, {when}.{after} "
            "Skriv in värdena varje dag under Mina sidor › Remisser och provsvar › Hemmamätning, "
            "eller låt appen till mätaren skicka dem. Dina behandlare ser dem direkt.",
        )
    return period


@dataclass(frozen=True)
class CheckedReading:
    measured_on: dt.date
    slot: str
    pef: int
    fev1_ml: int | None
    fvc_ml: int | None
    after_bronchodilator: bool


def _litres_to_ml(value: Any) -> int | None:
    """'3,25' or 3.25 litres → 3250 ml; None when it is not a number of whole millilitres."""
    text = str(value).strip().replace(",", ".").replace(" ", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) > 1000:
        return None
    ml = number * 1000
    return int(ml) if ml == ml.to_integral_value() else None


def _litre_text(ml: int) -> str:
    return f"{ml / 1000:.1f}".replace(".", ",")


def check_reading(
    period: MeasurementPeriod,
    *,
    measured_on: Any,
    slot: Any,
    pef: Any,
    fev1: Any = None,
    fvc: Any = None,
    after_bronchodilator: bool = False,
) -> CheckedReading:
    """Every value of a reading, each refused with its own message at its field (all of them at once)."""
    errors: dict[str, list[str]] = {}
    first: Any = None

    def refuse(error: Any) -> None:
        nonlocal first
        first = first or error
        errors.setdefault(error.field, []).append(error.message)

    today = clock.today()
    day: dt.date | None
    if isinstance(measured_on, dt.date):
        day = measured_on
    else:
        try:
            day = dt.date.fromisoformat(str(measured_on or "").strip())
        except ValueError:
            day = None
    if day is None or not period.starts_on <= day <= min(period.ends_on, today):
        refuse(
            LabError.READING_DATE.error(
                field="measured_on", start=period.starts_on.isoformat(), end=period.ends_on.isoformat()
            )
        )
    checked_slot = str(slot or "")
    if checked_slot not in period.slots:
        refuse(LabError.READING_SLOT.error(field="slot"))
    if after_bronchodilator and not period.after_bronchodilator:
        refuse(LabError.READING_AFTER_NOT_ASKED.error(field="after_bronchodilator"))
    low, high = PEF_RANGE
    try:
        flow = int(str(pef).strip()) if pef is not None else -1
    except (TypeError, ValueError):
        flow = -1
    if not low <= flow <= high:
        refuse(LabError.READING_PEF.error(field="pef", low=low, high=high))
    volumes: dict[str, int | None] = {"fev1": None, "fvc": None}
    spirometry = period.kind == MeasurementKind.SPIROMETRY
    for name, raw, bounds, error in (
        ("fev1", fev1, FEV1_RANGE_ML, LabError.READING_FEV1),
        ("fvc", fvc, FVC_RANGE_ML, LabError.READING_FVC),
    ):
        given = raw is not None and str(raw).strip() != ""
        # Spirometry needs both; a PEF diary keeps FEV1 when the meter gives it, and never FVC.
        if not spirometry and (name == "fvc" or not given):
            continue
        ml = _litres_to_ml(raw) if given else None
        if ml is None or not bounds[0] <= ml <= bounds[1]:
            refuse(error.error(field=name, low=_litre_text(bounds[0]), high=_litre_text(bounds[1])))
        else:
            volumes[name] = ml
    if volumes["fev1"] is not None and volumes["fvc"] is not None and volumes["fev1"] > volumes["fvc"]:
        refuse(LabError.READING_FEV1_OVER_FVC.error(field="fev1"))
    if first is not None:
        raise first.code.error(field=first.field, errors=errors, **first.params)
    assert day is not None
    return CheckedReading(day, checked_slot, flow, volumes["fev1"], volumes["fvc"], bool(after_bronchodilator))


def do_enter_reading(
    actor: Actor,
    period: MeasurementPeriod,
    *,
    measured_on: Any,
    slot: Any,
    pef: Any,
    fev1: Any = None,
    fvc: Any = None,
    after_bronchodilator: bool = False,
    correction: bool = False,
) -> HomeMeasurement:
    """The resident (or the meter's app, through the API) enters a reading of the period (QA-5).

    One reading per slot of a day (before or after a bronchodilator), kept by
    a database constraint. Nothing is overwritten: a correction is a new row
    marked as correcting the slot's first reading, and the latest one counts.
    A correction of an empty slot, or a second reading without saying it is a
    correction, is refused. When the reading completes the period, its
    practitioners are told at once (the sweep tells them of a period that ends
    incomplete).
    """
    subject = check_resident_subject(actor)
    if period.subject_id != subject.pk:
        raise NotFound(LabError.PERIOD_NOT_FOUND)
    if period.status != PeriodStatus.ACTIVE:
        raise LabError.PERIOD_CLOSED.error()
    checked = check_reading(
        period,
        measured_on=measured_on,
        slot=slot,
        pef=pef,
        fev1=fev1,
        fvc=fvc,
        after_bronchodilator=after_bronchodilator,
    )
    with transaction.atomic():
        locked = MeasurementPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.status != PeriodStatus.ACTIVE:
            raise LabError.PERIOD_CLOSED.error()
        original = (
            HomeMeasurement.objects.filter(
                period=locked,
                measured_on=checked.measured_on,
                slot=checked.slot,
                after_bronchodilator=checked.after_bronchodilator,
                corrects__isnull=True,
            )
            .only("pk")
            .first()
        )
        if original is not None and not correction:
            raise LabError.READING_TAKEN.error(field="slot")
        if original is None and correction:
            raise LabError.READING_NOTHING_TO_CORRECT.error(field="correction")
        reading = HomeMeasurement.objects.create(
            subject_id=subject.pk,
            case_id=locked.case_id,
            kind=locked.kind,
            period=locked,
            pef=checked.pef,
            fev1_ml=checked.fev1_ml,
            fvc_ml=checked.fvc_ml,
            slot=checked.slot,
            after_bronchodilator=checked.after_bronchodilator,
            corrects=original,
            measured_on=checked.measured_on,
            entered_at=clock.now(),
        )
        if locked.case_id is not None:
            Case.objects.filter(pk=locked.case_id).update(staff_unread=True)
        do_record(
            actor,
            AuditEvent.HOME_READING_ENTER,
            reading,
            subject_person_id=subject.pk,
            extra={"period": locked.pk, "correction": original is not None},
        )
        if locked.complete_notified_at is None and _complete_days(locked) >= locked.days:
            _tell_practitioners_of_period(locked, complete=True)
    return reading


def _complete_days(period: MeasurementPeriod) -> int:
    """Days with a reading (before any bronchodilator) in every slot the period asks for: one query."""
    rows = (
        HomeMeasurement.objects.filter(period=period, after_bronchodilator=False, corrects__isnull=True)
        .values_list("measured_on", "slot")
        .distinct()
    )
    slots_by_day: dict[dt.date, set[str]] = {}
    for day, slot in rows:
        slots_by_day.setdefault(day, set()).add(slot)
    wanted = set(period.slots)
    return sum(1 for slots in slots_by_day.values() if slots >= wanted)


def _tell_practitioners_of_period(period: MeasurementPeriod, *, complete: bool) -> None:
    """One in-app notice, once, to who ordered the period and who handles the visit now: write the summary."""
    updated = MeasurementPeriod.objects.filter(pk=period.pk, complete_notified_at__isnull=True).update(
        complete_notified_at=clock.now()
    )
    if not updated:
        return
    case = (
        Case.objects.filter(pk=period.case_id).only("pk", "number", "assigned_to_id").first()
        if period.case_id is not None
        else None
    )
    recipients = {period.ordered_by_id}
    if case is not None and case.assigned_to_id is not None:
        recipients.add(case.assigned_to_id)
    where = f" i ärende {case.number}" if case is not None else f" i ärende {period.case_number}"
    state = "är klar: alla dagar har värden" if complete else "har nått sitt slutdatum"
    notify_staff(
        sorted(recipients),
        NoticeKind.MEASUREMENTS_DONE,
        text=f"Hemmamätningen{where} {state}. Bedöm värdena och skriv sammanfattningen.",
        link=reverse("labs:staff_case", args=[case.pk]) + "#hemmatning" if case is not None else "",
    )


def do_notify_ended_periods() -> int:
    """The sweep's part for practitioners: active periods past their last day whose practitioners have not
    heard yet are announced once (idempotent through `complete_notified_at`). Returns how many."""
    today = clock.today()
    told = 0
    for period in MeasurementPeriod.objects.filter(
        status=PeriodStatus.ACTIVE, ends_on__lt=today, complete_notified_at__isnull=True
    ).order_by("pk"):
        with transaction.atomic():
            _tell_practitioners_of_period(period, complete=False)
        told += 1
    return told


def do_send_measurement_reminders() -> int:
    """The sweep's part for residents (QA-5): during an active period, from REMINDER_FROM Swedish time, a
    resident whose day has an empty slot gets one in-app reminder (never e-mail or SMS: a daily message
    there would be noise, and says nothing anyway). One `MeasurementReminder` per period and day keeps it
    to one however often the sweep runs. Returns how many were sent."""
    local = clock.now().astimezone(STOCKHOLM)
    if local.time() < REMINDER_FROM:
        return 0
    today = local.date()
    periods = list(
        MeasurementPeriod.objects.filter(status=PeriodStatus.ACTIVE, starts_on__lte=today, ends_on__gte=today)
        .exclude(pk__in=MeasurementReminder.objects.filter(day=today).values("period_id"))
        .select_related("subject")
        .order_by("pk")
    )
    filled: dict[int, set[str]] = {}
    for period_id, slot in (
        HomeMeasurement.objects.filter(period__in=periods, measured_on=today, after_bronchodilator=False)
        .values_list("period_id", "slot")
        .distinct()
    ):
        filled.setdefault(period_id, set()).add(slot)
    sent = 0
    for period in periods:
        if filled.get(period.pk, set()) >= set(period.slots):
            continue
        try:
            with transaction.atomic():
                MeasurementReminder.objects.create(period=period, day=today, sent_at=clock.now())
                _remind(period)
        except IntegrityError:  # another sweep reminded this period today
            continue
        sent += 1
    return sent


def _remind(period: MeasurementPeriod) -> None:
    link = reverse("labs:period", args=[period.pk])
    case = Case.objects.filter(pk=period.case_id).first() if period.case_id is not None else None
    people = resident_recipients(case) if case is not None else [period.subject]
    for person in people:
        notify_resident(
            person,
            NoticeKind.MEASUREMENT_REMINDER,
            link=link,
            login_link=link,
            for_child=person.pk != period.subject_id,
            protected=True,  # in-app only: see do_send_measurement_reminders
        )


SUMMARY_REFERENCE_ROOM = 1000


def summary_reference(period: MeasurementPeriod) -> str:
    """The line the summary note carries about the period: what was measured, when, and the figures.

    The note is immutable and outlives the case, so it names its basis in its own text too.
    """
    figures = period_figures(period, period.readings.all(), age=period.subject.age_on(period.starts_on))
    kind = MeasurementKind(period.kind).label
    text = (
        f"Underlag: hemmamätning ({kind}) {period.starts_on.isoformat()}–{period.ends_on.isoformat()}, "
        f"ärende {period.case_number}: {figures.days_with_readings} av {period.days} dagar med värden. "
        f"PEF-variabilitet i medeltal {percent_text(figures.mean_variability)} "
        f"({figures.variability_days} dagar; över {figures.threshold} % talar för astma)."
    )
    rev = figures.reversibility
    if rev is not None:
        verdict = "signifikant" if rev.significant else "ej signifikant"
        text += (
            f" Reversibilitet: FEV1 {rev.increase_ml:+d} ml ({percent_text(rev.increase_percent)}) "
            f"efter luftrörsvidgande, {verdict} (gräns ≥ 12 % och ≥ 200 ml)."
        )
    return f"{text} Källa: {GUIDELINE_SOURCE}."


def do_conclude_measurement_period(
    actor: Actor,
    visit: Visit,
    period: MeasurementPeriod,
    *,
    body: Any,
    diagnosis_codes: Any,
    shared_with_resident: bool = True,
) -> MeasurementPeriod:
    """The practitioner sums up the period in a signed summary note with the diagnosis (QA-5, REC-1).

    The note (records) names the period and its figures in its text and the
    period links the note; both commit together. Shared with the resident
    (VISIT-10), the summary is in Min journal and beside the measurements
    under Mina sidor. The period takes no more readings.
    """
    case = visit.case
    _require_handler(actor, case)
    if period.case_id != case.pk:
        raise NotFound(LabError.PERIOD_NOT_FOUND)
    if period.status != PeriodStatus.ACTIVE:
        raise LabError.PERIOD_CONCLUDED.error()
    errors: dict[str, list[str]] = {}
    first: DomainError | None = None
    limit = NOTE_MAX_LENGTH - SUMMARY_REFERENCE_ROOM
    text = str(body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text or len(text) > limit:
        first = LabError.SUMMARY_BODY.error(field="body", limit=limit)
        errors["body"] = [first.message]
    codes: list[str] = []
    refused: DomainError | None = None
    try:
        codes = check_diagnosis_codes(diagnosis_codes)
        if not codes:
            refused = LabError.SUMMARY_DIAGNOSIS.error(field="diagnosis_codes")
    except DomainError as error:
        if error.code == RecordError.TOO_MANY_DIAGNOSES:
            refused = LabError.SUMMARY_TOO_MANY_CODES.error(field="diagnosis_codes", **error.params)
        else:
            refused = LabError.SUMMARY_UNKNOWN_CODE.error(
                field="diagnosis_codes", diagnosis=error.params.get("diagnosis", "")
            )
    if refused is not None:
        first = first or refused
        errors["diagnosis_codes"] = [refused.message]
    if first is not None:
        raise first.code.error(field=first.field, errors=errors, **first.params)
    with transaction.atomic():
        locked = MeasurementPeriod.objects.select_for_update().select_related("subject").get(pk=period.pk)
        if locked.status != PeriodStatus.ACTIVE:
            raise LabError.PERIOD_CONCLUDED.error()
        note = do_sign_note(
            actor,
            case,
            body=f"{text}\n\n{summary_reference(locked)}",
            kind=NoteKind.SUMMARY,
            diagnosis_codes=codes,
            shared_with_resident=bool(shared_with_resident),
        )
        now = clock.now()
        MeasurementPeriod.objects.filter(pk=locked.pk).update(
            status=PeriodStatus.CONCLUDED, summary_note=note, concluded_at=now
        )
        do_record(
            actor,
            AuditEvent.MEASUREMENT_PERIOD_CONCLUDE,
            locked,
            subject_person_id=case.subject_id,
            extra={"note": note.pk},
        )
        if shared_with_resident:
            _tell_resident(
                actor,
                case,
                "Din behandlare har sammanfattat dina hemmamätningar. Du läser sammanfattningen i Min journal "
                "och bredvid dina värden under Mina sidor › Remisser och provsvar › Hemmamätning.",
            )
    locked.refresh_from_db()
    return locked
