"""Every state change of referrals, lab results and the blood-pressure check (VISIT-6, VISIT-7, VISIT-9, VISIT-11).

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
from vardnav.core.errors import NotFound, PermissionDenied
from vardnav.labs.content import PLACES_BY_CODE, TESTS_BY_CODE
from vardnav.labs.errors import LabError
from vardnav.labs.models import (
    DIASTOLIC_RANGE,
    PULSE_RANGE,
    SYSTOLIC_RANGE,
    CareReferral,
    HomeMeasurement,
    Lab,
    LabChooser,
    LabReferral,
    LabResult,
    PressureVoucher,
    ReferralStatus,
)
from vardnav.labs.pdf import barcode_png
from vardnav.notifications.actions import notify_staff, outside_channels, public_url, written_for
from vardnav.notifications.models import NoticeKind, OutgoingChannel
from vardnav.notifications.outbox import Attachment, queue_message
from vardnav.organizations.models import Profession, Staff
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
