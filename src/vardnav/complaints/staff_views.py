"""The complaints pages under /personal/: the patient board's list (CMP-2), the follow-up, the provider's placement (CMP-5)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vardnav.complaints import access, actions
from vardnav.complaints.forms import PolicyForm, UnitAssignmentForm
from vardnav.core.errors import DomainError, NotFound
from vardnav.core.forms import error_lines
from vardnav.identity.staff.views import StaffRequest, staff_required
from vardnav.organizations.access import is_provider_admin


@staff_required
def board(request: StaffRequest) -> HttpResponse:
    unit = access.board_unit(request.actor)
    if unit is None:
        raise DjangoPermissionDenied
    return render(
        request,
        "complaints/staff/board.html",
        {"unit": unit, "cases": list(access.board_cases(unit)), "form": UnitAssignmentForm()},
    )


@staff_required
@require_POST
def set_unit(request: StaffRequest, case_id: int) -> HttpResponse:
    try:
        unit, case = access.access_board_case(request.actor, case_id)
    except NotFound:
        raise Http404 from None
    try:
        assignment = actions.do_set_complaint_unit(request.actor, unit, case, request.POST.get("hsa_id", ""))
    except DomainError as error:
        for line in error_lines(error):
            messages.error(request, f"{case.number}: {line}")
    else:
        messages.success(
            request, _("Ärende %(number)s gäller nu %(unit)s.") % {"number": case.number, "unit": assignment.unit.name}
        )
    return redirect("complaints:board")


@staff_required
def follow_up(request: StaffRequest) -> HttpResponse:
    try:
        counts = access.follow_up(request.actor)
    except DomainError:
        raise DjangoPermissionDenied from None
    return render(request, "complaints/staff/follow_up.html", {"follow_up": counts})


@staff_required
@require_http_methods(["GET", "POST"])
def policy(request: StaffRequest) -> HttpResponse:
    actor = request.actor
    if actor.provider_id is None or not is_provider_admin(actor, actor.provider_id):
        raise DjangoPermissionDenied
    current = access.policy_for(actor.provider_id)
    form = PolicyForm(
        request.POST if request.method == "POST" else None,
        initial={"show_on_unit_pages": bool(current and current.show_on_unit_pages)},
    )
    if request.method == "POST":
        form.is_valid()
        actions.do_set_complaint_policy(
            actor, actor.provider_id, show_on_unit_pages=bool(form.cleaned_data.get("show_on_unit_pages"))
        )
        messages.success(request, _("Inställningen är sparad."))
        return redirect("complaints:policy")
    return render(request, "complaints/staff/policy.html", {"form": form})
