"""How certificates show on the case pages: the staff case page links to issuing (CERT-4).

Why an extension: the case engine knows no particular service. The cases a
doctor certifies on (the certificate e-services and digital visits) get the
link to the certificate page through the engine's case extension point.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from vardnav.cases.hooks import CaseLink, DefaultCaseExtension, register_case_extension
from vardnav.cases.models import Case
from vardnav.catalog.models import ServiceKind
from vardnav.core.actor import Actor

CERTIFYING_KINDS = frozenset({ServiceKind.CERTIFICATE_NEW, ServiceKind.CERTIFICATE_RENEW, ServiceKind.DIGITAL_VISIT})


class CertificateCaseExtension(DefaultCaseExtension):
    def staff_case_links(self, actor: Actor, case: Case) -> list[CaseLink]:
        if case.service.kind not in CERTIFYING_KINDS:
            return []
        return [CaseLink(_("Intyg och sjukintyg"), reverse("certificates:issue", args=[case.pk]))]


def register() -> None:
    register_case_extension(CertificateCaseExtension())
