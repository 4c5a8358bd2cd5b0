"""Fetching certificates for an actor: the resident's own (or a child's), and the case a doctor issues on."""

from __future__ import annotations

from vardnav.cases.access import access_case_to_handle, record_case_viewing
from vardnav.cases.actions import check_resident_subject
from vardnav.cases.models import Case
from vardnav.certificates.errors import CertificateError
from vardnav.certificates.models import Certificate
from vardnav.core.actor import Actor
from vardnav.core.errors import NotFound

LIST_LIMIT = 100


def resident_certificates(actor: Actor) -> list[Certificate]:
    """The subject's certificates, newest first, in one query."""
    subject = check_resident_subject(actor)
    return list(
        Certificate.objects.filter(subject_id=subject.pk)
        .select_related("unit", "issued_by")
        .order_by("-issued_at", "-id")[:LIST_LIMIT]
    )


def access_certificate_for_resident(actor: Actor, certificate_id: int) -> Certificate:
    subject = check_resident_subject(actor)
    certificate = (
        Certificate.objects.select_related("unit", "provider", "issued_by", "subject")
        .filter(pk=certificate_id, subject_id=subject.pk)
        .first()
    )
    if certificate is None:
        raise NotFound(CertificateError.CERTIFICATE_NOT_FOUND)
    return certificate


def access_case_for_issuing(actor: Actor, case_id: int, *, viewing: bool = False) -> Case:
    """The case a doctor issues a certificate on: the case engine's rule; a viewing is one audited read."""
    case = access_case_to_handle(actor, case_id)
    if viewing:
        record_case_viewing(actor, case, purpose="intyg")
    return case


def case_certificates(case: Case) -> list[Certificate]:
    return list(Certificate.objects.filter(case=case).select_related("issued_by").order_by("-issued_at", "-id"))
