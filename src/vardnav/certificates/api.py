"""Certificates in /api/v1: the resident's certificates and their PDFs; a doctor issues on a case.

Nothing is forwarded (CERT-3): the PDF is for the resident to send on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Field, Router, Schema
from ninja.params.functions import Path
from ninja.responses import Status

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.cases.case_routes import case_id_path, staff_case_post
from vardnav.certificates import access, actions
from vardnav.certificates.models import Certificate
from vardnav.certificates.pdf import render_certificate
from vardnav.core.http import ApiRequest
from vardnav.core.ids import MAX_ID
from vardnav.identity.api_auth import resident_auth

router = Router(tags=["certificates"])


class CertificateOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    unit: str
    case_number: str
    issued_at: dt.datetime
    care_sought_on: dt.date
    sick_from: dt.date | None
    sick_to: dt.date | None
    reduction: str


class SickNoteIn(Schema):
    sick_from: dt.date
    sick_to: dt.date
    reduction: Literal["quarter", "half", "three_quarters", "full"]
    statement: str = Field(min_length=1, max_length=actions.STATEMENT_MAX, pattern=r"\S")
    no_physical_examination_needed: bool
    ongoing_sick_leave: bool


class CareCertificateIn(Schema):
    statement: str = Field(min_length=1, max_length=actions.STATEMENT_MAX, pattern=r"\S")


def _certificate(certificate: Certificate) -> dict[str, Any]:
    return {
        "id": certificate.pk,
        "number": certificate.number,
        "kind": certificate.kind,
        "kind_label": certificate.get_kind_display(),
        "unit": certificate.unit.name,
        "case_number": certificate.case_number,
        "issued_at": certificate.issued_at,
        "care_sought_on": certificate.care_sought_on,
        "sick_from": certificate.sick_from,
        "sick_to": certificate.sick_to,
        "reduction": certificate.reduction,
    }


@router.get("/certificates", response=list[CertificateOut], auth=resident_auth, summary="Mina intyg")
def my_certificates(request: ApiRequest) -> list[dict[str, Any]]:
    return [_certificate(each) for each in access.resident_certificates(request.auth)]


@router.get(
    "/certificates/{certificate_id}/pdf",
    auth=resident_auth,
    summary="A certificate as a PDF",
    response={200: None},
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}, "description": "The PDF"}}},
)
def certificate_pdf(request: ApiRequest, certificate_id: int = Path(..., ge=1, le=MAX_ID)) -> HttpResponse:
    certificate = access.access_certificate_for_resident(request.auth, certificate_id)
    body = render_certificate(certificate)
    do_record(request.auth, AuditEvent.CERTIFICATE_DOWNLOAD, certificate, subject_person_id=certificate.subject_id)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="intyg-{certificate.number}.pdf"'
    return response


@staff_case_post(
    router,
    "/staff/cases/{case_id}/certificates/sick-note",
    response=CertificateOut,
    summary="Issue a sick note on a case",
)
def issue_sick_note(request: ApiRequest, payload: SickNoteIn, case_id: int = case_id_path()) -> Status[dict[str, Any]]:
    case = access.access_case_for_issuing(request.auth, case_id)
    certificate = actions.do_issue_sick_note(
        request.auth,
        case,
        sick_from=payload.sick_from,
        sick_to=payload.sick_to,
        reduction=payload.reduction,
        statement=payload.statement,
        no_physical_examination_needed=payload.no_physical_examination_needed,
        ongoing_sick_leave=payload.ongoing_sick_leave,
    )
    return Status(201, _certificate(certificate))


@staff_case_post(
    router,
    "/staff/cases/{case_id}/certificates/care-sought",
    response=CertificateOut,
    summary="Issue a certificate that the resident sought care",
)
def issue_care_certificate(
    request: ApiRequest, payload: CareCertificateIn, case_id: int = case_id_path()
) -> Status[dict[str, Any]]:
    case = access.access_case_for_issuing(request.auth, case_id)
    certificate = actions.do_issue_care_certificate(request.auth, case, statement=payload.statement)
    return Status(201, _certificate(certificate))
