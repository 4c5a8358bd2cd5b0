"""Where a resident leaves a complaint (CMP-5): a page after login listing the units and the patient board.

The complaint itself is sent through the case pages (cases:new) of the unit's
or the board's complaint service, so it lands in that inbox (CMP-1) and only a
logged-in resident or a guardian acting for a child can send it (CMP-3).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vardnav.cases import access as case_access
from vardnav.cases.actions import check_resident_subject
from vardnav.complaints import access
from vardnav.core.http import ActorRequest
from vardnav.identity.decorators import resident_required
from vardnav.organizations.access import current_listing
from vardnav.organizations.models import UnitKind


@resident_required
@require_GET
def start(request: ActorRequest) -> HttpResponse:
    subject = check_resident_subject(request.actor)
    listing = current_listing(subject.pk)
    units = case_access.receiving_units()
    offers = access.complaint_offers(units)
    boards = [(unit, service) for unit, service in offers if unit.kind == UnitKind.PATIENT_BOARD]
    care = [(unit, service) for unit, service in offers if unit.kind != UnitKind.PATIENT_BOARD]
    listed = next((offer for offer in care if listing and offer[0].pk == listing.unit_id), None)
    return render(
        request,
        "complaints/start.html",
        {"listed": listed, "care": [offer for offer in care if offer is not listed], "boards": boards},
    )
