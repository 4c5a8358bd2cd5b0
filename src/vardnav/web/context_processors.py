"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from vardnav.cases.access import resident_unread_count
from vardnav.identity.session import get_actor

DEFAULT_BANKID_TEST_APP_URL = "https://127.0.0.1:8443/test-app/"


def platform(request: HttpRequest) -> dict:
    """Settings every layout needs; read per request so tests can override them."""
    return {
        "VARDNAV_DEMO": settings.VARDNAV_DEMO,
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
        "BANKID_TEST_APP_URL": getattr(settings, "BANKID_TEST_APP_URL", DEFAULT_BANKID_TEST_APP_URL),
    }


def resident_navigation(request: HttpRequest) -> dict:
    """`unread_case_count` for the resident menu's "Mina ärenden" (lazy: one COUNT, only where the menu shows it)."""
    actor = getattr(request, "actor", None) or get_actor(request)
    return {"unread_case_count": SimpleLazyObject(lambda: resident_unread_count(actor))}
