"""Resident pages of digital visits: choose a complaint area, answer its triage, or be told where to turn.

Thin views: access_* → do_* → render. A red-flag answer shows the stop page
with 112 or 1177 at once (VISIT-1); an area that is not handled digitally
says where to turn (VISIT-7). The write goes through run_idempotent with the
form's one-time key, as every resident form does.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vardnav.attachments.forms import files_field
from vardnav.attachments.uploads import checked_uploads
from vardnav.cases.actions import check_resident_subject
from vardnav.cases.hooks import profession_notes
from vardnav.core import clock
from vardnav.core.errors import DomainError, NotFound
from vardnav.core.forms import apply_domain_error
from vardnav.core.http import ActorRequest
from vardnav.core.idempotency import Outcome, run_idempotent
from vardnav.core.middleware import CONTENT_SECURITY_POLICY
from vardnav.identity.context_processors import IDLE_WARNING_SECONDS
from vardnav.identity.decorators import resident_required
from vardnav.visits import access, actions
from vardnav.visits.errors import VisitError
from vardnav.visits.forms import HealthProfileForm, MeetingAnswerForm, RevisitForm, TriageForm, WriteAgainForm
from vardnav.visits.ice import ice_servers
from vardnav.visits.models import ComplaintArea, MeetingAnswer, VideoMeeting, Visit

RED_FLAGS = {VisitError.RED_FLAG_EMERGENCY, VisitError.RED_FLAG_ADVICE}


@resident_required
def areas(request: ActorRequest) -> HttpResponse:
    check_resident_subject(request.actor)
    all_areas = list(access.public_areas())
    return render(
        request,
        "visits/areas.html",
        {
            "mine": access.resident_visits(request.actor),
            "digital": [area for area in all_areas if area.handled_digitally],
            "elsewhere": [area for area in all_areas if not area.handled_digitally],
        },
    )


@resident_required
@require_http_methods(["GET", "POST"])
def start(request: ActorRequest, area_id: int) -> HttpResponse:
    check_resident_subject(request.actor)
    area = access.access_area(area_id)
    if not area.handled_digitally:
        return render(request, "visits/elsewhere.html", {"area": area})
    triage = access.current_triage(area)
    form = TriageForm(triage.items, request.POST if request.method == "POST" else None)
    form.fields["files"] = files_field(settings.ATTACHMENT_MAX_FILES_RESIDENT)
    image_items = [item for item in triage.items if item["type"] == "attachment"]
    if image_items:
        form.fields["files"].label = image_items[0]["text"]
    red_flag: DomainError | None = None
    if request.method == "POST":
        form.is_valid()  # every field is optional here: the questionnaire engine is the validator
        try:
            with checked_uploads(request, max_files=settings.ATTACHMENT_MAX_FILES_RESIDENT) as files:

                def submit() -> Outcome:
                    started = actions.do_start_visit(
                        request.actor,
                        area,
                        triage,
                        answers=form.raw_answers(),
                        abroad=form.abroad_answer(),
                        files=files,
                    )
                    return 201, {"id": started.case.pk}

                result = run_idempotent(
                    request.actor,
                    request.POST.get("submission_key"),
                    "visits.start",
                    {
                        "area": area.pk,
                        "triage": triage.pk,
                        "answers": form.raw_answers(),
                        "abroad": form.abroad_answer(),
                        "files": [each.sha256 for each in files],
                    },
                    submit,
                )
            return redirect("cases:receipt", case_id=result.body["id"])
        except DomainError as error:
            if error.status == 404:
                raise
            if error.code in RED_FLAGS:
                red_flag = error
            else:
                apply_domain_error(form, error)
    if red_flag is not None:
        return render(
            request,
            "visits/red_flag.html",
            {"area": area, "error": red_flag, "emergency": red_flag.code is VisitError.RED_FLAG_EMERGENCY},
            status=409,
        )
    return render(
        request,
        "visits/start.html",
        {
            "area": area,
            "form": form,
            "files_field": form["files"],
            "submission_key": request.POST.get("submission_key") or uuid.uuid4().hex,
            "profile": access.resident_health_profile(request.actor),
            "fee_notes": _fee_notes(request, area),
        },
        status=422 if form.errors else 200,
    )


def _fee_notes(request: ActorRequest, area: ComplaintArea) -> list[str]:
    """FEE-2 on the triage's last step: the expected fee of the area's profession, before sending."""
    service = access.visit_service(area.provider_id)
    if service is None:
        return []
    subject = check_resident_subject(request.actor)
    return profession_notes(request.actor, subject, service, area.profession)


@resident_required
@require_http_methods(["GET", "POST"])
def health_profile(request: ActorRequest) -> HttpResponse:
    """The resident's health profile: saving it confirms it is right now (shown to the practitioner)."""
    profile = access.resident_health_profile(request.actor)
    initial = (
        {"allergies": profile.allergies, "medicines": profile.medicines, "conditions": profile.conditions}
        if profile
        else {}
    )
    form = HealthProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_confirm_health_profile(
                request.actor,
                allergies=form.cleaned_data["allergies"],
                medicines=form.cleaned_data["medicines"],
                conditions=form.cleaned_data["conditions"],
            )
            messages.success(request, _("Din hälsoprofil är sparad och bekräftad."))
            return redirect("visits:health_profile")
        except DomainError as error:
            apply_domain_error(form, error)
    return render(
        request,
        "visits/health_profile.html",
        {"form": form, "profile": profile},
        status=422 if form.errors else 200,
    )


@resident_required
@require_http_methods(["GET", "POST"])
def revisit(request: ActorRequest, case_id: int) -> HttpResponse:
    """VISIT-3, VISIT-5: a revisit to the same practitioner, after a few questions and the health profile."""
    earlier = access.access_visit_for_resident(request.actor, case_id)
    form = RevisitForm(actions.REVISIT_ITEMS, request.POST if request.method == "POST" else None)
    red_flag: DomainError | None = None
    refusal: DomainError | None = None
    if request.method == "POST":
        form.is_valid()  # every field is optional here: the questionnaire engine is the validator
        try:

            def submit() -> Outcome:
                started = actions.do_start_revisit(
                    request.actor,
                    earlier,
                    answers=form.raw_answers(),
                    abroad=form.abroad_answer(),
                    profile_confirmed=request.POST.get("profile_confirmed") == "on",
                )
                return 201, {"id": started.case.pk}

            result = run_idempotent(
                request.actor,
                request.POST.get("submission_key"),
                "visits.revisit",
                {
                    "visit": earlier.pk,
                    "answers": form.raw_answers(),
                    "abroad": form.abroad_answer(),
                    "profile": request.POST.get("profile_confirmed", ""),
                },
                submit,
            )
            return redirect("cases:receipt", case_id=result.body["id"])
        except DomainError as error:
            if error.status == 404:
                raise
            if error.code in RED_FLAGS:
                red_flag = error
            elif error.field is None and not error.errors:
                refusal = error
            else:
                apply_domain_error(form, error)
    else:
        try:
            actions.check_revisit_allowed(earlier)
        except DomainError as error:
            refusal = error
    if red_flag is not None:
        return render(
            request,
            "visits/red_flag.html",
            {"area": earlier.area, "error": red_flag, "emergency": red_flag.code is VisitError.RED_FLAG_EMERGENCY},
            status=409,
        )
    return render(
        request,
        "visits/revisit.html",
        {
            "earlier": earlier,
            "form": form,
            "refusal": refusal,
            "profile": access.resident_health_profile(request.actor),
            "submission_key": request.POST.get("submission_key") or uuid.uuid4().hex,
        },
        status=409 if refusal and request.method == "POST" else 422 if form.errors else 200,
    )


@resident_required
@require_http_methods(["GET", "POST"])
def write_again(request: ActorRequest, case_id: int) -> HttpResponse:
    """VISIT-4: without revisits, the resident writes again in the same case within 4 days, free of charge."""
    visit = access.access_visit_for_resident(request.actor, case_id)
    form = WriteAgainForm(request.POST if request.method == "POST" else None)
    refusal: DomainError | None = None
    if request.method == "POST":
        form.is_valid()
        try:
            actions.do_write_again(request.actor, visit, body=form.cleaned_data.get("body", ""))
            messages.success(request, _("Ditt meddelande är skickat till behandlaren."))
            return redirect("cases:detail", case_id=visit.case.pk)
        except DomainError as error:
            if error.field is None and not error.errors:
                refusal = error
            else:
                apply_domain_error(form, error)
    else:
        try:
            actions.check_write_again_allowed(visit)
        except DomainError as error:
            refusal = error
    return render(
        request,
        "visits/write_again.html",
        {"visit": visit, "form": form, "refusal": refusal},
        status=409 if refusal and request.method == "POST" else 422 if form.errors else 200,
    )


def alive_seconds() -> int:
    """How often a page in a meeting tells the server it is alive: well within the idle timeout and its warning."""
    idle = settings.SESSION_IDLE_SECONDS
    warn = min(IDLE_WARNING_SECONDS, idle // 2)
    return max(5, min(60, (idle - warn) // 2))


def meeting_page(
    request: ActorRequest, visit: Visit, meeting: VideoMeeting | None, *, role: str, extra: dict[str, Any] | None = None
) -> HttpResponse:
    """VISIT-8: the meeting page of either participant; the call starts when they press "Anslut".

    The page may use the camera and microphone (Permissions-Policy) and open
    a WebSocket to this host (Content-Security-Policy), nothing more.
    """
    now = clock.now()
    is_open = meeting is not None and meeting.is_open(now) and visit.case.status != "closed"
    context = {
        "visit": visit,
        "case": visit.case,
        "meeting": meeting,
        "is_open": is_open,
        "has_ended": meeting is not None and now >= meeting.ends_at,
        "role": role,
        "layout": "layouts/staff.html" if role == access.PARTICIPANT_PRACTITIONER else "layouts/resident.html",
        "socket_path": f"/ws/videomote/{meeting.pk}/" if meeting is not None else "",
        "ice_servers": ice_servers(uuid.uuid4().hex[:12]) if is_open else [],
        "opens_before": VideoMeeting.OPENS_BEFORE_MINUTES,
        "support_url": reverse("notifications:support"),
        "alive_seconds": alive_seconds(),
        "may_answer": role == access.PARTICIPANT_RESIDENT
        and meeting is not None
        and now < meeting.ends_at
        and visit.case.status != "closed"
        and meeting.answer != MeetingAnswer.DECLINED,
        "answers": MeetingAnswer,
        **(extra or {}),
    }
    if context["may_answer"] and "answer_form" not in context:
        context["answer_form"] = MeetingAnswerForm()
    # A refused answer is shown with its message even when the time can no longer be answered.
    context["show_answer_form"] = context["may_answer"] or bool(
        context.get("answer_form") and context["answer_form"].errors
    )
    context.setdefault("submission_key", uuid.uuid4().hex)
    forms_shown = [extra.get(name) for name in ("form", "answer_form")] if extra else []
    status = 422 if any(form is not None and form.errors for form in forms_shown) else 200
    response = render(request, "visits/meeting.html", context, status=status)
    host = request.get_host()
    sockets = f"wss://{host}" if request.is_secure() else f"wss://{host} ws://{host}"
    response["Content-Security-Policy"] = f"{CONTENT_SECURITY_POLICY}; connect-src 'self' {sockets}"
    response["Permissions-Policy"] = "camera=(self), microphone=(self), geolocation=()"
    return response


@resident_required
def meeting(request: ActorRequest, case_id: int) -> HttpResponse:
    """VISIT-8: the resident's (or the child's) video meeting with the practitioner."""
    visit, current = access.access_meeting_page_for_resident(request.actor, case_id)
    return meeting_page(request, visit, current, role=access.PARTICIPANT_RESIDENT)


@resident_required
@require_POST
def answer_meeting(request: ActorRequest, case_id: int) -> HttpResponse:
    """VISIT-8: the resident accepts the proposed time ("accept") or asks for another one ("decline")."""
    actor = request.actor
    visit, current = access.access_meeting_page_for_resident(actor, case_id)
    if current is None:
        raise NotFound(VisitError.MEETING_NOT_FOUND)
    form = MeetingAnswerForm(request.POST)
    form.is_valid()
    choice = request.POST.get("answer", "")
    accept = {"accept": True, "decline": False}.get(choice)
    note = form.cleaned_data.get("note", "")

    def perform() -> Outcome:
        actions.do_answer_meeting(actor, visit, current, accept=accept, note=note)
        return 200, {"meeting": current.pk}

    try:
        run_idempotent(
            actor,
            request.POST.get("submission_key"),
            "visits.meeting_answer",
            {"meeting": current.pk, "answer": choice, "note": note},
            perform,
        )
    except DomainError as error:
        if error.status == 404:
            raise
        apply_domain_error(form, error)
        if not form.errors:
            form.add_error(None, error.message)
        return meeting_page(
            request,
            visit,
            current,
            role=access.PARTICIPANT_RESIDENT,
            extra={"answer_form": form, "submission_key": request.POST.get("submission_key") or uuid.uuid4().hex},
        )
    if accept:
        messages.success(request, _("Du har bekräftat tiden. Behandlaren har fått besked."))
    else:
        messages.success(request, _("Behandlaren har fått besked att du vill ha en annan tid."))
    return redirect("visits:meeting", case_id=visit.case.pk)
