"""Resident pages: the medication list with "Förnya" buttons (RX-1/RX-2) and the renewal form.

Why the renewal form posts to the case engine's own page: submitting, the
one-time key and error display stay in one place (cases.views.new_case); this
page only prefills the questionnaire from the chosen prescription and adds the
type-ahead over the drug register (RX-3), which works without JavaScript too
(the server checks the name and suggests products).
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vardnav.cases.forms import QuestionnaireForm
from vardnav.catalog.access import current_questionnaire
from vardnav.catalog.errors import CatalogError
from vardnav.core.errors import NotFound
from vardnav.core.http import ActorRequest
from vardnav.identity.decorators import resident_required
from vardnav.prescriptions import access
from vardnav.prescriptions.errors import PrescriptionError
from vardnav.prescriptions.hooks import medicine_type_ahead
from vardnav.prescriptions.register import search_products

SEARCH_LIMIT = 10


@resident_required
def medication_list(request: ActorRequest) -> HttpResponse:
    return render(request, "prescriptions/medication_list.html", {"list": access.medication_list(request.actor)})


@resident_required
@require_GET
def renew(request: ActorRequest, prescription_id: int | None = None) -> HttpResponse:
    if prescription_id is None:
        prescription, listed = None, access.medication_list(request.actor)
    else:
        prescription, listed = access.access_renewable_prescription(request.actor, prescription_id)
    if listed.service is None or listed.unit is None:
        raise NotFound(PrescriptionError.NO_DIGITAL_RENEWAL)
    questionnaire = current_questionnaire(listed.service)
    if questionnaire is None:
        raise NotFound(CatalogError.SERVICE_NOT_OFFERED)
    initial = {}
    if prescription is not None:
        initial = {"medicine": prescription.product.label, "dosage": prescription.dosage}
    form = QuestionnaireForm(questionnaire.items, initial=initial)
    form.enhance(medicine_type_ahead())
    return render(
        request,
        "prescriptions/renew.html",
        {
            "unit": listed.unit,
            "service": listed.service,
            "form": form,
            "prescription": prescription,
            "submission_key": uuid.uuid4().hex,
        },
    )


@require_GET
def product_search(request: HttpRequest) -> JsonResponse:
    """Type-ahead over the public drug register: names, strengths and forms, never anything personal."""
    query = request.GET.get("q", "")[:120]
    results = [
        {"npl_id": p.npl_id, "label": p.label, "name": p.name} for p in search_products(query, limit=SEARCH_LIMIT)
    ]
    return JsonResponse({"results": results})
