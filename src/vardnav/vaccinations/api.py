"""The vaccination card in /api/v1/vaccinations: the card, a dose given elsewhere, travel advice, the schedules.

The card is the logged-in resident's own or (child_id) a child's under 16 (VAC-1).
Travel advice and the schedules are the project's shipped tables, public like
the pages that show them, each with its source and date (VAC-2, VAC-4).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Router, Schema
from ninja.params.functions import Header, Query
from ninja.responses import Status

from vardnav.core.http import ApiRequest
from vardnav.core.idempotency import check_idempotency_key, run_idempotent
from vardnav.identity.api_auth import resident_auth
from vardnav.vaccinations import access, actions, checks, schedules
from vardnav.vaccinations.models import Vaccination

router = Router(tags=["vaccinations"])
MAX_ID = 2**63 - 1

VaccineCode = Literal[
    "tbe",
    "hepatitis_ab",
    "hepatitis_a",
    "hepatitis_b",
    "japanese_encephalitis",
    "rabies",
    "yellow_fever",
    "cholera",
    "typhoid",
    "dt",
]


class DoseOut(Schema):
    id: int
    vaccine: str
    vaccine_name: str
    product: str
    dose_number: int
    given_on: dt.date
    self_reported: bool
    unit: str | None
    place: str


class NextDoseOut(Schema):
    vaccine: str
    vaccine_name: str
    dose_number: int
    booster: bool
    due_on: dt.date
    due_soon: bool
    booking_unit_slug: str


class AdviceRecordOut(Schema):
    destination: str
    destination_name: str
    trip_days: int
    vaccines: list[str]
    unit: str
    given_at: dt.datetime
    note: str


class CardOut(Schema):
    person_id: int
    doses: list[DoseOut]
    next_doses: list[NextDoseOut]
    travel_advice: list[AdviceRecordOut]


class SelfReportIn(Schema):
    vaccine: VaccineCode
    product: str = Field("", max_length=80)
    dose_number: int = Field(..., ge=1, le=checks.MAX_DOSE_NUMBER)
    given_on: dt.date
    place: str = Field("", max_length=checks.PLACE_MAX_LENGTH)
    child_id: int | None = Field(None, ge=1, le=MAX_ID)


class VaccineOut(Schema):
    code: str
    name: str
    products: list[str]
    min_age_months: int
    source: str
    verified: bool


class SchedulesOut(Schema):
    compiled_on: dt.date
    vaccines: list[VaccineOut]


class AdviceOut(Schema):
    destination: str
    destination_name: str
    trip_days: int
    long_trip: bool
    vaccines: list[VaccineOut]
    source: str
    compiled_on: dt.date


def _vaccine(vaccine: schedules.Vaccine) -> dict[str, Any]:
    return {
        "code": vaccine.code,
        "name": vaccine.name,
        "products": list(vaccine.products),
        "min_age_months": vaccine.min_age_months,
        "source": vaccine.source,
        "verified": vaccine.verified,
    }


def _dose(dose: Vaccination) -> dict[str, Any]:
    known = schedules.vaccines()
    return {
        "id": dose.pk,
        "vaccine": dose.vaccine,
        "vaccine_name": known[dose.vaccine].name if dose.vaccine in known else dose.vaccine,
        "product": dose.product,
        "dose_number": dose.dose_number,
        "given_on": dose.given_on,
        "self_reported": dose.self_reported,
        "unit": dose.unit.name if dose.unit is not None else None,
        "place": dose.place_text,
    }


@router.get("/vaccinations/card", response=CardOut, auth=resident_auth, summary="My vaccination card (VAC-1, VAC-2)")
def card(request: ApiRequest, child_id: int | None = Query(None, ge=1, le=MAX_ID)) -> dict[str, Any]:
    """The resident's own card, or with child_id the card of their child under 16; doses and the next due dose."""
    built = access.read_card_for_resident(request.auth, child_id)
    return {
        "person_id": built.subject.pk,
        "doses": [_dose(dose) for row in built.rows for dose in row.doses],
        "next_doses": [
            {
                "vaccine": row.vaccine.code,
                "vaccine_name": row.vaccine.name,
                "dose_number": row.next.dose_number,
                "booster": row.next.booster,
                "due_on": row.next.due_on,
                "due_soon": row.due_soon,
                "booking_unit_slug": row.booking_unit_slug,
            }
            for row in built.rows
            if row.next is not None
        ],
        "travel_advice": [
            {
                "destination": advice.destination,
                "destination_name": advice.destination_name,
                "trip_days": advice.trip_days,
                "vaccines": list(advice.vaccines),
                "unit": advice.unit.name,
                "given_at": advice.given_at,
                "note": advice.note,
            }
            for advice in built.advice
        ],
    }


@router.post(
    "/vaccinations/self-reported",
    response={201: DoseOut},
    auth=resident_auth,
    summary="Add a vaccination given elsewhere (VAC-3)",
)
def add_self_reported(
    request: ApiRequest, payload: SelfReportIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
) -> Status[dict[str, Any]]:
    """Marked self-reported on the card; counts for reminders. A date in the future is refused (400)."""
    subject = access.access_card_subject(request.auth, payload.child_id)
    body = payload.dict()

    def perform() -> tuple[int, dict[str, Any]]:
        dose = actions.do_add_self_reported(
            request.auth,
            subject,
            vaccine=payload.vaccine,
            product=payload.product,
            dose_number=payload.dose_number,
            given_on=payload.given_on,
            place=payload.place,
        )
        return 201, {**_dose(dose), "given_on": dose.given_on.isoformat()}

    result = run_idempotent(
        request.auth, check_idempotency_key(idempotency_key), "vaccinations.self_report", body, perform
    )
    return Status(result.status, result.body)


@router.get("/vaccinations/schedules", response=SchedulesOut, auth=None, summary="The vaccine schedules and sources")
def vaccine_schedules(request: ApiRequest) -> dict[str, Any]:
    return {
        "compiled_on": schedules.schedules_compiled_on(),
        "vaccines": [_vaccine(vaccine) for vaccine in schedules.vaccines().values()],
    }


@router.get("/vaccinations/travel-advice", response=AdviceOut, auth=None, summary="Travel vaccination advice (VAC-4)")
def travel_advice(
    request: ApiRequest,
    destination: str = Query(..., min_length=2, max_length=2, pattern="^[A-Za-z]{2}$"),
    trip_days: int = Query(..., ge=1, le=checks.MAX_TRIP_DAYS),
) -> dict[str, Any]:
    """The vaccines to consider for a destination (ISO country code) and trip length, with the table's source."""
    advice = actions.travel_advice(destination, trip_days)
    return {
        "destination": advice.destination.code,
        "destination_name": advice.destination.name,
        "trip_days": advice.trip_days,
        "long_trip": advice.long_trip,
        "vaccines": [_vaccine(vaccine) for vaccine in advice.vaccines],
        "source": advice.table.source,
        "compiled_on": advice.table.compiled_on,
    }
