"""Referrals and results in /api/v1: the lab directory, the resident's referrals and PDFs and measurements,
the practitioner's referrals, reviews and codes on a visit, and what labs and pharmacies post.

Home measurement periods (QA-5): the resident's app (or a home spirometer's
app acting with the resident's login) reads the periods and sends readings
under `/me/home-measurements…`, idempotent with an `Idempotency-Key` like the
case API; the practitioner orders a period, reads its figures and concludes it
with the signed summary under `/staff/cases/{case_id}/measurement-periods…`.

A lab posts a result for a referral number with a bearer token of the
referring provider (scope `labs:results`); posting the same result again
returns it unchanged (200), a different one is refused (409). A partner
pharmacy checks and uses a blood-pressure code (scope `labs:pressure-vouchers`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Field, Router, Schema
from ninja.params.functions import Header, Path, Query
from ninja.responses import Status

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.cases.actions import check_resident_subject
from vardnav.cases.case_routes import case_id_path, staff_case_post
from vardnav.core import clock
from vardnav.core.http import ApiRequest
from vardnav.core.idempotency import Outcome, run_idempotent
from vardnav.core.ids import MAX_ID
from vardnav.identity.api_auth import resident_auth, staff_auth
from vardnav.integrations.api import IntegrationTokenAuth
from vardnav.integrations.models import IntegrationScope
from vardnav.labs import access, actions, figures
from vardnav.labs.content import TESTS, WHERE_TO_TURN
from vardnav.labs.models import (
    CareReferral,
    HomeMeasurement,
    Lab,
    LabReferral,
    LabResult,
    MeasurementFrequency,
    MeasurementPeriod,
    MeasurementSlot,
    PressureVoucher,
)
from vardnav.labs.pdf import render_care_referral, render_lab_referral
from vardnav.visits.access import access_visit_for_staff, access_visit_to_handle

router = Router(tags=["labs"])
lab_results_auth = IntegrationTokenAuth(IntegrationScope.LAB_RESULTS)
pressure_vouchers_auth = IntegrationTokenAuth(IntegrationScope.PRESSURE_VOUCHERS)
TestCode = Literal[tuple(test["code"] for test in TESTS)]  # type: ignore[valid-type]
PlaceCode = Literal[tuple(place["code"] for place in WHERE_TO_TURN)]  # type: ignore[valid-type]
PDF_RESPONSE = {"responses": {200: {"content": {"application/pdf": {}}, "description": "The PDF"}}}


class LabOut(Schema):
    id: int
    code: str
    name: str
    town: str
    street_address: str
    postal_code: str
    phone: str
    opening_hours: str
    drop_in: bool


class LabValueOut(Schema):
    code: str
    value: str
    unit: str
    reference: str
    abnormal: bool


class ResidentLabResultOut(Schema):
    values: list[LabValueOut]
    comment: str
    reviewed_at: dt.datetime


class ResidentLabReferralOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    issued_at: dt.datetime
    unit: str
    tests: list[str]
    lab: LabOut | None
    result: ResidentLabResultOut | None


class CareReferralOut(Schema):
    id: int
    number: str
    recipient: str
    issued_at: dt.datetime
    unit: str


class ResidentReferralsOut(Schema):
    lab_referrals: list[ResidentLabReferralOut]
    care_referrals: list[CareReferralOut]


class ChooseLabIn(Schema):
    lab_id: int = Field(ge=1, le=MAX_ID)


class HomeMeasurementIn(Schema):
    systolic: int = Field(ge=0, le=1000)
    diastolic: int = Field(ge=0, le=1000)
    pulse: int = Field(ge=0, le=1000)
    measured_on: dt.date


class HomeMeasurementOut(Schema):
    id: int
    systolic: int
    diastolic: int
    pulse: int
    measured_on: dt.date


class StaffLabResultOut(Schema):
    id: int
    values: list[LabValueOut]
    lab_comment: str
    received_at: dt.datetime
    reviewed_at: dt.datetime | None
    review_comment: str


class StaffLabReferralOut(Schema):
    id: int
    number: str
    status: str
    issued_at: dt.datetime
    tests: list[str]
    question: str
    lab: LabOut | None
    lab_chosen_by: str
    result: StaffLabResultOut | None


class PressureVoucherOut(Schema):
    id: int
    issued_at: dt.datetime
    expires_at: dt.datetime
    emailed: bool
    redeemed_at: dt.datetime | None


class CaseReferralsOut(Schema):
    lab_referrals: list[StaffLabReferralOut]
    care_referrals: list[CareReferralOut]
    pressure_vouchers: list[PressureVoucherOut]
    home_measurements: list[HomeMeasurementOut]


class LabReferralIn(Schema):
    tests: list[TestCode] = Field(min_length=1, max_length=len(TESTS))  # type: ignore[valid-type]
    question: str = Field("", max_length=actions.QUESTION_MAX)
    lab_id: int | None = Field(None, ge=1, le=MAX_ID, description="Chosen with the resident; else the resident chooses")


class LabReviewIn(Schema):
    comment: str = Field(min_length=1, max_length=actions.REVIEW_MAX, pattern=r"\S")
    offer_revisit_days: int | None = Field(None, ge=1, le=90, description="Offer a revisit to go through the result")


class CareReferralIn(Schema):
    recipient: str = Field(min_length=1, max_length=actions.RECIPIENT_MAX, pattern=r"\S")
    reason: str = Field(min_length=1, max_length=actions.REASON_MAX, pattern=r"\S")


class WhereToTurnIn(Schema):
    place: PlaceCode  # type: ignore[valid-type]
    note: str = Field("", max_length=5000)


class WhereToTurnOut(Schema):
    message_id: int


class PostedLabValueIn(Schema):
    code: str = Field(min_length=1, max_length=20)
    value: str = Field(min_length=1, max_length=actions.RESULT_VALUE_MAX)
    unit: str = Field("", max_length=20)
    reference: str = Field("", max_length=40)
    abnormal: bool = False


class LabResultIn(Schema):
    referral_number: str = Field(min_length=1, max_length=12)
    lab_code: str = Field(min_length=1, max_length=40)
    results: list[PostedLabValueIn] = Field(min_length=1, max_length=50)
    comment: str = Field("", max_length=1000)


class LabResultReceivedOut(Schema):
    referral_number: str
    status: str
    received_at: dt.datetime


class VoucherRedeemIn(Schema):
    code: str = Field(min_length=1, max_length=20, description="The 12 digits under the barcode")


class VoucherRedeemedOut(Schema):
    valid: bool
    redeemed_at: dt.datetime


def _lab(lab: Lab | None) -> dict[str, Any] | None:
    if lab is None:
        return None
    fields = ("id", "code", "name", "town", "street_address", "postal_code", "phone", "opening_hours", "drop_in")
    return {name: getattr(lab, "pk" if name == "id" else name) for name in fields}


def _care(referral: CareReferral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "number": referral.number,
        "recipient": referral.recipient,
        "issued_at": referral.issued_at,
        "unit": referral.unit.name,
    }


def _measurement(each: HomeMeasurement) -> dict[str, Any]:
    return {
        "id": each.pk,
        "systolic": each.systolic,
        "diastolic": each.diastolic,
        "pulse": each.pulse,
        "measured_on": each.measured_on,
    }


def _staff_result(result: LabResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "id": result.pk,
        "values": result.values,
        "lab_comment": result.lab_comment,
        "received_at": result.received_at,
        "reviewed_at": result.reviewed_at,
        "review_comment": result.review_comment,
    }


def _result_of(referral: LabReferral) -> LabResult | None:
    try:
        return referral.result
    except LabResult.DoesNotExist:
        return None


def _staff_referral(referral: LabReferral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "number": referral.number,
        "status": referral.status,
        "issued_at": referral.issued_at,
        "tests": referral.tests,
        "question": referral.question,
        "lab": _lab(referral.lab),
        "lab_chosen_by": referral.lab_chosen_by,
        "result": _staff_result(_result_of(referral)),
    }


def _voucher(voucher: PressureVoucher) -> dict[str, Any]:
    return {
        "id": voucher.pk,
        "issued_at": voucher.issued_at,
        "expires_at": voucher.expires_at,
        "emailed": voucher.emailed,
        "redeemed_at": voucher.redeemed_at,
    }


# --- the directory and the resident ---------------------------------------------------------------------


@router.get("/labs", response=list[LabOut], auth=resident_auth, summary="Labs to choose from (provtagningsställen)")
def lab_directory(request: ApiRequest, town: str = Query("", max_length=60)) -> list[dict[str, Any] | None]:
    return [_lab(lab) for lab in access.lab_directory(town)]


@router.get("/me/referrals", response=ResidentReferralsOut, auth=resident_auth, summary="My referrals and lab results")
def my_referrals(request: ApiRequest) -> dict[str, Any]:
    found = access.resident_referrals(request.auth)
    rows = []
    for referral in found.lab_referrals:
        result = access.reviewed_result(referral)
        rows.append(
            {
                "id": referral.pk,
                "number": referral.number,
                "status": referral.status,
                "status_label": referral.get_status_display(),
                "issued_at": referral.issued_at,
                "unit": referral.unit.name,
                "tests": referral.tests,
                "lab": _lab(referral.lab),
                # A result reaches the resident only once the practitioner has reviewed it.
                "result": None
                if result is None
                else {"values": result.values, "comment": result.review_comment, "reviewed_at": result.reviewed_at},
            }
        )
    return {"lab_referrals": rows, "care_referrals": [_care(each) for each in found.care_referrals]}


@router.post(
    "/me/lab-referrals/{referral_id}/lab",
    response=ResidentLabReferralOut,
    auth=resident_auth,
    summary="Choose the lab for a referral",
)
def choose_lab(
    request: ApiRequest, payload: ChooseLabIn, referral_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    referral = access.access_lab_referral_for_resident(request.auth, referral_id)
    referral = actions.do_choose_lab(request.auth, referral, access.access_lab(payload.lab_id))
    return {
        "id": referral.pk,
        "number": referral.number,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "issued_at": referral.issued_at,
        "unit": referral.unit.name,
        "tests": referral.tests,
        "lab": _lab(referral.lab),
        "result": None,
    }


@router.get(
    "/me/lab-referrals/{referral_id}/pdf",
    auth=resident_auth,
    summary="A referral for tests as a PDF",
    response={200: None},
    openapi_extra=PDF_RESPONSE,
)
def lab_referral_pdf(request: ApiRequest, referral_id: int = Path(..., ge=1, le=MAX_ID)) -> HttpResponse:
    referral = access.access_lab_referral_for_resident(request.auth, referral_id)
    body = render_lab_referral(referral)
    do_record(request.auth, AuditEvent.LAB_REFERRAL_DOWNLOAD, referral, subject_person_id=referral.subject_id)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="remiss-{referral.number}.pdf"'
    return response


@router.get(
    "/me/care-referrals/{referral_id}/pdf",
    auth=resident_auth,
    summary="A referral letter to another care provider as a PDF",
    response={200: None},
    openapi_extra=PDF_RESPONSE,
)
def care_referral_pdf(request: ApiRequest, referral_id: int = Path(..., ge=1, le=MAX_ID)) -> HttpResponse:
    referral = access.access_care_referral_for_resident(request.auth, referral_id)
    body = render_care_referral(referral)
    do_record(request.auth, AuditEvent.CARE_REFERRAL_DOWNLOAD, referral, subject_person_id=referral.subject_id)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="remiss-{referral.number}.pdf"'
    return response


@router.post(
    "/me/blood-pressure",
    response={201: HomeMeasurementOut},
    auth=resident_auth,
    summary="Enter a blood-pressure measurement (VISIT-11)",
)
def enter_measurement(request: ApiRequest, payload: HomeMeasurementIn) -> Status[dict[str, Any]]:
    measurement = actions.do_enter_home_measurement(
        request.auth,
        systolic=payload.systolic,
        diastolic=payload.diastolic,
        pulse=payload.pulse,
        measured_on=payload.measured_on,
    )
    return Status(201, _measurement(measurement))


# --- the practitioner, on a digital visit --------------------------------------------------------------------


@router.get(
    "/staff/cases/{case_id}/referrals",
    response=CaseReferralsOut,
    auth=staff_auth,
    summary="A visit's referrals, results, codes and measurements",
)
def case_referrals(request: ApiRequest, case_id: int = case_id_path()) -> dict[str, Any]:
    visit = access_visit_for_staff(request.auth, case_id)
    found = access.case_referrals(visit.case)
    return {
        "lab_referrals": [_staff_referral(each) for each in found.lab_referrals],
        "care_referrals": [{**_care(each), "unit": visit.case.unit.name} for each in found.care_referrals],
        "pressure_vouchers": [_voucher(each) for each in found.vouchers],
        "home_measurements": [_measurement(each) for each in found.measurements],
    }


@staff_case_post(
    router, "/staff/cases/{case_id}/lab-referrals", response=StaffLabReferralOut, summary="Write a referral for tests"
)
def write_lab_referral(
    request: ApiRequest, payload: LabReferralIn, case_id: int = case_id_path()
) -> Status[dict[str, Any]]:
    visit = access_visit_to_handle(request.auth, case_id)
    lab = access.access_lab(payload.lab_id) if payload.lab_id is not None else None
    referral = actions.do_write_lab_referral(
        request.auth, visit, tests=payload.tests, question=payload.question, lab=lab
    )
    return Status(201, _staff_referral(referral))


@staff_case_post(
    router,
    "/staff/cases/{case_id}/lab-results/{result_id}/review",
    response=StaffLabResultOut,
    status=200,
    summary="Review a lab result (the resident then sees it)",
)
def review_lab_result(
    request: ApiRequest,
    payload: LabReviewIn,
    case_id: int = case_id_path(),
    result_id: int = Path(..., ge=1, le=MAX_ID),
) -> dict[str, Any] | None:
    visit = access_visit_to_handle(request.auth, case_id)
    result = access.result_of_case(visit.case, result_id)
    result = actions.do_review_lab_result(
        request.auth, visit, result, comment=payload.comment, offer_revisit_days=payload.offer_revisit_days
    )
    return _staff_result(result)


@staff_case_post(
    router, "/staff/cases/{case_id}/care-referrals", response=CareReferralOut, summary="Refer to another care provider"
)
def write_care_referral(
    request: ApiRequest, payload: CareReferralIn, case_id: int = case_id_path()
) -> Status[dict[str, Any]]:
    visit = access_visit_to_handle(request.auth, case_id)
    referral = actions.do_write_care_referral(request.auth, visit, recipient=payload.recipient, reason=payload.reason)
    return Status(201, {**_care(referral), "unit": visit.case.unit.name})


@staff_case_post(
    router, "/staff/cases/{case_id}/where-to-turn", response=WhereToTurnOut, summary="Advise where to turn"
)
def where_to_turn(request: ApiRequest, payload: WhereToTurnIn, case_id: int = case_id_path()) -> Status[dict[str, Any]]:
    visit = access_visit_to_handle(request.auth, case_id)
    message = actions.do_advise_where_to_turn(request.auth, visit, place=payload.place, note=payload.note)
    return Status(201, {"message_id": message.pk})


@router.post(
    "/staff/cases/{case_id}/pressure-vouchers",
    response={201: PressureVoucherOut},
    auth=staff_auth,
    summary="Send a code for a free blood-pressure measurement at a pharmacy",
)
def send_pressure_voucher(request: ApiRequest, case_id: int = case_id_path()) -> Status[dict[str, Any]]:
    visit = access_visit_to_handle(request.auth, case_id)
    return Status(201, _voucher(actions.do_send_pressure_voucher(request.auth, visit)))


# --- home measurement periods (QA-5) -------------------------------------------------------------------------

OrderableKind = Literal[tuple(kind.value for kind in actions.ORDERABLE_KINDS)]  # type: ignore[valid-type]
FrequencyCode = Literal[tuple(MeasurementFrequency.values)]  # type: ignore[valid-type]
SlotCode = Literal[tuple(MeasurementSlot.values)]  # type: ignore[valid-type]


class ReadingOut(Schema):
    id: int
    measured_on: dt.date
    slot: str
    after_bronchodilator: bool
    pef: int | None = Field(description="litres per minute")
    fev1_ml: int | None
    fvc_ml: int | None
    corrects_id: int | None = Field(description="the reading this one corrects; the latest correction counts")
    entered_at: dt.datetime


class PeriodOut(Schema):
    id: int
    case_number: str
    kind: str
    kind_label: str
    status: str
    starts_on: dt.date
    ends_on: dt.date
    days: int
    frequency: str
    slots: list[str]
    after_bronchodilator: bool
    day_number: int = Field(description="today's day of the period, 'dag 5 av 14'")
    complete_days: int
    readings: list[ReadingOut]


class ReversibilityOut(Schema):
    day: dt.date
    slot: str
    before_ml: int
    after_ml: int
    increase_ml: int
    increase_percent: float
    significant: bool = Field(description="FEV1 up by at least 12 % and 200 ml (ERS/ATS 2005)")


class StaffPeriodOut(PeriodOut):
    mean_pef_variability_percent: float | None = Field(
        description="mean diurnal PEF variability: (max − min) / mean per day, averaged (GINA 2024, Box 1-2)"
    )
    variability_days: int
    variability_threshold_percent: float = Field(description="above it supports asthma: 10 adults, 13 children")
    reversibility: ReversibilityOut | None
    summary_note_id: int | None


class ReadingIn(Schema):
    measured_on: dt.date
    slot: SlotCode  # type: ignore[valid-type]
    pef: int | None = Field(None, ge=0, le=10_000, description="litres per minute")
    fev1_litres: float | None = Field(None, ge=0, le=100)
    fvc_litres: float | None = Field(None, ge=0, le=100)
    after_bronchodilator: bool = False
    correction: bool = Field(False, description="a new reading that corrects the slot's earlier one")


class PeriodOrderIn(Schema):
    kind: OrderableKind  # type: ignore[valid-type]
    days: int = Field(actions.DEFAULT_PERIOD_DAYS, ge=1, le=366)
    frequency: FrequencyCode = MeasurementFrequency.MORNING_AND_EVENING  # type: ignore[valid-type]
    after_bronchodilator: bool = False


class PeriodSummaryIn(Schema):
    body: str = Field(min_length=1, max_length=20_000)
    diagnosis_codes: list[str] = Field(min_length=1, max_length=10, description="ICD-10-SE, e.g. J45.9")
    shared_with_resident: bool = True


class PeriodSummaryOut(Schema):
    period_id: int
    status: str
    summary_note_id: int


def _reading(each: HomeMeasurement) -> dict[str, Any]:
    return {
        "id": each.pk,
        "measured_on": each.measured_on,
        "slot": each.slot,
        "after_bronchodilator": each.after_bronchodilator,
        "pef": each.pef,
        "fev1_ml": each.fev1_ml,
        "fvc_ml": each.fvc_ml,
        "corrects_id": each.corrects_id,
        "entered_at": each.entered_at,
    }


def _period(period: MeasurementPeriod, readings: list[HomeMeasurement], *, staff: bool = False) -> dict[str, Any]:
    counted = figures.period_figures(period, readings, age=period.subject.age_on(period.starts_on))
    body: dict[str, Any] = {
        "id": period.pk,
        "case_number": period.case_number,
        "kind": period.kind,
        "kind_label": period.get_kind_display(),
        "status": period.status,
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "days": period.days,
        "frequency": period.frequency,
        "slots": period.slots,
        "after_bronchodilator": period.after_bronchodilator,
        "day_number": figures.day_number(period, clock.today()),
        "complete_days": counted.complete_days,
        "readings": [_reading(each) for each in readings],
    }
    if staff:
        rev = counted.reversibility
        body |= {
            "mean_pef_variability_percent": float(counted.mean_variability)
            if counted.mean_variability is not None
            else None,
            "variability_days": counted.variability_days,
            "variability_threshold_percent": float(counted.threshold),
            "reversibility": None if rev is None else {**vars(rev), "increase_percent": float(rev.increase_percent)},
            "summary_note_id": period.summary_note_id,
        }
    return body


@router.get(
    "/me/home-measurements",
    response=list[PeriodOut],
    auth=resident_auth,
    summary="My home measurement periods with their readings (QA-5)",
)
def my_periods(request: ApiRequest) -> list[dict[str, Any]]:
    periods = access.resident_periods(request.auth)
    readings: dict[int, list[HomeMeasurement]] = {}
    for each in HomeMeasurement.objects.filter(period__in=periods).order_by("measured_on", "entered_at", "id"):
        readings.setdefault(each.period_id or 0, []).append(each)
    subject = check_resident_subject(request.auth)
    for period in periods:
        period.subject = subject
    return [_period(period, readings.get(period.pk, [])) for period in periods]


@router.get(
    "/me/home-measurements/{period_id}",
    response=PeriodOut,
    auth=resident_auth,
    summary="One home measurement period (QA-5)",
)
def my_period(request: ApiRequest, period_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    period = access.access_period_for_resident(request.auth, period_id)
    return _period(period, access.period_readings(period))


@router.post(
    "/me/home-measurements/{period_id}/readings",
    response={201: ReadingOut},
    auth=resident_auth,
    summary="Send a reading of a home measurement period (QA-5)",
    description="Idempotent with an Idempotency-Key: a retry with the same key and body returns the first answer "
    "and saves nothing more. A second reading of the same slot is 409 unless `correction` is true.",
)
def enter_reading(
    request: ApiRequest,
    payload: ReadingIn,
    period_id: int = Path(..., ge=1, le=MAX_ID),
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    period = access.access_period_for_resident(request.auth, period_id)

    def perform() -> Outcome:
        reading = actions.do_enter_reading(
            request.auth,
            period,
            measured_on=payload.measured_on,
            slot=payload.slot,
            pef=payload.pef,
            fev1=payload.fev1_litres,
            fvc=payload.fvc_litres,
            after_bronchodilator=payload.after_bronchodilator,
            correction=payload.correction,
        )
        body = _reading(reading)
        return 201, {
            **body,
            "measured_on": reading.measured_on.isoformat(),
            "entered_at": reading.entered_at.isoformat(),
        }

    result = run_idempotent(
        request.auth,
        idempotency_key,
        "labs.reading",
        {"period": period.pk, **payload.dict()},
        perform,
        rerun_safe=True,
    )
    return Status(result.status, result.body)


@router.get(
    "/staff/cases/{case_id}/measurement-periods",
    response=list[StaffPeriodOut],
    auth=staff_auth,
    summary="A visit's home measurement periods with their readings and figures (QA-5)",
)
def case_periods(request: ApiRequest, case_id: int = case_id_path()) -> list[dict[str, Any]]:
    visit = access_visit_for_staff(request.auth, case_id)
    return [
        _period(each, sorted(each.readings.all(), key=lambda r: (r.measured_on, r.entered_at, r.pk)), staff=True)
        for each in access.case_periods(visit.case)
    ]


@staff_case_post(
    router,
    "/staff/cases/{case_id}/measurement-periods",
    response=StaffPeriodOut,
    summary="Order a home measurement period: PEF diary or home spirometry (QA-5)",
)
def order_period(request: ApiRequest, payload: PeriodOrderIn, case_id: int = case_id_path()) -> Status[dict[str, Any]]:
    visit = access_visit_to_handle(request.auth, case_id)
    period = actions.do_order_measurement_period(
        request.auth,
        visit,
        kind=payload.kind,
        days=payload.days,
        frequency=payload.frequency,
        after_bronchodilator=payload.after_bronchodilator,
    )
    return Status(201, _period(period, [], staff=True))


@staff_case_post(
    router,
    "/staff/cases/{case_id}/measurement-periods/{period_id}/summary",
    response=PeriodSummaryOut,
    summary="Conclude a period with a signed summary note and its diagnosis (QA-5)",
)
def conclude_period(
    request: ApiRequest,
    payload: PeriodSummaryIn,
    case_id: int = case_id_path(),
    period_id: int = Path(..., ge=1, le=MAX_ID),
) -> Status[dict[str, Any]]:
    visit = access_visit_to_handle(request.auth, case_id)
    period = access.period_of_case(visit.case, period_id)
    period = actions.do_conclude_measurement_period(
        request.auth,
        visit,
        period,
        body=payload.body,
        diagnosis_codes=payload.diagnosis_codes,
        shared_with_resident=payload.shared_with_resident,
    )
    assert period.summary_note_id is not None
    return Status(201, {"period_id": period.pk, "status": period.status, "summary_note_id": period.summary_note_id})


# --- labs and pharmacies (integration tokens) -------------------------------------------------------------------


@router.post(
    "/integrations/lab-results",
    response={200: LabResultReceivedOut, 201: LabResultReceivedOut},
    auth=lab_results_auth,
    summary="Post the result of a referral (a lab)",
    description="201 when stored; the same result again is 200 and changes nothing; a different one is 409.",
)
def post_lab_result(request: ApiRequest, payload: LabResultIn) -> Status[dict[str, Any]]:
    referral = access.referral_for_integration(request.auth, payload.referral_number)
    received = actions.do_receive_lab_result(
        request.auth,
        referral,
        lab_code=payload.lab_code,
        values=[actions.PostedValue(v.code, v.value, v.unit, v.reference, v.abnormal) for v in payload.results],
        comment=payload.comment,
    )
    body = {"referral_number": referral.number, "status": "received", "received_at": received.result.received_at}
    return Status(201 if received.created else 200, body)


@router.post(
    "/integrations/pressure-vouchers/redeem",
    response=VoucherRedeemedOut,
    auth=pressure_vouchers_auth,
    summary="Check and use a code for a free blood-pressure measurement (a pharmacy)",
    description="A code is used once: a used one is 409, an unknown or mistyped one 404.",
)
def redeem_voucher(request: ApiRequest, payload: VoucherRedeemIn) -> dict[str, Any]:
    voucher = actions.do_redeem_pressure_voucher(request.auth, payload.code)
    return {"valid": True, "redeemed_at": voucher.redeemed_at}
