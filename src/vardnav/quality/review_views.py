"""The peer-review pages under /personal/kvalitet/ (QA-1): the reviewer's queue and review page, the provider's
follow-up and its appointment of reviewers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vardnav.cases.views import answer_rows
from vardnav.core.errors import DomainError, NotFound
from vardnav.core.forms import apply_domain_error, error_lines
from vardnav.identity.staff.views import StaffRequest, staff_required
from vardnav.organizations.access import is_provider_admin
from vardnav.quality import access, actions
from vardnav.quality.models import PeerReviewPick
from vardnav.quality.review_forms import AppointForm, AssessmentForm


@never_cache
@require_GET
@staff_required
def queue(request: StaffRequest) -> HttpResponse:
    try:
        review_queue = access.review_queue(request.actor)
    except DomainError:
        raise DjangoPermissionDenied from None
    return render(request, "quality/review_queue.html", {"queue": review_queue})


def _review_page(
    request: StaffRequest, pick: PeerReviewPick, form: AssessmentForm, *, status: int = 200
) -> HttpResponse:
    content = access.read_case_for_review(request.actor, pick)
    reviews = access.reviews_of(pick)
    current = access.current_review(reviews)
    return render(
        request,
        "quality/review_detail.html",
        {
            "pick": pick,
            "case": content.case,
            "answers": answer_rows(content.case) if content.case is not None else [],
            "messages_": content.messages,
            "notes": content.notes,
            "reviews": reviews,
            "current": current,
            "form": form,
            "own_case": pick.handler_id == request.actor.staff_id,
        },
        status=status,
    )


@never_cache
@staff_required
@require_http_methods(["GET", "POST"])
def review(request: StaffRequest, pick_id: int) -> HttpResponse:
    try:
        pick = access.access_pick(request.actor, pick_id)
    except NotFound:
        raise Http404 from None
    if request.method == "GET":
        return _review_page(request, pick, AssessmentForm())
    form = AssessmentForm(request.POST)
    form.is_valid()
    corrects = form.cleaned_data.get("corrects")
    try:
        actions.do_sign_peer_review(request.actor, pick, request.POST, corrects_id=corrects)
    except DomainError as error:
        apply_domain_error(form, error)
        return _review_page(request, pick, form, status=400)
    messages.success(request, _("Granskningen av ärende %(number)s är signerad.") % {"number": pick.case_number})
    return redirect("quality:review_queue")


@never_cache
@require_GET
@staff_required
def follow_up(request: StaffRequest) -> HttpResponse:
    actor = request.actor
    try:
        report = access.peer_review_follow_up(actor)
    except DomainError:
        raise DjangoPermissionDenied from None
    admin = actor.provider_id is not None and is_provider_admin(actor, actor.provider_id)
    context: dict[str, object] = {"report": report, "is_admin": admin}
    if admin and actor.provider_id is not None:
        context["reviewers"] = access.current_peer_reviewers(actor.provider_id)
        context["appoint_form"] = AppointForm(staff_choices=_staff_choices(actor.provider_id))
    return render(request, "quality/review_follow_up.html", context)


def _staff_choices(provider_id: int) -> list[tuple[int, str]]:
    return [
        (s.pk, f"{s.given_name} {s.surname}, {s.get_profession_display().lower()}")
        for s in access.appointable_staff(provider_id)
    ]


@staff_required
@require_POST
def appoint(request: StaffRequest) -> HttpResponse:
    actor = request.actor
    if actor.provider_id is None or not is_provider_admin(actor, actor.provider_id):
        raise DjangoPermissionDenied
    form = AppointForm(request.POST, staff_choices=_staff_choices(actor.provider_id))
    form.is_valid()
    try:
        staff = access.access_appointable_staff(actor, form.cleaned_data.get("staff") or 0)
        actions.do_appoint_peer_reviewer(actor, staff)
    except DomainError as error:
        for line in error_lines(error):
            messages.error(request, line)
    else:
        messages.success(
            request, _("%(name)s är nu kvalitetsgranskare.") % {"name": f"{staff.given_name} {staff.surname}"}
        )
    return redirect("quality:review_follow_up")


@staff_required
@require_POST
def end_appointment(request: StaffRequest, appointment_id: int) -> HttpResponse:
    actor = request.actor
    if actor.provider_id is None or not is_provider_admin(actor, actor.provider_id):
        raise DjangoPermissionDenied
    try:
        appointment = access.access_appointment(actor, appointment_id)
    except NotFound:
        raise Http404 from None
    actions.do_end_peer_reviewer(actor, appointment)
    messages.success(request, _("Uppdraget som kvalitetsgranskare är avslutat."))
    return redirect("quality:review_follow_up")
