"""Issuing certificates on a case: sick notes (CERT-1, CERT-2) and certificates that care was sought.

Each do_* checks permission, runs in one transaction and writes its audit
entry in it. Nothing is sent anywhere (CERT-3): the certificate is stored
for the resident, who downloads the PDF and sends it on themselves.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import IntegrityError, transaction

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.cases.models import Case
from vardnav.certificates.errors import CertificateError
from vardnav.certificates.models import (
    Certificate,
    CertificateKind,
    CertificatePolicy,
    WorkReduction,
)
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import PermissionDenied
from vardnav.organizations.models import CareProvider, Profession, Staff

STATEMENT_MAX = 2000
NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def policy_for(provider: CareProvider) -> CertificatePolicy:
    """The provider's certificate policy, or the defaults (14 days) when it has set none."""
    return CertificatePolicy.objects.filter(provider=provider).first() or CertificatePolicy(provider=provider)


def care_sought_on(case: Case) -> dt.date:
    """The day the resident sought care: the case's submission day in Sweden."""
    return case.submitted_at.astimezone(STOCKHOLM).date()


def _require_doctor(actor: Actor, case: Case) -> Staff:
    """CERT-1: always the decision of the doctor who handles the case."""
    if actor.staff_id is None or case.assigned_to_id != actor.staff_id:
        raise PermissionDenied(CertificateError.NOT_A_DOCTOR)
    staff = Staff.objects.get(pk=actor.staff_id)
    if staff.profession != Profession.DOCTOR:
        raise PermissionDenied(CertificateError.NOT_A_DOCTOR)
    return staff


def _check_date(value: Any, *, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise CertificateError.INVALID_DATE.error(field=field) from None


def _check_statement(value: Any) -> str:
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text or len(text) > STATEMENT_MAX:
        raise CertificateError.STATEMENT_REQUIRED.error(field="statement", limit=STATEMENT_MAX)
    return text


def check_sick_leave(case: Case, *, sick_from: Any, sick_to: Any, ongoing_sick_leave: bool) -> tuple[dt.date, dt.date]:
    """CERT-2: from the day care was sought at the earliest, at most the policy's days, never an extension."""
    start = _check_date(sick_from, field="sick_from")
    end = _check_date(sick_to, field="sick_to")
    sought = care_sought_on(case)
    if start < sought:
        raise CertificateError.BACKDATED.error(field="sick_from", date=sought.isoformat())
    if end < start:
        raise CertificateError.END_BEFORE_START.error(field="sick_to")
    days = (end - start).days + 1
    limit = policy_for(case.provider).sick_note_max_days
    if days > limit:
        raise CertificateError.TOO_LONG.error(field="sick_to", limit=limit, days=days)
    continues_earlier = Certificate.objects.filter(
        subject_id=case.subject_id,
        provider_id=case.provider_id,
        kind=CertificateKind.SICK_NOTE,
        sick_to__gte=start - dt.timedelta(days=1),
        sick_from__lte=end,
    ).exists()
    if ongoing_sick_leave or continues_earlier:
        raise CertificateError.EXTENSION.error(field="ongoing_sick_leave")
    return start, end


def _insert(**fields: Any) -> Certificate:
    for _attempt in range(5):
        raw = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
        try:
            with transaction.atomic():
                return Certificate.objects.create(number=f"{raw[:4]}-{raw[4:]}", **fields)
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a unique certificate number")


def do_issue_sick_note(
    actor: Actor,
    case: Case,
    *,
    sick_from: Any,
    sick_to: Any,
    reduction: Any,
    statement: Any,
    no_physical_examination_needed: bool,
    ongoing_sick_leave: bool,
) -> Certificate:
    """A sick note (läkarintyg för sjukpenning) on the case, by its doctor (CERT-1, CERT-2)."""
    doctor = _require_doctor(actor, case)
    if not no_physical_examination_needed:
        raise CertificateError.ATTESTATION_REQUIRED.error(field="no_physical_examination_needed")
    start, end = check_sick_leave(case, sick_from=sick_from, sick_to=sick_to, ongoing_sick_leave=ongoing_sick_leave)
    if reduction not in WorkReduction.values:
        raise CertificateError.REDUCTION_REQUIRED.error(field="reduction")
    text = _check_statement(statement)
    with transaction.atomic():
        certificate = _insert(
            kind=CertificateKind.SICK_NOTE,
            case=case,
            case_number=case.number,
            provider_id=case.provider_id,
            unit_id=case.unit_id,
            subject_id=case.subject_id,
            issued_by=doctor,
            issued_at=clock.now(),
            care_sought_on=care_sought_on(case),
            sick_from=start,
            sick_to=end,
            reduction=reduction,
            statement=text,
            no_physical_examination_needed=True,
        )
        do_record(actor, AuditEvent.CERTIFICATE_ISSUE, certificate, subject_person_id=case.subject_id)
    return certificate


def do_issue_care_certificate(actor: Actor, case: Case, *, statement: Any) -> Certificate:
    """A certificate that the resident sought care (intyg om att ha sökt vård), by the case's doctor."""
    doctor = _require_doctor(actor, case)
    text = _check_statement(statement)
    with transaction.atomic():
        certificate = _insert(
            kind=CertificateKind.CARE_SOUGHT,
            case=case,
            case_number=case.number,
            provider_id=case.provider_id,
            unit_id=case.unit_id,
            subject_id=case.subject_id,
            issued_by=doctor,
            issued_at=clock.now(),
            care_sought_on=care_sought_on(case),
            statement=text,
        )
        do_record(actor, AuditEvent.CERTIFICATE_ISSUE, certificate, subject_person_id=case.subject_id)
    return certificate
