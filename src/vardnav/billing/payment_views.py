"""Staff pages for the payment gaps (FEE-5, FEE-6, BOOK-5): putting an incoming payment on an invoice,
the surpluses to pay back, the letter queue, and a Swish request sent from the desk. Thin: the
access_* functions fetch, the do_* actions change."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vardnav.billing import access, letters, payments
from vardnav.billing.errors import BillingError
from vardnav.billing.forms import DeskSearchForm, DeskSwishForm
from vardnav.billing.models import SwishStatus
from vardnav.billing.staff_views import _desk, _finance
from vardnav.billing.texts import kronor
from vardnav.core import clock
from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error, error_lines
from vardnav.core.http import pdf_download
from vardnav.identity.staff.views import StaffRequest, staff_required


@staff_required
@require_http_methods(["GET", "POST"])
def incoming_payment_assign(request: StaffRequest, incoming_id: int) -> HttpResponse:
    """Find the invoice an unmatched payment (or an over-payment's surplus) belongs to, then confirm."""
    _finance(request)
    incoming = access.access_incoming_payment(request.actor, incoming_id)
    amount = payments.assignable_ore(incoming)
    search = DeskSearchForm(request.GET or None)
    invoice = None
    if search.is_valid():
        try:
            invoice = access.access_assignable_invoice(request.actor, search.cleaned_data["query"])
        except DomainError as error:
            apply_domain_error(search, error)
    if request.method == "POST":
        if invoice is None:
            if not search.errors:
                apply_domain_error(search, BillingError.ASSIGN_INVOICE_NOT_FOUND.error(field="query"))
        else:
            try:
                payments.do_assign_incoming_payment(request.actor, incoming, invoice)
            except DomainError as error:
                apply_domain_error(search, error)
            else:
                messages.success(
                    request, _("Inbetalningen är bokförd på faktura %(number)s.") % {"number": invoice.number}
                )
                return redirect("billing:incoming_payments")
    return render(
        request,
        "billing/staff/incoming_payment_assign.html",
        {
            "incoming": incoming,
            "amount": kronor(amount),
            "assignable": amount > 0,
            "search": search,
            "invoice": invoice,
            "invoice_due": kronor(invoice.due_ore) if invoice is not None else "",
        },
        status=422 if search.errors else 200,
    )


@staff_required
def surplus_refunds(request: StaffRequest) -> HttpResponse:
    """Over-payments whose surplus is owed back to the payer, oldest first."""
    _finance(request)
    rows = access.surplus_refund_rows(request.actor)
    return render(
        request,
        "billing/staff/surplus_refunds.html",
        {"rows": [(row, kronor(row.surplus_ore)) for row in rows]},
    )


@staff_required
@require_http_methods(["POST"])
def surplus_refunded(request: StaffRequest, incoming_id: int) -> HttpResponse:
    _finance(request)
    incoming = access.access_incoming_payment(request.actor, incoming_id)
    try:
        payments.do_refund_surplus(request.actor, incoming)
    except DomainError as error:
        for line in error_lines(error):
            messages.error(request, line)
    else:
        messages.success(request, _("Överskottet är markerat som återbetalt."))
    return redirect("billing:surplus_refunds")


@staff_required
@require_http_methods(["GET", "POST"])
def letter_queue(request: StaffRequest) -> HttpResponse:
    """The letters waiting to be printed and posted (invoices, reminders; no health data)."""
    _finance(request)
    error = ""
    if request.method == "POST":
        chosen = [int(raw) for raw in request.POST.getlist("letter") if raw.isdigit() and len(raw) < 19]
        try:
            posted = letters.do_mark_letters_posted(request.actor, chosen)
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("%(count)s brev är markerade som skickade.") % {"count": len(posted)})
            return redirect("billing:letter_queue")
    queued = access.queued_letters(request.actor)
    return render(
        request,
        "billing/staff/letter_queue.html",
        {"letters": queued, "error": error},
        status=422 if error else 200,
    )


@staff_required
def letter_batch_pdf(request: StaffRequest) -> HttpResponse:
    """The queued letters as one PDF to print (audited)."""
    _finance(request)
    try:
        _letters, printed = letters.do_download_letter_batch(request.actor)
    except DomainError as error:
        for line in error_lines(error):
            messages.error(request, line)
        return redirect("billing:letter_queue")
    return pdf_download(printed, f"brev-{clock.today().isoformat()}.pdf")


@staff_required
@require_http_methods(["POST"])
def desk_swish_start(request: StaffRequest, invoice_id: int) -> HttpResponse:
    """BOOK-5: send a Swish payment request for what is due to the payer's phone."""
    _desk(request)
    invoice = access.access_desk_invoice_by_id(request.actor, invoice_id)
    form = DeskSwishForm(request.POST)
    if form.is_valid():
        try:
            started = payments.do_start_desk_swish_payment(request.actor, invoice, phone=form.cleaned_data["phone"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("billing:desk_swish", started.pk)
    return render(
        request,
        "billing/staff/desk_swish_start.html",
        {"invoice": invoice, "due": kronor(invoice.due_ore), "form": form},
        status=422,
    )


@staff_required
def desk_swish(request: StaffRequest, swish_id: int) -> HttpResponse:
    """The desk follows its Swish request (the page's script asks again until Swish's answer is final);
    the receipt once paid."""
    _desk(request)
    payment = payments.do_refresh_swish_payment(
        request.actor, access.access_desk_swish_payment(request.actor, swish_id)
    )
    booked = payments.desk_swish_booking(payment) if payment.status == SwishStatus.PAID else None
    if request.GET.get("svar") == "json":  # the page's script asks while the payment waits
        return JsonResponse({"final": payment.status != SwishStatus.CREATED, "next": request.path})
    if booked is not None:
        return redirect("billing:desk_receipt", booked.pk)
    return render(
        request,
        "billing/staff/desk_swish.html",
        {
            "payment": payment,
            "invoice": payment.invoice,
            "amount": kronor(payment.amount_ore),
            "waiting": payment.status == SwishStatus.CREATED,
            "test_app_url": getattr(settings, "SWISH_TEST_APP_URL", "") if settings.VARDNAV_DEMO else "",
        },
    )
