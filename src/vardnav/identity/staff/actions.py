"""State changes of the staff login: logging in, choosing the unit, logging out.

Why they take the request: the state they change is the server-side session
(identity.session), which lives on the request. Each writes its audit entry in
the same transaction as the session change is decided.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.db import transaction
from django.http import HttpRequest

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core.actor import Actor, ActorKind
from vardnav.identity.session import end_session, get_actor, start_session, update_session
from vardnav.organizations.models import RoleGrant, Staff

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# Apps above identity that keep something about the staff member from the login claims register here
# (records: the staff member's own personal number for the log review). Called inside the login's transaction.
StaffLoginListener = Callable[[Actor, Staff, str], object]
_personal_number_listeners: list[StaffLoginListener] = []


def register_staff_personal_number_listener(listener: StaffLoginListener) -> None:
    if listener not in _personal_number_listeners:
        _personal_number_listeners.append(listener)


def do_staff_login(request: HttpRequest, staff: Staff, *, personal_number: str | None = None) -> None:
    """Start a staff session with a new session id (ID-5); no unit or role yet.

    The Staff's Django user, if any, is logged in too so provider admins reach the
    Django admin without a password of their own. `personal_number`: the staff
    member's own, from the IdP's claim, handed to the registered listeners.
    """
    with transaction.atomic():
        start_session(
            request, kind=ActorKind.STAFF, auth_method="oidc", staff_id=staff.pk, provider_id=staff.provider_id
        )
        if staff.user is not None and staff.user.is_active:
            # After start_session the session holds no other user, so login() only cycles the key.
            django_login(request, staff.user, backend=MODEL_BACKEND)
        do_record(get_actor(request), AuditEvent.STAFF_LOGIN, staff)
        if personal_number:
            for listener in _personal_number_listeners:
                listener(get_actor(request), staff, personal_number)


def do_choose_unit(request: HttpRequest, grant: RoleGrant) -> None:
    """Work at the grant's unit in its role; the grant comes from access_role_grant."""
    with transaction.atomic():
        update_session(request, unit_id=grant.unit_id, role=grant.role)
        do_record(get_actor(request), AuditEvent.STAFF_UNIT_CHOSEN, grant.unit)


def do_staff_logout(request: HttpRequest) -> None:
    actor = get_actor(request)
    with transaction.atomic():
        if actor.is_staff:
            do_record(actor, AuditEvent.STAFF_LOGOUT, object_type=Staff._meta.label_lower, object_id=actor.staff_id)
    end_session(request)
    django_logout(request)
