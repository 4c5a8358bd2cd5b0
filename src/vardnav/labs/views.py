"""Resident pages of referrals and results: *Remisser och provsvar* under Mina sidor, choosing a lab,
each referral as a PDF, the blood-pressure code with its barcode and the measurement form, and a home
measurement period with its daily readings (QA-5).

Thin views: access_* → do_* → render. A refused input is shown at its field, nothing saved. Each
write runs through core.idempotency with the form's one-time key: a double submit does it once.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core import clock
from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error
from vardnav.core.http import ActorRequest
from vardnav.core.idempotency import Outcome, run_idempotent
from vardnav.core.ids import parse_id
from vardnav.identity.decorators import resident_required
from vardnav.labs import access, actions, figures
from vardnav.labs.content import test_name
from vardnav.labs.errors import LabError
from vardnav.labs.forms import ChooseLabForm, MeasurementForm, ReadingForm
from vardnav.labs.models import MeasurementPeriod, PeriodStatus
from vardnav.labs.pdf import barcode_svg, render_care_referral, render_lab_referral


def one_time_key(request: ActorRequest) -> str:
    """The form's one-time key: the one it was sent with (a refused form comes back), or a fresh one."""
    return request.POST.get("submission_key") or uuid.uuid4().hex


def test_names(codes: list[str]) -> list[str]:
    return [test_name(code) for code in codes]


@resident_required
def mine(request: ActorRequest) -> HttpResponse:
    found = access.resident_referrals(request.actor)
    rows = [
        {"referral": each, "tests": test_names(each.tests), "result": access.reviewed_result(each)}
        for each in found.lab_referrals
    ]
    return render(
        request,
        "labs/mine.html",
        {
            "lab_referrals": rows,
            "care_referrals": found.care_referrals,
            "has_voucher": bool(found.vouchers),
            "periods": [period_row(each) for each in access.resident_periods(request.actor)],
        },
    )


def period_row(period: MeasurementPeriod) -> dict[str, object]:
    """A period with where it stands today ('dag 5 av 14')."""
    today = clock.today()
    return {
        "period": period,
        "day_number": figures.day_number(period, today),
        "over": today > period.ends_on,
        "not_started": today < period.starts_on,
    }


@require_http_methods(["GET", "POST"])
@resident_required
def choose_lab(request: ActorRequest, referral_id: int) -> HttpResponse:
    referral = access.access_lab_referral_for_resident(request.actor, referral_id)
    town = request.GET.get("ort", "")[:60]
    labs = list(access.lab_directory(town))
    form = ChooseLabForm(request.POST or None, labs=labs)
    status = 200
    if request.method == "POST":
        form.is_valid()
        chosen = parse_id(form.cleaned_data.get("lab") or "")

        def perform() -> Outcome:
            if chosen is None:
                raise LabError.LAB_NOT_CHOSEN.error(field="lab")
            actions.do_choose_lab(request.actor, referral, access.access_lab(chosen))
            return 200, {"referral": referral.pk}

        try:
            run_idempotent(
                request.actor,
                request.POST.get("submission_key"),
                "labs.choose_lab",
                {"referral": referral.pk, "lab": chosen},
                perform,
            )
        except DomainError as error:
            if error.status == 404 and error.code != LabError.LAB_NOT_FOUND:
                raise
            apply_domain_error(form, error)
            status = 422
        else:
            messages.success(request, _("Provtagningsstället är valt. Hämta remissen och ta med den."))
            return redirect("labs:mine")
    return render(
        request,
        "labs/choose_lab.html",
        {
            "referral": referral,
            "tests": test_names(referral.tests),
            "form": form,
            "labs": labs,
            "towns": access.lab_towns(),
            "town": town,
            "submission_key": one_time_key(request),
        },
        status=status,
    )


@resident_required
def referral_pdf(request: ActorRequest, referral_id: int) -> HttpResponse:
    referral = access.access_lab_referral_for_resident(request.actor, referral_id)
    body = render_lab_referral(referral)
    do_record(request.actor, AuditEvent.LAB_REFERRAL_DOWNLOAD, referral, subject_person_id=referral.subject_id)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="remiss-{referral.number}.pdf"'
    return response


@resident_required
def care_referral_pdf(request: ActorRequest, referral_id: int) -> HttpResponse:
    referral = access.access_care_referral_for_resident(request.actor, referral_id)
    body = render_care_referral(referral)
    do_record(request.actor, AuditEvent.CARE_REFERRAL_DOWNLOAD, referral, subject_person_id=referral.subject_id)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="remiss-{referral.number}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@resident_required
def pressure(request: ActorRequest) -> HttpResponse:
    """VISIT-11: the code's barcode to show at the pharmacy, and the form for the measurement."""
    # Bound on every POST, even an empty one, so `cleaned_data` exists for the action to check.
    form = MeasurementForm(
        request.POST if request.method == "POST" else None, initial={"measured_on": clock.today().isoformat()}
    )
    status = 200
    if request.method == "POST":
        form.is_valid()
        values = {name: form.cleaned_data.get(name, "") for name in form.fields}

        def perform() -> Outcome:
            measurement = actions.do_enter_home_measurement(request.actor, **values)
            return 201, {"measurement": measurement.pk}

        try:
            run_idempotent(request.actor, request.POST.get("submission_key"), "labs.measurement", values, perform)
        except DomainError as error:
            if error.status == 404 and error.code != LabError.NO_VOUCHER:
                raise
            apply_domain_error(form, error)
            status = 422
        else:
            messages.success(request, _("Mätningen är sparad. Din behandlare ser den i besöket."))
            return redirect("labs:pressure")
    found = access.resident_referrals(request.actor)
    now = clock.now()
    vouchers = [
        {
            "voucher": each,
            "code": actions.format_code(each.code),
            "usable": each.redeemed_at is None and each.expires_at >= now,
            # reportlab's SVG of our own digits: no user input reaches the markup.
            "barcode": mark_safe(barcode_svg(each.code)) if each.redeemed_at is None and each.expires_at >= now else "",  # noqa: S308
        }
        for each in found.vouchers
    ]
    return render(
        request,
        "labs/pressure.html",
        {
            "vouchers": vouchers,
            "measurements": found.measurements,
            "form": form,
            "submission_key": one_time_key(request),
        },
        status=status,
    )


READING_FIELDS = ("measured_on", "slot", "pef", "fev1", "fvc", "after_bronchodilator", "correction")


@require_http_methods(["GET", "POST"])
@resident_required
def period(request: ActorRequest, period_id: int) -> HttpResponse:
    """QA-5: the period's progress, the day's reading form and every reading entered; the summary when shared.

    A refused value comes back at its field with nothing saved; a second reading of a slot is refused unless
    marked as a correction (it then is a new row; the first stays, shown as corrected).
    """
    found = access.access_period_for_resident(request.actor, period_id)
    today = clock.today()
    form = ReadingForm(
        request.POST if request.method == "POST" else None,
        kind=found.kind,
        slots=found.slots,
        after_bronchodilator=found.after_bronchodilator,
        initial={"measured_on": min(today, found.ends_on).isoformat(), "slot": _slot_now(found)},
    )
    status = 200
    if request.method == "POST":
        form.is_valid()
        values = {name: form.cleaned_data.get(name) for name in READING_FIELDS if name in form.fields}

        def perform() -> Outcome:
            reading = actions.do_enter_reading(
                request.actor,
                found,
                measured_on=values.get("measured_on") or "",
                slot=values.get("slot") or "",
                pef=values.get("pef") or "",
                fev1=values.get("fev1"),
                fvc=values.get("fvc"),
                after_bronchodilator=bool(values.get("after_bronchodilator")),
                correction=bool(values.get("correction")),
            )
            return 201, {"reading": reading.pk}

        try:
            run_idempotent(
                request.actor,
                request.POST.get("submission_key"),
                "labs.reading",
                {"period": found.pk, **values},
                perform,
            )
        except DomainError as error:
            if error.status == 404:
                raise
            apply_domain_error(form, error)
            status = 422
        else:
            messages.success(request, _("Mätningen är sparad. Din behandlare ser den i besöket."))
            return redirect("labs:period", period_id=found.pk)
    readings = access.period_readings(found)
    counted = figures.period_figures(found, readings, age=found.subject.age_on(found.starts_on))
    corrected = {each.corrects_id for each in readings if each.corrects_id is not None}
    note = found.summary_note if found.summary_note is not None and found.summary_note.shared_with_resident else None
    return render(
        request,
        "labs/period.html",
        {
            "period": found,
            "row": period_row(found),
            "figures": counted,
            "readings": readings,
            "corrected": corrected,
            # A concluded period takes no readings; a refused one (concluded meanwhile) still shows why.
            "form": form if found.status == PeriodStatus.ACTIVE or status == 422 else None,
            "note": note,
            "submission_key": one_time_key(request),
        },
        status=status,
    )


def _slot_now(period: MeasurementPeriod) -> str:
    """Morning before noon, evening after (Swedish time): the likelier slot, preselected."""
    hour = clock.now().astimezone(clock.STOCKHOLM).hour
    return period.slots[-1] if hour >= 12 else period.slots[0]
