"""Rate limit on support requests (ORG-6), in the pattern of identity.ratelimits.

Why: the support form is open to anonymous visitors, so a script could fill a
provider's queue and mailbox. Counters live in the shared cache. Limits are read
when a request is checked, from optional settings:
    VARDNAV_SUPPORT_ANONYMOUS_RATE "5/h"  per client IP address, anonymous visitors
    VARDNAV_SUPPORT_RESIDENT_RATE  "20/h" per logged-in resident
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from vardnav.core.actor import Actor
from vardnav.identity.ratelimits import check_rate


def check_support_rate(request: HttpRequest, actor: Actor) -> None:
    if actor.is_resident and actor.person_id is not None:
        person_key = f"person:{actor.person_id}"
        check_rate(
            request,
            group="notifications.support.resident",
            key=lambda group, request: person_key,
            rate=getattr(settings, "VARDNAV_SUPPORT_RESIDENT_RATE", "20/h"),
        )
    else:
        check_rate(
            request,
            group="notifications.support.anonymous",
            key="ip",
            rate=getattr(settings, "VARDNAV_SUPPORT_ANONYMOUS_RATE", "5/h"),
        )
