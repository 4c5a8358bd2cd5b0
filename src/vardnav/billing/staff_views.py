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
from vardnav.billing.forms import NOT_CHARGED, CreditForm, FeeForm, PolicyForm, ProfessionForm, ServiceChargeForm
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
    form = PolicyForm(request.POST or None, initial={"child_free_under_age": current.child_free_under_age})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_billing_policy(
                request.actor, provider_id, child_free_under_age=form.cleaned_data["child_free_under_age"]
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
    from vardnav.billing.letters import letter_address
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
