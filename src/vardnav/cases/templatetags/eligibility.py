"""`{% listing_fit service unit as fit %}`: can the resident (or the child they act for) send this
listing-bound service to this unit? Asked before anything is typed, so the form is not filled in
only to be refused on submit (CASE-1 routes listing-bound services to the listed unit).

`fit.ok` is True for a service that is not listing-bound or a unit where the subject is listed;
otherwise `fit.listed_unit` is the unit to use instead (None: not listed at this provider at all).
The subject's listing is read once per request, however many services a page asks about.
"""

from __future__ import annotations

from typing import Any

from django import template

from vardnav.cases.actions import check_resident_subject
from vardnav.catalog.models import Service
from vardnav.core.errors import DomainError
from vardnav.organizations.access import current_listing
from vardnav.organizations.models import Listing, Unit

register = template.Library()

_CACHE = "_vardnav_current_listing"


def _current_listing(context: template.Context) -> Listing | None:
    request = context.get("request")
    if request is not None and hasattr(request, _CACHE):
        cached: Listing | None = getattr(request, _CACHE)
        return cached
    listing = None
    actor = context.get("current_actor")
    if actor is not None and actor.is_resident:
        try:
            subject = check_resident_subject(actor)
        except DomainError:
            subject = None
        if subject is not None:
            listing = current_listing(subject.pk)
    if request is not None:
        setattr(request, _CACHE, listing)
    return listing


@register.simple_tag(takes_context=True)
def listing_fit(context: template.Context, service: Service, unit: Unit) -> dict[str, Any]:
    if not service.listing_bound:
        return {"ok": True, "listed_unit": None}
    listing = _current_listing(context)
    if listing is not None and listing.unit.provider_id == service.provider_id:
        return {"ok": listing.unit_id == unit.pk, "listed_unit": listing.unit}
    return {"ok": False, "listed_unit": None}
