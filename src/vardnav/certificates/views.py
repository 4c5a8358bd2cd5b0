"""Resident pages of certificates: "Mina intyg" and each certificate as a PDF to download (CERT-3)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.certificates import access
from vardnav.certificates.pdf import render_certificate
from vardnav.core.http import ActorRequest
from vardnav.identity.decorators import resident_required


@resident_required
def mine(request: ActorRequest) -> HttpResponse:
    return render(request, "certificates/mine.html", {"certificates": access.resident_certificates(request.actor)})


@resident_required
def download(request: ActorRequest, certificate_id: int) -> HttpResponse:
    certificate = access.access_certificate_for_resident(request.actor, certificate_id)
    body = render_certificate(certificate)
    do_record(request.actor, AuditEvent.CERTIFICATE_DOWNLOAD, certificate, subject_person_id=certificate.subject_id)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="intyg-{certificate.number}.pdf"'
    return response
