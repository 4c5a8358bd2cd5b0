"""View guards for pages that need a logged-in resident.

Why a decorator rather than Django's login_required: residents are not Django
users (ID-1: they exist only through BankID), so "logged in" means a resident
identity in the session, read through the Actor.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse

from vardnav.identity.session import get_actor


def resident_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Send anyone who is not a logged-in resident to the BankID login, then back here."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        actor = getattr(request, "actor", None) or get_actor(request)
        if not actor.is_resident or actor.person_id is None:
            target = request.get_full_path() if request.method in ("GET", "HEAD") else request.path
            return HttpResponseRedirect(f"{reverse('identity:login')}?{urlencode({'next': target})}")
        request.actor = actor  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
