"""The resident's fee page: what each of their cases costs (Mina avgifter)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from vardnav.billing import access
from vardnav.billing.hooks import fee_line
from vardnav.core.http import ActorRequest
from vardnav.identity.decorators import resident_required


@resident_required
def my_fees(request: ActorRequest) -> HttpResponse:
    rows = [
        (case, case_fee, fee_line(case_fee, case.provider_id))
        for case, case_fee in access.resident_case_fees(request.actor)
    ]
    return render(request, "billing/my_fees.html", {"rows": rows})
