"""The practitioner's page of a digital visit's referrals, results, blood pressure and home measurement
periods (VISIT-6, 7, 9, 11, QA-5).

Opening it is one audited read of the case (visits.access, the case engine's
rule); each form posts to its own action and, when refused, the page comes
back with the message at the field and nothing saved. Each form carries its
own one-time key (the page's key and the form's suffix) and the write runs
through core.idempotency, so a double submit does it once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vardnav.cases.access import record_case_viewing
from vardnav.core import clock
from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error
from vardnav.core.idempotency import Outcome, run_idempotent
from vardnav.core.ids import parse_id
from vardnav.identity.staff.views import StaffRequest, staff_required
from vardnav.labs import access, actions, figures
from vardnav.labs.forms import (
    VARIABILITY_HELP,
    CareReferralForm,
    LabReferralForm,
    OrderPeriodForm,
    PeriodSummaryForm,
    ReviewForm,
    WhereToTurnForm,
)
from vardnav.labs.models import LabReferral, MeasurementPeriod, PeriodStatus
from vardnav.labs.views import test_names
from vardnav.visits.access import access_visit_for_staff, access_visit_to_handle
from vardnav.visits.models import Visit

REVISIT_AFTER_REVIEW_DAYS = 14
# What a form posts besides its content: not part of what the one-time key stands for.
IGNORED_FIELDS = {"csrfmiddlewaretoken", "submission_key"}


def _review_form(referral: LabReferral, bound: dict[str, Any]) -> ReviewForm | None:
    """One review form per result (its own prefix, so the page's ids stay unique); the refused one bound."""
    result = getattr(referral, "result", None) if hasattr(referral, "result") else None
    if result is None or result.reviewed_at is not None:
        return None
    form = bound.get("review_form")
    if isinstance(form, ReviewForm) and form.prefix == f"r{result.pk}":
        return form
    return ReviewForm(prefix=f"r{result.pk}")


def _period_row(period: MeasurementPeriod, bound: dict[str, Any]) -> dict[str, Any]:
    """A period with its figures (labs.figures), its readings by day and, while active, its summary form."""
    readings = sorted(period.readings.all(), key=lambda r: (r.measured_on, r.entered_at, r.pk))
    form = bound.get("summary_form")
    if not (isinstance(form, PeriodSummaryForm) and form.prefix == f"p{period.pk}"):
        form = PeriodSummaryForm(prefix=f"p{period.pk}")
    return {
        "period": period,
        "figures": figures.period_figures(period, readings, age=period.subject.age_on(period.starts_on)),
        "readings": readings,
        "corrected": {each.corrects_id for each in readings if each.corrects_id is not None},
        "day_number": figures.day_number(period, clock.today()),
        "summary_form": form if period.status == PeriodStatus.ACTIVE else None,
    }


def page_key(request: StaffRequest) -> str:
    """The page's one-time key: the posted one's base when a refused form comes back (a retry is the same
    write), else a fresh one. Each form appends its own suffix ("-lab", "-r12", …)."""
    posted = request.POST.get("submission_key", "")
    return posted.split("-", 1)[0] if posted else uuid.uuid4().hex


def _page(request: StaffRequest, visit: Visit, *, status: int = 200, **bound: Any) -> HttpResponse:
    labs = list(access.lab_directory())
    found = access.case_referrals(visit.case)
    is_handler = visit.case.assigned_to_id == request.actor.staff_id
    return render(
        request,
        "labs/staff/case.html",
        {
            "visit": visit,
            "case": visit.case,
            "is_handler": is_handler,
            "lab_referrals": [
                {"referral": each, "tests": test_names(each.tests), "review_form": _review_form(each, bound)}
                for each in found.lab_referrals
            ],
            "care_referrals": found.care_referrals,
            "vouchers": found.vouchers,
            "measurements": found.measurements,
            "periods": [_period_row(each, bound) for each in access.case_periods(visit.case)],
            "period_form": bound.get("period_form") or OrderPeriodForm(),
            "variability_help": VARIABILITY_HELP,
            "lab_form": bound.get("lab_form") or LabReferralForm(labs=labs),
            "care_form": bound.get("care_form") or CareReferralForm(),
            "turn_form": bound.get("turn_form") or WhereToTurnForm(),
            "submission_key": page_key(request),
        },
        status=status,
    )


@staff_required
def case_page(request: StaffRequest, case_id: int) -> HttpResponse:
    return _page(request, access_visit_for_staff(request.actor, case_id))


def _post(
    request: StaffRequest,
    case_id: int,
    form: forms.Form,
    name: str,
    act: Callable[[Visit, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    actor = request.actor
    visit = access_visit_to_handle(actor, case_id)
    form.is_valid()

    def perform() -> Outcome:
        act(visit, form.cleaned_data)
        return 200, {"case": visit.case.pk}

    posted = {key: request.POST.getlist(key) for key in request.POST if key not in IGNORED_FIELDS}
    try:
        run_idempotent(actor, request.POST.get("submission_key"), f"labs.{name}", {"case": case_id, **posted}, perform)
    except DomainError as error:
        if error.status == 404 and error.field is None:
            raise
        apply_domain_error(form, error)
        record_case_viewing(actor, visit.case, purpose="remisser och provsvar")
        return _page(request, visit, status=422, **{name: form})
    messages.success(request, done)
    return redirect("labs:staff_case", case_id=visit.case.pk)


@require_POST
@staff_required
def write_lab_referral(request: StaffRequest, case_id: int) -> HttpResponse:
    labs = list(access.lab_directory())

    def act(visit: Visit, data: dict[str, Any]) -> object:
        chosen = parse_id(data.get("lab") or "") if data.get("lab") else None
        lab = access.access_lab(chosen) if chosen is not None else None
        return actions.do_write_lab_referral(
            request.actor, visit, tests=data.get("tests") or [], question=data.get("question", ""), lab=lab
        )

    form = LabReferralForm(request.POST, labs=labs)
    return _post(request, case_id, form, "lab_form", act, _("Remissen är skriven."))


@require_POST
@staff_required
def review_result(request: StaffRequest, case_id: int, result_id: int) -> HttpResponse:
    def act(visit: Visit, data: dict[str, Any]) -> object:
        result = access.result_of_case(visit.case, result_id)
        return actions.do_review_lab_result(
            request.actor,
            visit,
            result,
            comment=data.get("comment", ""),
            offer_revisit_days=REVISIT_AFTER_REVIEW_DAYS if data.get("offer_revisit") else None,
        )

    form = ReviewForm(request.POST, prefix=f"r{result_id}")
    return _post(request, case_id, form, "review_form", act, _("Provsvaret är bedömt. Invånaren ser det nu."))


@require_POST
@staff_required
def write_care_referral(request: StaffRequest, case_id: int) -> HttpResponse:
    def act(visit: Visit, data: dict[str, Any]) -> object:
        return actions.do_write_care_referral(
            request.actor, visit, recipient=data.get("recipient", ""), reason=data.get("reason", "")
        )

    return _post(request, case_id, CareReferralForm(request.POST), "care_form", act, _("Remissen är skriven."))


@require_POST
@staff_required
def where_to_turn(request: StaffRequest, case_id: int) -> HttpResponse:
    def act(visit: Visit, data: dict[str, Any]) -> object:
        return actions.do_advise_where_to_turn(
            request.actor, visit, place=data.get("place", ""), note=data.get("note", "")
        )

    return _post(request, case_id, WhereToTurnForm(request.POST), "turn_form", act, _("Hänvisningen är skickad."))


@require_POST
@staff_required
def send_voucher(request: StaffRequest, case_id: int) -> HttpResponse:
    def act(visit: Visit, data: dict[str, Any]) -> object:
        return actions.do_send_pressure_voucher(request.actor, visit)

    return _post(
        request, case_id, forms.Form(request.POST), "voucher_form", act, _("Koden för blodtrycksmätning är skickad.")
    )


@require_POST
@staff_required
def order_period(request: StaffRequest, case_id: int) -> HttpResponse:
    """QA-5: a home measurement period (PEF diary or home spirometry) on the visit."""

    def act(visit: Visit, data: dict[str, Any]) -> object:
        return actions.do_order_measurement_period(
            request.actor,
            visit,
            kind=data.get("kind") or "",
            days=data.get("days") or "",
            frequency=data.get("frequency") or "",
            after_bronchodilator=bool(data.get("after_bronchodilator")),
        )

    return _post(request, case_id, OrderPeriodForm(request.POST), "period_form", act, _("Hemmamätningen är beställd."))


@require_POST
@staff_required
def conclude_period(request: StaffRequest, case_id: int, period_id: int) -> HttpResponse:
    """QA-5: the signed summary note with the diagnosis, linked to the period."""

    def act(visit: Visit, data: dict[str, Any]) -> object:
        found = access.period_of_case(visit.case, period_id)
        return actions.do_conclude_measurement_period(
            request.actor,
            visit,
            found,
            body=data.get("body", ""),
            diagnosis_codes=data.get("diagnosis_codes", ""),
            shared_with_resident=bool(data.get("shared_with_resident")),
        )

    form = PeriodSummaryForm(request.POST, prefix=f"p{period_id}")
    return _post(
        request, case_id, form, "summary_form", act, _("Sammanfattningen är signerad och kopplad till mätperioden.")
    )
