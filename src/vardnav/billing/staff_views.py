"""Staff pages for fees: the provider's fee schedule (everyone reads it; provider admins edit
it), how each e-service is charged, the provider's policy, and a case's fee (FEE-1, FEE-2)."""

from __future__ import annotations

import csv
import io
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vardnav.billing import access, actions
from vardnav.billing.fees import return_window_days
from vardnav.billing.forms import (
    NOT_CHARGED,
    BgMaxForm,
    CeilingLookupForm,
    CreditForm,
    DeskPaymentForm,
    DeskSearchForm,
    DeskSwishForm,
    FeeForm,
    HandledForm,
    PolicyForm,
    ProfessionForm,
    ServiceChargeForm,
)
from vardnav.billing.hooks import change_line, fee_line
from vardnav.billing.models import Invoice
from vardnav.billing.texts import kronor
from vardnav.cases.access import access_case_for_staff, access_case_to_handle
from vardnav.core import clock
from vardnav.core.errors import DomainError, NotFound, PermissionDenied
from vardnav.core.forms import apply_domain_error, error_lines
from vardnav.core.idempotency import run_idempotent
from vardnav.identity.staff.views import StaffRequest, staff_required


def _provider_id(request: StaffRequest) -> int:
    try:
        return access.staff_provider_id(request.actor)
    except NotFound:
        raise Http404 from None


def _require_editor(request: StaffRequest) -> int:
    provider_id = _provider_id(request)
    if not access.may_edit_fees(request.actor):
        raise DjangoPermissionDenied
    return provider_id


@staff_required
def fees(request: StaffRequest) -> HttpResponse:
    provider_id = _provider_id(request)
    today = clock.today()
    schedule = access.fee_schedule(provider_id)
    return render(
        request,
        "billing/staff/fees.html",
        {
            "current": [(fee, kronor(fee.amount_ore)) for fee in schedule if fee.applies_on(today)],
            "coming": [(fee, kronor(fee.amount_ore)) for fee in schedule if fee.valid_from > today],
            "ended": [(fee, kronor(fee.amount_ore)) for fee in schedule if fee.valid_until and fee.valid_until < today],
            "services": access.service_charges(provider_id),
            "policy": access.billing_policy(provider_id),
            "return_window_days": return_window_days(provider_id, today),
            "may_edit": access.may_edit_fees(request.actor),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def new_fee(request: StaffRequest) -> HttpResponse:
    provider_id = _require_editor(request)
    form = FeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = actions.NewFee(
            profession=data["profession"],
            contact_kind=data["contact_kind"],
            amount=data["amount"],
            inside_ceiling=data["inside_ceiling"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
        )
        try:
            run_idempotent(
                request.actor,
                request.POST.get("submission_key"),
                "billing.add_fee",
                {**request.POST.dict(), "csrfmiddlewaretoken": ""},
                lambda: (201, {"id": actions.do_add_fee(request.actor, provider_id, new).pk}),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Avgiften lades till i avgiftslistan."))
            return redirect("billing:staff_fees")
    return render(
        request,
        "billing/staff/new_fee.html",
        {"form": form, "submission_key": request.POST.get("submission_key") or uuid.uuid4().hex},
        status=422 if form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def service_charge(request: StaffRequest, service_id: int) -> HttpResponse:
    provider_id = _require_editor(request)
    try:
        service = access.access_provider_service(provider_id, service_id)
    except NotFound:
        raise Http404 from None
    charge = next((row.charge for row in access.service_charges(provider_id) if row.service.pk == service.pk), None)
    initial = {"profession": charge.profession, "contact_kind": charge.contact_kind} if charge else {}
    form = ServiceChargeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        profession = form.cleaned_data["profession"]
        try:
            actions.do_set_service_charge(
                request.actor,
                service,
                profession=None if profession == NOT_CHARGED else profession,
                contact_kind=form.cleaned_data["contact_kind"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Avgiften för e-tjänsten sparades."))
            return redirect("billing:staff_fees")
    return render(
        request,
        "billing/staff/service_charge.html",
        {"form": form, "service": service},
        status=422 if form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def policy(request: StaffRequest) -> HttpResponse:
    provider_id = _require_editor(request)
    current = access.billing_policy(provider_id)
    form = PolicyForm(
        request.POST or None,
        initial={
            "child_free_under_age": current.child_free_under_age,
            "return_window_days": return_window_days(provider_id, clock.today()),
            "uses_efrikort": current.uses_efrikort,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_billing_policy(
                request.actor,
                provider_id,
                child_free_under_age=form.cleaned_data["child_free_under_age"],
                uses_efrikort=form.cleaned_data["uses_efrikort"],
                return_window_days=form.cleaned_data["return_window_days"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Avgiftsreglerna sparades."))
            return redirect("billing:staff_fees")
    return render(request, "billing/staff/policy.html", {"form": form}, status=422 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def case_fee(request: StaffRequest, case_id: int) -> HttpResponse:
    """A case's fee and its history; moving the case to another profession (FEE-2)."""
    actor = request.actor
    form = ProfessionForm(request.POST or None)
    if request.method == "POST":
        try:
            case = access_case_to_handle(actor, case_id)
        except NotFound:
            raise Http404 from None
        if form.is_valid():
            profession = form.cleaned_data["profession"]
            try:
                run_idempotent(
                    actor,
                    request.POST.get("submission_key"),
                    "billing.case_profession",
                    {"case": case.pk, "profession": profession},
                    lambda: (201, {"id": actions.do_change_case_profession(actor, case, profession=profession).pk}),
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Ärendet flyttades och avgiften räknades om."))
                return redirect("billing:staff_case_fee", case_id=case.pk)
    return _case_fee_page(request, case_id, form=form)


def _case_fee_page(request: StaffRequest, case_id: int, *, form: ProfessionForm | None = None) -> HttpResponse:
    """The fee page: the fee history, the profession form and the case's invoice (FEE-4)."""
    from vardnav.billing.views import invoice_context

    actor = request.actor
    form = form or ProfessionForm()
    try:
        case = access_case_for_staff(actor, case_id, purpose="avgift")
    except NotFound:
        raise Http404 from None
    history = access.case_fee_history(case.pk)
    rows = []
    for index, each in enumerate(history):
        rows.append((each, fee_line(each, case.provider_id), change_line(history[index - 1], each) if index else ""))
    invoice = access.case_invoice(case.pk)
    context: dict[str, object] = {
        "case": case,
        "rows": rows,
        "form": form,
        "submission_key": request.POST.get("submission_key") or uuid.uuid4().hex,
    }
    if invoice is not None:
        context.update(invoice_context(access.invoice_document(invoice)))
    return render(request, "billing/staff/case_fee.html", context, status=422 if form.errors else 200)


@staff_required
def free_cards(request: StaffRequest) -> HttpResponse:
    """Hand-entered frikort waiting for the provider admin to check them (FEE-3)."""
    try:
        cards = access.free_card_queue(request.actor)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    return render(request, "billing/staff/free_cards.html", {"cards": cards})


@staff_required
@require_http_methods(["POST"])
def free_card_decide(request: StaffRequest, card_id: int) -> HttpResponse:
    if not access.may_edit_fees(request.actor):
        raise DjangoPermissionDenied
    try:
        card = access.access_free_card_for_staff(request.actor, card_id)
    except NotFound:
        raise Http404 from None
    confirm = request.POST.get("decision") == "confirm"
    try:
        actions.do_decide_free_card(request.actor, card, confirm=confirm)
    except DomainError as error:
        for line in error_lines(error):
            messages.error(request, line)
    else:
        messages.success(request, _("Frikortet är bekräftat.") if confirm else _("Frikortet är inte godkänt."))
    return redirect("billing:staff_free_cards")


# --- invoices: credit notes and the collection file (FEE-8) ------------------------------------------


@staff_required
@require_http_methods(["POST"])
def credit_invoice(request: StaffRequest, invoice_id: int) -> HttpResponse:
    """A provider admin credits a wrong invoice: a new document, the invoice itself unchanged."""
    from vardnav.billing.invoicing import do_credit_invoice

    actor = request.actor
    _require_editor(request)
    try:
        invoice = access.access_invoice_for_staff(actor, invoice_id)
    except NotFound:
        raise Http404 from None
    form = CreditForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            run_idempotent(
                actor,
                request.POST.get("submission_key"),
                "billing.credit_invoice",
                {"invoice": invoice.pk, "reason": reason},
                lambda: (201, {"id": do_credit_invoice(actor, invoice.pk, reason=reason).pk}),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Fakturan är krediterad. Invånaren får en notis."))
            return redirect("billing:staff_invoice", invoice_id=invoice.pk)
    return _invoice_page(request, invoice, credit_form=form)


@staff_required
def staff_invoice(request: StaffRequest, invoice_id: int) -> HttpResponse:
    """One invoice for staff: what the payer got, its reminders, the PDF; provider admins credit it here."""
    try:
        invoice = access.access_invoice_for_staff(request.actor, invoice_id)
    except NotFound:
        raise Http404 from None
    return _invoice_page(request, invoice)


def _invoice_page(request: StaffRequest, invoice: Invoice, *, credit_form: CreditForm | None = None) -> HttpResponse:
    from vardnav.billing.views import invoice_context

    context = invoice_context(access.invoice_document(invoice))
    context.update(
        {
            "may_credit": access.may_edit_fees(request.actor),
            "credit_form": credit_form or CreditForm(),
            "submission_key": request.POST.get("submission_key") or uuid.uuid4().hex,
        }
    )
    invalid = credit_form is not None and bool(credit_form.errors)
    return render(request, "billing/staff/invoice.html", context, status=422 if invalid else 200)


@staff_required
def invoice_pdf(request: StaffRequest, invoice_id: int) -> HttpResponse:
    """The invoice as the resident gets it (without the personal number), e.g. to post it again."""
    from vardnav.billing.views import invoice_pdf_response

    try:
        invoice = access.access_invoice_for_staff(request.actor, invoice_id)
    except NotFound:
        raise Http404 from None
    return invoice_pdf_response(access.invoice_document(invoice), with_personal_number=False)


COLLECTION_COLUMNS = [
    "fakturanummer",
    "arendenummer",
    "ocr",
    "fakturadatum",
    "forfallodag",
    "patientavgift_ore",
    "paminnelseavgift_ore",
    "betalt_ore",
    "att_betala_ore",
    "personnummer",
    "namn",
    "adress",
    "via_skatteverket",
]


@staff_required
def collection_export(request: StaffRequest) -> HttpResponse:
    """The debt collector's file: every unpaid invoice handed to collection, with the case number the
    demand must carry (FEE-8). Names and addresses come from the population register on the day; a
    protected person's address is only Skatteverket's forwarding address. No health data."""
    from vardnav.audit.actions import do_record
    from vardnav.audit.events import AuditEvent
    from vardnav.people.letters import letter_address
    from vardnav.people.models import Person

    _require_editor(request)
    try:
        rows = access.collection_rows(request.actor)
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    payers = Person.objects.in_bulk({row["payer_id"] for row in rows})
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLLECTION_COLUMNS)
    for row in rows:
        payer = payers[row["payer_id"]]
        addressing = letter_address(payer)
        lines = addressing.lines[1:] if addressing else []
        due = int(row["amount_ore"]) + int(row["reminder_fee_ore"]) - int(row["paid_ore"])
        writer.writerow(
            [
                row["number"],
                row["case__number"],
                row["ocr"],
                row["issued_on"],
                row["due_on"],
                row["amount_ore"],
                row["reminder_fee_ore"],
                row["paid_ore"],
                max(due, 0),
                payer.number.digits12,
                payer.full_name,
                ", ".join(lines),
                "ja" if addressing and addressing.via_forwarding else "nej",
            ]
        )
    do_record(
        request.actor,
        AuditEvent.COLLECTION_EXPORT,
        object_type="billing.invoice",
        object_id="collection",
        extra={"invoices": [row["pk"] for row in rows]},
    )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inkasso-{clock.today().isoformat()}.csv"'
    return response


# --- finance (part 8) and the desk (BOOK-5) ---------------------------------------------------------


def _signed_kronor(amount_ore: int) -> str:
    return ("−" if amount_ore < 0 else "") + kronor(abs(amount_ore))


def _finance(request: StaffRequest) -> int:
    try:
        return access.finance_provider_id(request.actor)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise DjangoPermissionDenied from None


@staff_required
def finance(request: StaffRequest) -> HttpResponse:
    """Invoices by status, or found by invoice or OCR number."""
    from vardnav.billing.models import InvoiceStatus

    _finance(request)
    status = request.GET.get("status", "")
    status = status if status in InvoiceStatus.values else ""
    query = request.GET.get("q", "")[:30]
    rows = access.finance_invoices(request.actor, status=status, query=query)
    return render(
        request,
        "billing/staff/finance.html",
        {
            "rows": [(row, kronor(row.total_ore), kronor(row.due_ore)) for row in rows],
            "statuses": InvoiceStatus.choices,
            "status": status,
            "query": query,
        },
    )


@staff_required
def finance_invoice(request: StaffRequest, invoice_id: int) -> HttpResponse:
    _finance(request)
    invoice = access.access_finance_invoice(request.actor, invoice_id)
    return render(
        request,
        "billing/staff/finance_invoice.html",
        {
            "invoice": invoice,
            "total": kronor(invoice.total_ore),
            "paid": kronor(invoice.paid_ore),
            "due": kronor(invoice.due_ore),
            "payments": [(p, kronor(p.amount_ore)) for p in access.invoice_payments(invoice)],
            "swish_payments": [(p, kronor(p.amount_ore)) for p in access.invoice_swish_payments(invoice)],
        },
    )


@staff_required
@require_http_methods(["POST"])
def finance_refund(request: StaffRequest, invoice_id: int, swish_id: int) -> HttpResponse:
    from vardnav.billing import payments
    from vardnav.billing.checks import check_amount_ore
    from vardnav.billing.models import SwishPayment

    _finance(request)
    invoice = access.access_finance_invoice(request.actor, invoice_id)
    swish_payment = SwishPayment.objects.filter(pk=swish_id, invoice=invoice).select_related("invoice").first()
    if swish_payment is None:
        raise Http404
    try:
        amount = check_amount_ore(request.POST.get("amount", ""))
        payments.do_refund_swish_payment(request.actor, swish_payment, amount_ore=amount)
    except DomainError as error:
        for line in error_lines(error):
            messages.error(request, line)
    else:
        messages.success(request, _("Pengarna är återbetalda med Swish."))
    return redirect("billing:finance_invoice", invoice.pk)


@staff_required
def finance_export(request: StaffRequest) -> HttpResponse:
    """The invoice list as CSV (numbers, amounts in öre, dates, status: no health data)."""
    import csv

    from vardnav.audit.actions import do_record
    from vardnav.audit.events import AuditEvent

    provider_id = _finance(request)
    status = request.GET.get("status", "")
    rows = access.invoices_csv_rows(request.actor, status=status)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="fakturor.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "fakturanummer",
            "ocr",
            "status",
            "steg",
            "fakturadatum",
            "forfallodag",
            "belopp_ore",
            "totalt_ore",
            "betalt_ore",
            "kvar_ore",
        ]
    )
    for row in rows:
        writer.writerow(
            [
                row.number,
                row.ocr,
                row.status,
                row.stage,
                row.issued_on.isoformat(),
                row.due_on.isoformat(),
                row.amount_ore,
                row.total_ore,
                row.paid_ore,
                row.due_ore,
            ]
        )
    do_record(
        request.actor,
        AuditEvent.INVOICE_LIST_EXPORT,
        object_type="organizations.careprovider",
        object_id=provider_id,
        extra={"rows": len(rows), "status": status},
    )
    return response


@staff_required
def incoming_payments(request: StaffRequest) -> HttpResponse:
    """Partial, over- and unmatched payments from Bankgirot, for staff to handle."""
    _finance(request)
    handled = request.GET.get("hanterade") == "1"
    rows = access.finance_incoming_payments(request.actor, handled=handled)
    return render(
        request,
        "billing/staff/incoming_payments.html",
        {
            "rows": [(row, _signed_kronor(row.amount_ore), kronor(row.surplus_ore)) for row in rows],
            "handled": handled,
            "form": HandledForm(),
        },
    )


@staff_required
def incoming_export(request: StaffRequest) -> HttpResponse:
    import csv

    from vardnav.audit.actions import do_record
    from vardnav.audit.events import AuditEvent

    provider_id = _finance(request)
    handled = request.GET.get("hanterade") == "1"
    rows = access.incoming_csv_rows(request.actor, handled=handled)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="inbetalningar.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["betalningsdag", "ocr", "belopp_ore", "overskott_ore", "resultat", "faktura", "anteckning"])
    for row in rows:
        writer.writerow(
            [
                row.payment_date.isoformat(),
                row.ocr,
                row.amount_ore,
                row.surplus_ore,
                row.result,
                row.invoice_number,
                row.handled_note,
            ]
        )
    do_record(
        request.actor,
        AuditEvent.INCOMING_PAYMENT_EXPORT,
        object_type="organizations.careprovider",
        object_id=provider_id,
        extra={"rows": len(rows), "handled": handled, "payments": [row.id for row in rows]},
    )
    return response


@staff_required
@require_http_methods(["POST"])
def incoming_payment_handled(request: StaffRequest, incoming_id: int) -> HttpResponse:
    from vardnav.billing import payments

    _finance(request)
    incoming = access.access_incoming_payment(request.actor, incoming_id)
    form = HandledForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for line in errors:
                messages.error(request, str(line))
        return redirect("billing:incoming_payments")
    try:
        payments.do_handle_incoming_payment(request.actor, incoming, note=form.cleaned_data["note"])
    except DomainError as error:
        for line in error_lines(error):
            messages.error(request, line)
    else:
        messages.success(request, _("Inbetalningen är markerad som hanterad."))
    return redirect("billing:incoming_payments")


@staff_required
@require_http_methods(["GET", "POST"])
def bgmax_import(request: StaffRequest) -> HttpResponse:
    from vardnav.billing import payments

    provider_id = _finance(request)
    form = BgMaxForm(request.POST or None, request.FILES or None)
    summary = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            form.add_error("file", _("Välj en BgMax-fil från Bankgirot (högst 10 MB)."))
        else:
            try:
                summary = payments.do_import_bgmax(request.actor, provider_id, upload.read())
            except DomainError as error:
                apply_domain_error(form, error)
    return render(
        request,
        "billing/staff/bgmax_import.html",
        {"form": form, "summary": summary},
        status=422 if form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def ceiling_lookup(request: StaffRequest) -> HttpResponse:
    """A resident's cost-ceiling status (audited read; the personal number is posted, never in the URL)."""
    _finance(request)
    form = CeilingLookupForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        try:
            person, status = access.finance_ceiling_status(request.actor, form.cleaned_data["personal_number"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            found = {
                "person": person,
                "status": status,
                "ceiling": kronor(status.ceiling_ore),
                "paid": kronor(status.paid_ore),
                "remaining": kronor(status.remaining_ore),
            }
    return render(
        request,
        "billing/staff/ceiling_lookup.html",
        {"form": form, "found": found},
        status=422 if form.errors else 200,
    )


def _desk(request: StaffRequest) -> None:
    from vardnav.billing.payments import desk_unit

    try:
        desk_unit(request.actor)
    except PermissionDenied:
        raise DjangoPermissionDenied from None


@staff_required
@require_http_methods(["GET", "POST"])
def desk(request: StaffRequest) -> HttpResponse:
    """BOOK-5: find the invoice and register the resident's card or Swish payment at the desk."""
    from vardnav.billing import payments

    _desk(request)
    search = DeskSearchForm(request.GET or None)
    pay_form = DeskPaymentForm(request.POST or None)
    invoice = None
    if search.is_valid():
        try:
            invoice = access.access_desk_invoice(request.actor, search.cleaned_data["query"])
        except DomainError as error:
            apply_domain_error(search, error)
    if request.method == "POST" and invoice is not None:
        raw_method = request.POST.get("method", "")
        try:
            payments.check_desk_method(raw_method)
        except DomainError as error:
            apply_domain_error(pay_form, error)
        if not pay_form.errors and pay_form.is_valid():
            try:
                payment = payments.do_register_desk_payment(
                    request.actor, invoice, method=pay_form.cleaned_data["method"]
                )
            except DomainError as error:
                apply_domain_error(pay_form, error)
            else:
                return redirect("billing:desk_receipt", payment.pk)
    return render(
        request,
        "billing/staff/desk.html",
        {
            "search": search,
            "pay_form": pay_form,
            "invoice": invoice,
            "due": kronor(invoice.due_ore) if invoice is not None else "",
            "swish_form": DeskSwishForm(),
        },
        status=422 if (search.errors or pay_form.errors) else 200,
    )


@staff_required
def desk_receipt(request: StaffRequest, payment_id: int) -> HttpResponse:
    _desk(request)
    payment = access.access_desk_payment(request.actor, payment_id)
    return render(
        request,
        "billing/staff/desk_receipt.html",
        {"payment": payment, "amount": kronor(payment.amount_ore)},
    )
