"""`notice_count`: the logged-in person's unread notices, for the layouts' notice link.

Lazy: the COUNT runs only on a page whose template reads the variable, so it
costs at most one query per page and none elsewhere.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from vardnav.identity.session import get_actor
from vardnav.notifications.access import unread_notice_count


def notices(request: HttpRequest) -> dict:
    actor = getattr(request, "actor", None) or get_actor(request)
    return {"notice_count": SimpleLazyObject(lambda: unread_notice_count(actor))}
