"""The doctor's certificate page on a case: issue a sick note or a certificate that care was sought.

Reached from a digital visit and from cases of the certificate e-services
(CERT-4). Opening it is one audited read of the case; issuing records itself.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vardnav.cases.models import Case
from vardnav.certificates import access, actions
from vardnav.certificates.forms import CareCertificateForm, SickNoteForm
from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error
from vardnav.identity.staff.views import StaffRequest, staff_required


def _page(
    request: StaffRequest,
    case: Case,
    *,
    sick_note: SickNoteForm | None = None,
    care: CareCertificateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "certificates/staff/issue.html",
        {
            "case": case,
            "sick_note": sick_note or SickNoteForm(initial={"sick_from": actions.care_sought_on(case).isoformat()}),
            "care": care or CareCertificateForm(),
            "issued": access.case_certificates(case),
            "max_days": actions.policy_for(case.provider).sick_note_max_days,
            "care_sought_on": actions.care_sought_on(case),
        },
        status=status,
    )


@staff_required
def issue(request: StaffRequest, case_id: int) -> HttpResponse:
    return _page(request, access.access_case_for_issuing(request.actor, case_id, viewing=True))


@require_POST
@staff_required
def issue_sick_note(request: StaffRequest, case_id: int) -> HttpResponse:
    case = access.access_case_for_issuing(request.actor, case_id)
    form = SickNoteForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        actions.do_issue_sick_note(
            request.actor,
            case,
            sick_from=data.get("sick_from", ""),
            sick_to=data.get("sick_to", ""),
            reduction=data.get("reduction", ""),
            statement=data.get("statement", ""),
            no_physical_examination_needed=bool(data.get("no_physical_examination_needed")),
            ongoing_sick_leave=bool(data.get("ongoing_sick_leave")),
        )
    except DomainError as error:
        if error.status == 404:
            raise
        apply_domain_error(form, error)
        access.access_case_for_issuing(request.actor, case_id, viewing=True)
        return _page(request, case, sick_note=form, status=422)
    messages.success(request, _("Sjukintyget är utfärdat. Invånaren hämtar det under Mina intyg."))
    return redirect("certificates:issue", case_id=case.pk)


@require_POST
@staff_required
def issue_care_certificate(request: StaffRequest, case_id: int) -> HttpResponse:
    case = access.access_case_for_issuing(request.actor, case_id)
    form = CareCertificateForm(request.POST)
    form.is_valid()
    try:
        actions.do_issue_care_certificate(request.actor, case, statement=form.cleaned_data.get("statement", ""))
    except DomainError as error:
        if error.status == 404:
            raise
        apply_domain_error(form, error)
        access.access_case_for_issuing(request.actor, case_id, viewing=True)
        return _page(request, case, care=form, status=422)
    messages.success(request, _("Intyget är utfärdat. Invånaren hämtar det under Mina intyg."))
    return redirect("certificates:issue", case_id=case.pk)
