"""The resident's fee pages: what each of their cases costs (Mina avgifter), their cost
ceiling with its frikort (Högkostnadsskydd), where a frikort can be entered by hand, and
their invoices, each also a PDF that is the receipt (Mina fakturor)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from vardnav.billing import access, actions
from vardnav.billing.forms import FreeCardForm
from vardnav.billing.hooks import fee_line
from vardnav.billing.models import DunningKind, InvoiceStatus
from vardnav.billing.pdf import render_invoice_document, status_text
from vardnav.billing.texts import kronor
from vardnav.core.errors import DomainError, NotFound
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
    unpaid = [(row, kronor(row.due_ore)) for row in access.my_unpaid_invoices(request.actor)]
    return render(request, "billing/my_fees.html", {"rows": rows, "unpaid_invoices": unpaid})


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
            "has_card_providers": bool(providers),
            "efrikort_providers": [provider.name for provider in access.efrikort_providers()],
            "submission_key": request.POST.get("submission_key") or uuid.uuid4().hex,
        },
        status=422 if form.errors else 200,
    )


# --- invoices (FEE-4, FEE-7) ---------------------------------------------------------------------


def invoice_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Plain rows with the amounts and status written for people."""
    shown = []
    for row in rows:
        total = int(row["amount_ore"]) + int(row["reminder_fee_ore"])
        shown.append({**row, "total": kronor(total), "status_label": InvoiceStatus(row["status"]).label})
    return shown


@resident_required
def my_invoices(request: ActorRequest) -> HttpResponse:
    rows = invoice_rows(access.resident_invoice_rows(request.actor))
    return render(request, "billing/my_invoices.html", {"rows": rows})


@resident_required
def invoice(request: ActorRequest, invoice_id: int) -> HttpResponse:
    try:
        document = access.access_invoice_for_resident(request.actor, invoice_id)
    except NotFound:
        raise Http404 from None
    return render(request, "billing/invoice.html", invoice_context(document))


def invoice_context(document: access.InvoiceDocument) -> dict[str, object]:
    invoice = document.invoice
    reminder = next((d for d in document.dunnings if d.kind == DunningKind.REMINDER), None)
    return {
        "document": document,
        "invoice": invoice,
        "status_label": status_text(invoice),
        "amount": kronor(invoice.amount_ore),
        "reminder_fee": kronor(invoice.reminder_fee_ore) if invoice.reminder_fee_ore else "",
        "paid": kronor(invoice.paid_ore) if invoice.paid_ore else "",
        "due": kronor(invoice.due_ore),
        "due_on": reminder.due_on if reminder else invoice.due_on,
        "bankgiro": settings.VARDNAV_BANKGIRO,
        "for_child": invoice.patient_id != invoice.payer_id,
        "credit_note": document.credit_note,
        "credit_amount": kronor(document.credit_note.amount_ore) if document.credit_note else "",
    }


def invoice_pdf_response(document: access.InvoiceDocument, *, with_personal_number: bool) -> HttpResponse:
    body = render_invoice_document(document, with_personal_number=with_personal_number)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="faktura-{document.invoice.number}.pdf"'
    return response


@resident_required
def invoice_pdf(request: ActorRequest, invoice_id: int) -> HttpResponse:
    """The invoice as a PDF, which is the receipt; the personal number only when asked for (FEE-7)."""
    try:
        document = access.access_invoice_for_resident(request.actor, invoice_id)
    except NotFound:
        raise Http404 from None
    return invoice_pdf_response(document, with_personal_number=request.GET.get("personnummer") == "1")


# --- paying an invoice with Swish (FEE-6) --------------------------------------------------------------


@resident_required
@require_http_methods(["GET", "POST"])
def pay_with_swish(request: ActorRequest, invoice_id: int) -> HttpResponse:
    """The invoice's Swish page: start a payment, then wait for the answer from the Swish app (the page
    refreshes itself and asks Swish for the status; the callback usually answers first)."""
    from vardnav.billing import payments
    from vardnav.billing.models import SwishStatus

    invoice = access.access_my_invoice(request.actor, invoice_id)
    error = ""
    if request.method == "POST":
        try:
            started = payments.do_start_swish_payment(request.actor, invoice)
        except DomainError as exc:
            error = str(exc.message)
        else:
            return redirect(f"{request.path}?betalning={started.pk}")
    payment = None
    raw = request.GET.get("betalning", "")
    if raw.isdigit() and len(raw) < 19:
        payment = payments.do_refresh_swish_payment(
            request.actor, access.access_my_swish_payment(request.actor, invoice, int(raw))
        )
        invoice.refresh_from_db()
    waiting = payment is not None and payment.status == SwishStatus.CREATED
    return render(
        request,
        "billing/pay_with_swish.html",
        {
            "invoice": invoice,
            "due": kronor(invoice.due_ore),
            "payment": payment,
            "waiting": waiting,
            "error": error,
            "test_app_url": getattr(settings, "SWISH_TEST_APP_URL", "") if settings.VARDNAV_DEMO else "",
        },
        status=400 if error else 200,
    )


@csrf_exempt
@require_http_methods(["POST"])
def swish_callback(request: HttpRequest, token: str) -> HttpResponse:
    """Swish's callback (JSON POST) for one payment; see billing.payments for why it is never trusted."""
    import json

    from vardnav.billing import payments

    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        body = None
    try:
        result = payments.do_handle_swish_callback(token, body)
    except DomainError as exc:
        return JsonResponse({"code": str(exc.code), "detail": str(exc.message)}, status=exc.status)
    return JsonResponse({"status": result.payment.status, "changed": result.changed})
