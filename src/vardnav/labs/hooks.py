"""How referrals and results show on a digital visit's case pages.

Why an extension: the case engine knows no particular service. On a digital
visit the staff case page links to the visit's referrals, results and blood
pressure, and says how many results wait for review; the resident's case page links to *Remisser och provsvar* once the
visit has any.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vardnav.cases.hooks import CaseLink, DefaultCaseExtension, register_case_extension
from vardnav.cases.models import Case
from vardnav.catalog.models import ServiceKind
from vardnav.core.actor import Actor


class LabsCaseExtension(DefaultCaseExtension):
    def staff_case_links(self, actor: Actor, case: Case) -> list[CaseLink]:
        from vardnav.labs.access import unreviewed_result_count

        if case.service.kind != ServiceKind.DIGITAL_VISIT:
            return []
        url = reverse("labs:staff_case", args=[case.pk])
        links = [CaseLink(_("Remisser, provsvar och blodtryck"), url)]
        # VISIT-6: results that have come in and wait for the practitioner's review, at the top of the case.
        waiting = unreviewed_result_count(case)
        if waiting:
            text = ngettext("%(count)s provsvar väntar på bedömning", "%(count)s provsvar väntar på bedömning", waiting)
            links.insert(0, CaseLink(text % {"count": waiting}, url))
        return links

    def resident_case_notes(self, case: Case) -> Sequence[str | CaseLink]:
        from vardnav.labs.models import CareReferral, LabReferral, PressureVoucher

        if case.service.kind != ServiceKind.DIGITAL_VISIT:
            return []
        has_any = (
            LabReferral.objects.filter(case=case).exists()
            or CareReferral.objects.filter(case=case).exists()
            or PressureVoucher.objects.filter(case=case).exists()
        )
        if not has_any:
            return []
        return [CaseLink(_("Remisser, provsvar och blodtryck från besöket"), reverse("labs:mine"))]


def register() -> None:
    register_case_extension(LabsCaseExtension())
