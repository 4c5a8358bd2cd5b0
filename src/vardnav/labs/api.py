"""Referrals and results in /api/v1: the lab directory, the resident's referrals and PDFs and measurements,
the practitioner's referrals, reviews and codes on a visit, and what labs and pharmacies post.

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
from ninja.params.functions import Path, Query
from ninja.responses import Status

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.cases.case_routes import case_id_path, staff_case_post
from vardnav.core.http import ApiRequest
from vardnav.core.ids import MAX_ID
from vardnav.identity.api_auth import resident_auth, staff_auth
from vardnav.integrations.api import IntegrationTokenAuth
from vardnav.integrations.models import IntegrationScope
from vardnav.labs import access, actions
from vardnav.labs.content import TESTS, WHERE_TO_TURN
from vardnav.labs.models import CareReferral, HomeMeasurement, Lab, LabReferral, LabResult, PressureVoucher
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
