"""Staff pages: login through the IdP, the failure page, unit choice, start page, logout.

Thin by design: oidc.py talks to the IdP, access.py fetches, actions.py changes
the session and writes the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vardnav.core.errors import NotFound
from vardnav.core.http import ActorRequest
from vardnav.identity.session import get_actor, get_identity, pop_logout_reason
from vardnav.identity.staff import oidc
from vardnav.identity.staff.access import (
    access_current_staff,
    access_role_grant,
    get_staff_for_login,
    role_grants_of,
)
from vardnav.identity.staff.actions import do_choose_unit, do_staff_login, do_staff_logout
from vardnav.identity.staff.forms import ChooseUnitForm
from vardnav.organizations.models import Role, Staff

logger = logging.getLogger(__name__)

LOGIN_CANCELLED = "Inloggningen avbröts. Du kan logga in igen när du vill."
LOGOUT_REASONS = {
    "idle": "Du har loggats ut eftersom du inte har gjort något på en stund. Logga in igen.",
    "absolute": "Du har varit inloggad länge och har loggats ut. Logga in igen.",
}


def login_failed(request: HttpRequest, *, status: int = 403) -> HttpResponse:
    """The failure page with the e-tjänstekort troubleshooting steps (ID-5, seed S2)."""
    return render(request, "identity/staff/login_failed.html", {}, status=status)


class StaffRequest(ActorRequest):
    """A staff page's request: `actor` as on every page, `staff` the logged-in, still active staff member."""

    staff: Staff


def staff_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Pages for a logged-in, still active staff member; others go to the login page.

    The view receives a StaffRequest: the actor on `request.actor`, as on every
    page, and the staff member on `request.staff`.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        actor = getattr(request, "actor", None) or get_actor(request)
        try:
            staff = access_current_staff(actor)
        except NotFound:
            return redirect("staff:login")
        request.actor = actor  # type: ignore[attr-defined]  # the StaffRequest this decorator promises the view
        request.staff = staff  # type: ignore[attr-defined]  # idem
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@require_GET
def login(request: HttpRequest) -> HttpResponse:
    reason = pop_logout_reason(request)
    identity = get_identity(request) or {}
    return render(
        request,
        "identity/staff/login.html",
        {"logout_reason": LOGOUT_REASONS.get(reason or ""), "logged_in": identity.get("kind") == "staff"},
    )


@never_cache
@require_GET
def login_start(request: HttpRequest) -> HttpResponse:
    """A link, not a form: CSP form-action 'self' would stop a POST redirecting to the IdP."""
    try:
        return oidc.begin_login(request)
    except oidc.StaffLoginError as error:
        logger.warning("staff login failed: %s", error.reason)
        return login_failed(request, status=error.status)


@never_cache
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    try:
        claims = oidc.complete_login(request)
    except oidc.StaffLoginError as error:
        if error.reason == "cancelled":
            return render(request, "identity/staff/login.html", {"logout_reason": LOGIN_CANCELLED})
        logger.warning("staff login failed: %s", error.reason)
        return login_failed(request, status=error.status)
    staff = get_staff_for_login(oidc.hsa_ids_from_claims(claims))
    if staff is None:
        logger.warning("staff login failed: %s", "unknown_or_inactive_staff")
        return login_failed(request)
    do_staff_login(request, staff, personal_number=oidc.personal_number_from_claims(claims))
    grants = list(role_grants_of(get_actor(request))[:2])
    if len(grants) == 1:
        do_choose_unit(request, grants[0])
        return redirect("staff:home")
    return redirect("staff:choose_unit")


@never_cache
@require_http_methods(["GET", "POST"])
@staff_required
def choose_unit(request: StaffRequest) -> HttpResponse:
    actor, staff = request.actor, request.staff
    if request.method == "POST":
        form = ChooseUnitForm(request.POST)
        if not form.is_valid():
            raise Http404
        try:
            grant = access_role_grant(actor, form.cleaned_data["unit"], form.cleaned_data["role"])
        except NotFound:
            raise Http404 from None
        do_choose_unit(request, grant)
        return redirect("staff:home")

    units: dict[int, dict[str, Any]] = {}
    for grant in role_grants_of(actor):
        entry = units.setdefault(grant.unit_id, {"unit": grant.unit, "roles": []})
        entry["roles"].append({"value": grant.role, "label": Role(grant.role).label})
    if not units:
        # A provider administrator without a role at any unit works in the settings area (issue 11, item 13).
        if staff.is_provider_admin:
            return redirect("staffsettings:home")
        return render(request, "identity/staff/no_role.html", {"staff": staff})
    return render(
        request,
        "identity/staff/choose_unit.html",
        {
            "staff": staff,
            "units": list(units.values()),
            "role_count": sum(len(entry["roles"]) for entry in units.values()),
            "current_unit_id": actor.unit_id,
            "current_role": actor.role,
        },
    )


@never_cache
@require_GET
@staff_required
def home(request: StaffRequest) -> HttpResponse:
    actor, staff = request.actor, request.staff
    if actor.unit_id is None or actor.role is None:
        return redirect("staff:choose_unit")
    try:
        grant = access_role_grant(actor, actor.unit_id, actor.role)
    except NotFound:
        # The role was revoked since it was chosen: choose again.
        return redirect("staff:choose_unit")
    several = role_grants_of(actor)[:2].count() > 1
    return render(
        request,
        "identity/staff/home.html",
        {
            "staff": staff,
            "unit": grant.unit,
            "role_label": Role(grant.role).label,
            "can_change_unit": several,
            # A unit head has no inbox: only receivers and handlers work cases.
            "has_inbox": grant.role in (Role.RECEIVER, Role.HANDLER),
            # A unit head (and a provider administrator) keeps the settings of their units.
            "has_settings": grant.role == Role.UNIT_ADMIN or staff.is_provider_admin,
            # The quality follow-up's statistics (QA-3, QA-4) are theirs too.
            "has_quality": grant.role == Role.UNIT_ADMIN or staff.is_provider_admin,
        },
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    do_staff_logout(request)
    messages.success(request, "Du är utloggad.")
    return redirect("staff:login")
