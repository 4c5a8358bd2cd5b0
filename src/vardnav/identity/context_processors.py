"""Who is logged in and for whom they act, for every template.

Why here: the "Du agerar för …" banner (ID-2) must be on every resident page,
and the layout should not know how acting-for works. The layout includes
`identity/_acting_for.html` and `identity/_account.html`, which read only what
this returns. Queries run lazily, only on pages that render the banner.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext

from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import NotFound
from vardnav.identity.access import access_acting_for, children_for_choice
from vardnav.identity.session import get_actor, get_identity
from vardnav.organizations.access import staff_header
from vardnav.organizations.models import Role
from vardnav.people.display import for_line


@dataclass(frozen=True)
class ActingFor:
    is_self: bool
    name: str  # the child's given name, or "dig själv"
    can_switch: bool  # the resident has a child under 16 to switch to or from
    switch_url: str
    for_line: str = ""  # "För Elsa Lindqvist, 8 år" when acting for a child, for forms and lists


def _acting_for(actor: Actor) -> ActingFor | None:
    if not actor.is_resident or actor.person_id is None:
        return None
    try:
        subject = access_acting_for(actor)
    except NotFound:
        return None
    is_self = actor.acting_for_id is None
    # A protected child has no stored name (PRIV-1): the guardian is told it is their child.
    name = gettext("dig själv") if is_self else (subject.given_name or gettext("ditt barn"))
    can_switch = not is_self or any(choice.selectable for choice in children_for_choice(actor))
    return ActingFor(
        is_self=is_self,
        name=name,
        can_switch=can_switch,
        switch_url=reverse("identity:choose_person"),
        for_line="" if is_self else for_line(subject),
    )


def _role_label(actor: Actor) -> str:
    return str(Role(actor.role).label) if actor.role in Role.values else ""


# Warn this long before the idle timeout (WCAG 2.2.1 asks for at least 20 seconds to respond).
IDLE_WARNING_SECONDS = 120


def _idle_clock(request: HttpRequest) -> dict[str, int] | None:
    """Seconds left before the idle timeout and when to warn, for the layout's "Fortsätt vara inloggad"."""
    identity = get_identity(request)
    if not identity:
        return None
    left = settings.SESSION_IDLE_SECONDS - (clock.now().timestamp() - float(identity.get("last_seen_at", 0)))
    warn = min(IDLE_WARNING_SECONDS, settings.SESSION_IDLE_SECONDS // 2)
    return {
        "seconds_left": max(int(left), 0),
        "idle_seconds": settings.SESSION_IDLE_SECONDS,
        "warn_seconds": warn,
        "warn_minutes": max(1, round(warn / 60)),
    }


def _draft_owner(actor: Actor) -> str:
    """An opaque tag of who is writing (and for whom), so a kept draft is offered only to the same person."""
    if not actor.is_resident or actor.person_id is None:
        return ""
    return salted_hmac("vardnav.draft-owner", f"{actor.person_id}:{actor.acting_for_id}").hexdigest()[:24]


def identity(request: HttpRequest) -> dict:
    actor = getattr(request, "actor", None) or get_actor(request)
    context = {
        "idle_clock": _idle_clock(request),
        "draft_owner": _draft_owner(actor),
        "current_actor": actor,
        "resident_logged_in": actor.is_resident,
        "acting_for": SimpleLazyObject(lambda: _acting_for(actor)),
        "logout_url": reverse("identity:logout"),
    }
    if actor.is_staff and actor.staff_id is not None:
        # Who, where and in which role, and the menu's "Inställningar" (provider administrators
        # and heads of unit): one query, lazily, only on pages that show them.
        header = SimpleLazyObject(lambda: staff_header(actor))
        context.update(
            staff_label=SimpleLazyObject(lambda: header.name),
            unit_label=SimpleLazyObject(lambda: header.unit_name),
            role_label=_role_label(actor),
            staff_keeps_settings=SimpleLazyObject(lambda: header.keeps_settings),
            # The menu's entries for vaccinating staff and for a patient board (same query).
            staff_profession=SimpleLazyObject(lambda: header.profession),
            staff_is_provider_admin=SimpleLazyObject(lambda: header.is_provider_admin),
            unit_kind=SimpleLazyObject(lambda: header.unit_kind),
        )
    return context
