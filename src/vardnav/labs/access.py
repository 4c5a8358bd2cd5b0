"""Fetching referrals, results and measurements for an actor.

Residents see their own (or the child's they act for); a lab result only once
reviewed. Staff reach them through the visit (visits.access: the case
engine's rule for who reads a case, one audited read per viewing). An
integration reaches a referral only of its own provider, by number.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from vardnav.cases.actions import check_resident_subject
from vardnav.cases.models import Case
from vardnav.core.actor import Actor
from vardnav.core.errors import NotFound
from vardnav.labs.errors import LabError
from vardnav.labs.models import (
    CareReferral,
    HomeMeasurement,
    Lab,
    LabReferral,
    LabResult,
    MeasurementKind,
    MeasurementPeriod,
    PressureVoucher,
)

LIST_LIMIT = 50


def lab_directory(town: str = "") -> QuerySet[Lab]:
    """The active labs, by town and name (one query); optionally one town's."""
    labs = Lab.objects.filter(is_active=True).order_by("town", "name")
    return labs.filter(town__iexact=town.strip()) if town.strip() else labs


def lab_towns() -> list[str]:
    return list(Lab.objects.filter(is_active=True).order_by("town").values_list("town", flat=True).distinct())


def access_lab(lab_id: int) -> Lab:
    lab = Lab.objects.filter(pk=lab_id, is_active=True).first()
    if lab is None:
        raise NotFound(LabError.LAB_NOT_FOUND)
    return lab


def access_lab_by_code(code: str) -> Lab:
    lab = Lab.objects.filter(code=code, is_active=True).first()
    if lab is None:
        raise NotFound(LabError.LAB_NOT_FOUND)
    return lab


# --- the resident ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentReferrals:
    lab_referrals: list[LabReferral]
    care_referrals: list[CareReferral]
    vouchers: list[PressureVoucher]
    measurements: list[HomeMeasurement]


def resident_referrals(actor: Actor) -> ResidentReferrals:
    """The subject's referrals (with reviewed results), referral letters, codes and measurements: four queries."""
    subject = check_resident_subject(actor)
    lab_referrals = list(
        LabReferral.objects.filter(subject_id=subject.pk)
        .select_related("lab", "unit", "issued_by", "result")
        .order_by("-issued_at", "-id")[:LIST_LIMIT]
    )
    care = list(
        CareReferral.objects.filter(subject_id=subject.pk)
        .select_related("unit", "issued_by")
        .order_by("-issued_at", "-id")[:LIST_LIMIT]
    )
    vouchers = list(PressureVoucher.objects.filter(subject_id=subject.pk).order_by("-issued_at", "-id")[:LIST_LIMIT])
    measurements = list(
        HomeMeasurement.objects.filter(subject_id=subject.pk, kind=MeasurementKind.BLOOD_PRESSURE).order_by(
            "-measured_on", "-id"
        )[:LIST_LIMIT]
    )
    return ResidentReferrals(lab_referrals, care, vouchers, measurements)


def reviewed_result(referral: LabReferral) -> LabResult | None:
    """What the resident may see of the result: nothing until the practitioner has reviewed it."""
    try:
        result = referral.result
    except LabResult.DoesNotExist:
        return None
    return result if result.reviewed_at is not None else None


def access_lab_referral_for_resident(actor: Actor, referral_id: int) -> LabReferral:
    subject = check_resident_subject(actor)
    referral = (
        LabReferral.objects.select_related("lab", "unit", "provider", "issued_by", "subject")
        .filter(pk=referral_id, subject_id=subject.pk)
        .first()
    )
    if referral is None:
        raise NotFound(LabError.REFERRAL_NOT_FOUND)
    return referral


def access_care_referral_for_resident(actor: Actor, referral_id: int) -> CareReferral:
    subject = check_resident_subject(actor)
    referral = (
        CareReferral.objects.select_related("unit", "provider", "issued_by", "subject")
        .filter(pk=referral_id, subject_id=subject.pk)
        .first()
    )
    if referral is None:
        raise NotFound(LabError.CARE_REFERRAL_NOT_FOUND)
    return referral


# --- staff, on the visit's case -----------------------------------------------------------------------


@dataclass(frozen=True)
class CaseReferrals:
    lab_referrals: list[LabReferral]
    care_referrals: list[CareReferral]
    vouchers: list[PressureVoucher]
    measurements: list[HomeMeasurement]


def case_referrals(case: Case) -> CaseReferrals:
    """What the visit has: referrals with results, letters, codes and measurements (four queries)."""
    return CaseReferrals(
        list(
            LabReferral.objects.filter(case=case)
            .select_related("lab", "issued_by", "result", "result__reviewed_by")
            .order_by("-issued_at", "-id")
        ),
        list(CareReferral.objects.filter(case=case).select_related("issued_by").order_by("-issued_at", "-id")),
        list(PressureVoucher.objects.filter(case=case).order_by("-issued_at", "-id")),
        list(
            HomeMeasurement.objects.filter(case=case, kind=MeasurementKind.BLOOD_PRESSURE).order_by(
                "-measured_on", "-id"
            )
        ),
    )


def unreviewed_result_count(case: Case) -> int:
    """VISIT-6: results of the case's referrals that the practitioner has not reviewed yet (one query)."""
    return LabResult.objects.filter(referral__case=case, reviewed_at__isnull=True).count()


def result_of_case(case: Case, result_id: int) -> LabResult:
    """A result of a referral written on this case (the case came through the engine's access rule)."""
    result = LabResult.objects.select_related("referral").filter(pk=result_id, referral__case=case).first()
    if result is None:
        raise NotFound(LabError.RESULT_NOT_FOUND)
    return result


# --- home measurement periods (QA-5) ------------------------------------------------------------------


def resident_periods(actor: Actor) -> list[MeasurementPeriod]:
    """The subject's measurement periods, newest first, with their unit (one query)."""
    subject = check_resident_subject(actor)
    return list(
        MeasurementPeriod.objects.filter(subject_id=subject.pk)
        .select_related("unit")
        .order_by("-ordered_at", "-id")[:LIST_LIMIT]
    )


def access_period_for_resident(actor: Actor, period_id: int) -> MeasurementPeriod:
    """One of the subject's periods; another's is the same 404 as none."""
    subject = check_resident_subject(actor)
    period = (
        MeasurementPeriod.objects.select_related("unit", "subject", "summary_note", "summary_note__author")
        .filter(pk=period_id, subject_id=subject.pk)
        .first()
    )
    if period is None:
        raise NotFound(LabError.PERIOD_NOT_FOUND)
    return period


def period_readings(period: MeasurementPeriod) -> list[HomeMeasurement]:
    """Every reading of the period, corrections included, by day (one query)."""
    return list(HomeMeasurement.objects.filter(period=period).order_by("measured_on", "entered_at", "id"))


def case_periods(case: Case) -> list[MeasurementPeriod]:
    """The visit's periods with their readings and summary notes (two queries, however many)."""
    return list(
        MeasurementPeriod.objects.filter(case=case)
        .select_related("ordered_by", "subject", "summary_note")
        .prefetch_related("readings")
        .order_by("-ordered_at", "-id")
    )


def period_of_case(case: Case, period_id: int) -> MeasurementPeriod:
    """A period ordered on this case (the case came through the engine's access rule)."""
    period = MeasurementPeriod.objects.filter(pk=period_id, case=case).first()
    if period is None:
        raise NotFound(LabError.PERIOD_NOT_FOUND)
    return period


def periods_to_summarise(case: Case) -> int:
    """Periods of the case that are complete or over and still have no summary (one query)."""
    return MeasurementPeriod.objects.filter(case=case, status="active", complete_notified_at__isnull=False).count()


# --- integrations ---------------------------------------------------------------------------------------


def referral_for_integration(actor: Actor, number: str) -> LabReferral:
    """A referral of the token's provider by its number; another provider's is the same 404 as none."""
    referral = (
        LabReferral.objects.select_related("lab")
        .filter(number=str(number).strip().upper(), provider_id=actor.provider_id)
        .first()
    )
    if actor.provider_id is None or referral is None:
        raise NotFound(LabError.REFERRAL_NOT_FOUND)
    return referral
