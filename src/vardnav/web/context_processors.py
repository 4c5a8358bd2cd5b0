"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict:
    return {"VARDNAV_DEMO": settings.VARDNAV_DEMO, "SUPPORT_EMAIL": settings.SUPPORT_EMAIL}
