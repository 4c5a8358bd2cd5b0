"""Template context of the demo: the identities the start page offers.

Why a context processor rather than the start view: the view is production
code and must not import the demo app; settings add this processor only when
the demo app is installed, and web/start.html shows the table when it is given.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from vardnav.demo.start_page import DEMO_IDENTITIES


def demo(request: HttpRequest) -> dict:
    """Read VARDNAV_DEMO per request so tests can turn the demo off."""
    return {"demo_identities": DEMO_IDENTITIES if settings.VARDNAV_DEMO else ()}
