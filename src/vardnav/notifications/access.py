"""Reading notices and the outbox for an actor; lists are keyset-paginated on id."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from vardnav.core.actor import Actor
from vardnav.core.errors import NotFound, PermissionDenied
from vardnav.notifications.models import Notice, OutgoingMessage, SupportRequest

PAGE_SIZE = 50


@dataclass
class NoticePage:
    items: list[Notice]
    next_cursor: int | None


def _own(actor: Actor):
    if actor.is_resident and actor.person_id is not None:
        return Notice.objects.filter(person_id=actor.person_id)
    if actor.is_staff and actor.staff_id is not None:
        return Notice.objects.filter(staff_id=actor.staff_id)
    raise PermissionDenied()


def notices_for(actor: Actor, *, before: str | None = None) -> NoticePage:
    """The actor's own notices, newest first: one query per page.

    A guardian acting for a child still sees their own notices: notices about a
    child's case are addressed to the guardian.
    """
    queryset = _own(actor).order_by("-id")
    if before and before.isdigit():
        queryset = queryset.filter(pk__lt=int(before))
    rows = list(queryset[: PAGE_SIZE + 1])
    items = rows[:PAGE_SIZE]
    return NoticePage(items=items, next_cursor=items[-1].pk if len(rows) > PAGE_SIZE else None)


def unread_notice_count(actor: Actor) -> int:
    """One COUNT on a partial index; 0 without a query for anyone who cannot have notices."""
    try:
        return _own(actor).filter(read_at__isnull=True).count()
    except PermissionDenied:
        return 0


def recent_outgoing_messages(limit: int = 50) -> list[OutgoingMessage]:
    return list(OutgoingMessage.objects.order_by("-id")[:limit])


def mask_address(address: str) -> str:
    """Enough of an address for a tester to recognise it, not enough to use it."""
    if "@" in address:
        local, _, domain = address.partition("@")
        name, _, tld = domain.rpartition(".")
        return f"{local[:1]}***@{name[:1]}***.{tld}" if name else f"{local[:1]}***@***"
    digits = address.strip()
    return f"{digits[:3]}***{digits[-2:]}" if len(digits) > 5 else "***"


SUPPORT_PAGE_SIZE = 50


def provider_support_requests(provider_id: int, after: tuple[dt.datetime, int] | None = None) -> list[SupportRequest]:
    """The provider's support queue, newest first, one page (keyset) in one query; one row more tells of a next page."""
    queryset = SupportRequest.objects.filter(provider_id=provider_id)
    if after is not None:
        moment, pk = after
        queryset = queryset.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk))
    return list(queryset.order_by("-created_at", "-pk")[: SUPPORT_PAGE_SIZE + 1])


def access_provider_support_request(provider_id: int, request_id: int) -> SupportRequest:
    """One of the provider's support requests; another provider's is the same 404 as a missing one."""
    found = SupportRequest.objects.select_related("handled_by").filter(provider_id=provider_id, pk=request_id).first()
    if found is None:
        raise NotFound()
    return found
