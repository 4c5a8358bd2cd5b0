"""`{% listing_fit service unit as fit %}`: can the resident (or the child they act for) send this
service to this unit? Asked before anything is typed, so the form is not filled in only to be
refused on submit (issue 11, item 4).

- A service the subject is too young, too old or of the other sex for (catalog.eligibility):
  `fit.ok` is False and `fit.reason` says why, in the words the submission would be refused with.
- A listing-bound service at a unit where the subject is not listed (CASE-1 routes it to the
  listed unit): `fit.ok` is False and `fit.listed_unit` is the unit to use instead (None: not
  listed at this provider at all).

The subject and their listing are read once per request, however many services a page asks about.
"""

from __future__ import annotations

from typing import Any

from django import template

from vardnav.cases.actions import check_resident_subject
from vardnav.catalog.eligibility import eligibility_error, has_conditions
from vardnav.catalog.models import Service
from vardnav.core import clock
from vardnav.core.errors import DomainError
from vardnav.organizations.access import current_listing
from vardnav.organizations.models import Listing, Unit
from vardnav.people.models import Person

register = template.Library()

_CACHE = "_vardnav_fit_subject"


def _subject_and_listing(context: template.Context) -> tuple[Person | None, Listing | None]:
    request = context.get("request")
    if request is not None and hasattr(request, _CACHE):
        cached: tuple[Person | None, Listing | None] = getattr(request, _CACHE)
        return cached
    subject: Person | None = None
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
        setattr(request, _CACHE, (subject, listing))
    return subject, listing


@register.simple_tag(takes_context=True)
def listing_fit(context: template.Context, service: Service, unit: Unit) -> dict[str, Any]:
    if not service.listing_bound and not has_conditions(service):
        return {"ok": True, "listed_unit": None, "reason": ""}
    subject, listing = _subject_and_listing(context)
    if subject is not None:
        refusal = eligibility_error(service, subject, clock.today())
        if refusal is not None:
            return {"ok": False, "listed_unit": None, "reason": refusal.message}
    if not service.listing_bound:
        return {"ok": True, "listed_unit": None, "reason": ""}
    if listing is not None and listing.unit.provider_id == service.provider_id:
        return {"ok": listing.unit_id == unit.pk, "listed_unit": listing.unit, "reason": ""}
    return {"ok": False, "listed_unit": None, "reason": ""}
