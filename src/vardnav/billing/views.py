"""The resident's fee pages: what each of their cases costs (Mina avgifter), and their cost
ceiling with its frikort (Högkostnadsskydd), where a frikort can be entered by hand."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vardnav.billing import access, actions
from vardnav.billing.forms import FreeCardForm
from vardnav.billing.hooks import fee_line
from vardnav.billing.texts import kronor
from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error
from vardnav.core.http import ActorRequest
from vardnav.core.idempotency import run_idempotent
from vardnav.identity.decorators import resident_required


@resident_required
def my_fees(request: ActorRequest) -> HttpResponse:
    rows = [
        (case, case_fee, fee_line(case_fee, case.provider_id))
        for case, case_fee in access.resident_case_fees(request.actor)
    ]
    return render(request, "billing/my_fees.html", {"rows": rows})


@resident_required
@require_http_methods(["GET", "POST"])
def my_ceiling(request: ActorRequest) -> HttpResponse:
    """Högkostnadsskydd: the period, what is paid and left, the frikort; entering a frikort by hand."""
    providers = [(p.pk, p.name) for p in access.providers_for_cards()]
    form = FreeCardForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = actions.NewFreeCard(
            provider_id=data["provider"],
            card_number=data["card_number"],
            issuer=data["issuer"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
        )
        try:
            run_idempotent(
                request.actor,
                request.POST.get("submission_key"),
                "billing.free_card",
                {key: str(value) for key, value in data.items()},
                lambda: (201, {"id": actions.do_enter_free_card(request.actor, new).pk}),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Frikortet är registrerat. Mottagningen kontrollerar det innan det gäller."))
            return redirect("billing:my_ceiling")
    view = access.resident_ceiling(request.actor)
    status = view.status
    return render(
        request,
        "billing/my_ceiling.html",
        {
            "status": status,
            "ceiling": kronor(status.ceiling_ore),
            "paid": kronor(status.paid_ore),
            "remaining": kronor(status.remaining_ore),
            "charges": [(charge, kronor(charge.fee_ore), kronor(charge.charged_ore)) for charge in view.charges],
            "cards": view.cards,
            "form": form,
            "submission_key": request.POST.get("submission_key") or uuid.uuid4().hex,
        },
        status=422 if form.errors else 200,
    )
