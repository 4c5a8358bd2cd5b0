"""Staff pages of digital visits: the practitioner's queue and duty, one visit's triage, internal referral.

The queue is a fixed-query list; opening a visit is one audited read of its
triage answers (the case engine's rule for who reads a case). The dialogue
itself is the case page (cases:staff_detail), linked from the visit.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vardnav.cases.access import record_case_viewing
from vardnav.cases.views import answer_rows
from vardnav.core.errors import DomainError, NotFound
from vardnav.core.forms import apply_domain_error, error_lines
from vardnav.core.idempotency import Outcome, run_idempotent
from vardnav.identity.staff.views import StaffRequest, staff_required
from vardnav.organizations.access import access_unit
from vardnav.visits import access, actions
from vardnav.visits.errors import VisitError
from vardnav.visits.forms import DutyForm, MeetingProposalForm, ReferralForm, RevisitOfferForm
from vardnav.visits.models import Visit
from vardnav.visits.views import meeting_page


def triage_rows(visit: Visit) -> list[tuple[str, str]]:
    """The triage answers as (question, answer) in the version's order, with option labels."""
    return answer_table(visit.triage.items, visit.answers)


def answer_table(items: list[dict[str, Any]], answers: dict[str, Any]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for item in items:
        if item["linkId"] not in answers:
            continue
        value: Any = answers[item["linkId"]]
        if item["type"] == "boolean":
            value = _("Ja") if value else _("Nej")
        elif item["type"] == "choice":
            labels = {option["code"]: option["display"] for option in item["answerOption"]}
            chosen = value if isinstance(value, list) else [value]
            value = ", ".join(str(labels.get(code, code)) for code in chosen)
        rows.append((item["text"], str(value)))
    return rows


def revisit_rows(visit: Visit) -> list[tuple[str, str]]:
    """A revisit's answers to the revisit questions (VISIT-5)."""
    return answer_table(actions.REVISIT_ITEMS, visit.answers)


@staff_required
def queue(request: StaffRequest) -> HttpResponse:
    actor = request.actor
    if actor.unit_id is None:
        return redirect("staff:choose_unit")
    return render(
        request,
        "visits/staff/queue.html",
        {
            "unit": access_unit(actor.unit_id),
            "has_areas": access.unit_has_areas(actor.unit_id),
            "duty": access.duty_of(actor),
            "queue": access.practitioner_queue(actor),
        },
    )


@require_POST
@staff_required
def duty(request: StaffRequest) -> HttpResponse:
    actor = request.actor
    if actor.unit_id is None:
        return redirect("staff:choose_unit")
    form = DutyForm(request.POST)
    form.is_valid()
    try:
        actions.do_set_duty(actor, access_unit(actor.unit_id), on_duty=form.cleaned_data.get("on_duty") == "1")
    except DomainError as error:
        for line in error_lines(error):
            messages.error(request, line)
    return redirect("visits:queue")


def _visit_page(
    request: StaffRequest,
    visit: Visit,
    form: ReferralForm,
    *,
    offer_form: RevisitOfferForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "visits/staff/visit.html",
        {
            "visit": visit,
            "case": visit.case,
            "triage": [] if visit.revisit_of_id else triage_rows(visit),
            "case_answers": answer_rows(visit.case),
            "form": form,
            "profile": access.health_profile_of(visit.case.subject_id),
            "earlier": access.earlier_visits(request.actor, visit),
            "may_refer": visit.case.assigned_to_id == request.actor.staff_id and visit.case.status != "closed",
            "offer_form": offer_form or RevisitOfferForm(),
            "may_offer": visit.case.assigned_to_id == request.actor.staff_id and visit.area.revisits_allowed,
            "revisit_answers": revisit_rows(visit) if visit.revisit_of_id else [],
        },
        status=status,
    )


@staff_required
def visit(request: StaffRequest, case_id: int) -> HttpResponse:
    return _visit_page(request, access.access_visit_for_staff(request.actor, case_id), ReferralForm())


@require_POST
@staff_required
def refer(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    visit = access.access_visit_to_handle(actor, case_id)
    form = ReferralForm(request.POST)
    form.is_valid()
    try:
        actions.do_refer_internally(
            actor,
            visit,
            profession=form.cleaned_data.get("profession", ""),
            reason=form.cleaned_data.get("reason", ""),
        )
    except DomainError as error:
        if error.status == 404:
            raise
        apply_domain_error(form, error)
        record_case_viewing(actor, visit.case, purpose="digitalt vårdbesök")
        return _visit_page(request, visit, form, status=422)
    messages.success(request, _("Besöket är remitterat."))
    return redirect("visits:queue")


@require_POST
@staff_required
def offer_revisit(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    visit = access.access_visit_to_handle(actor, case_id)
    form = RevisitOfferForm(request.POST)
    form.is_valid()
    try:
        actions.do_offer_revisit(
            actor, visit, kind=form.cleaned_data.get("kind", ""), days=form.cleaned_data.get("days", "")
        )
    except DomainError as error:
        if error.status == 404:
            raise
        apply_domain_error(form, error)
        record_case_viewing(actor, visit.case, purpose="digitalt vårdbesök")
        return _visit_page(request, visit, ReferralForm(), offer_form=form, status=422)
    messages.success(request, _("Återbesöket är erbjudet."))
    return redirect("visits:staff_visit", case_id=visit.case.pk)


@staff_required
def meeting(request: StaffRequest, case_id: int) -> HttpResponse:
    """VISIT-8: the handling practitioner's meeting page: propose a time, and join at that time."""
    visit, current = access.access_meeting_page_for_staff(request.actor, case_id)
    return meeting_page(
        request, visit, current, role=access.PARTICIPANT_PRACTITIONER, extra={"form": MeetingProposalForm()}
    )


@require_POST
@staff_required
def propose_meeting(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    visit, current = access.access_meeting_page_for_staff(actor, case_id)
    form = MeetingProposalForm(request.POST)
    form.is_valid()
    try:
        actions.do_propose_meeting(
            actor, visit, day=form.cleaned_data.get("day", ""), time=form.cleaned_data.get("time", "")
        )
    except DomainError as error:
        if error.status == 404:
            raise
        apply_domain_error(form, error)
        return meeting_page(request, visit, current, role=access.PARTICIPANT_PRACTITIONER, extra={"form": form})
    messages.success(request, _("Tiden för videomötet är föreslagen i chatten."))
    return redirect("visits:staff_meeting", case_id=visit.case.pk)


@require_POST
@staff_required
def cancel_meeting(request: StaffRequest, case_id: int) -> HttpResponse:
    """VISIT-8: the handling practitioner calls the proposed meeting off (the resident is told in the chat)."""
    actor = request.actor
    visit, current = access.access_meeting_page_for_staff(actor, case_id)
    if current is None:
        raise NotFound(VisitError.MEETING_NOT_FOUND)

    def perform() -> Outcome:
        actions.do_cancel_meeting(actor, visit, current)
        return 200, {"meeting": current.pk}

    try:
        run_idempotent(
            actor, request.POST.get("submission_key"), "visits.meeting_cancel", {"meeting": current.pk}, perform
        )
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
        return redirect("visits:staff_meeting", case_id=visit.case.pk)
    messages.success(request, _("Videomötet är inställt. Invånaren har fått besked i chatten."))
    return redirect("visits:staff_meeting", case_id=visit.case.pk)
