"""How referrals and results show on a digital visit's case pages.

Why an extension: the case engine knows no particular service. On a digital
visit the staff case page links to the visit's referrals, results, blood
pressure and home measurements, and says how many results wait for review and
how many home measurement periods wait for their summary (QA-5); the resident's case page links to *Remisser och provsvar* once the
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
        from vardnav.labs.access import periods_to_summarise, unreviewed_result_count

        if case.service.kind != ServiceKind.DIGITAL_VISIT:
            return []
        url = reverse("labs:staff_case", args=[case.pk])
        links = [CaseLink(_("Remisser, provsvar och blodtryck"), url)]
        # VISIT-6: results that have come in and wait for the practitioner's review, at the top of the case.
        waiting = unreviewed_result_count(case)
        if waiting:
            text = ngettext("%(count)s provsvar väntar på bedömning", "%(count)s provsvar väntar på bedömning", waiting)
            links.insert(0, CaseLink(text % {"count": waiting}, url))
        # QA-5: a home measurement period that is complete or over waits for the practitioner's summary.
        done = periods_to_summarise(case)
        if done:
            text = ngettext(
                "%(count)s hemmamätning är klar att sammanfatta",
                "%(count)s hemmamätningar är klara att sammanfatta",
                done,
            )
            links.insert(0, CaseLink(text % {"count": done}, url + "#hemmatning"))
        return links

    def resident_case_notes(self, case: Case) -> Sequence[str | CaseLink]:
        from vardnav.labs.models import CareReferral, LabReferral, MeasurementPeriod, PressureVoucher

        if case.service.kind != ServiceKind.DIGITAL_VISIT:
            return []
        # QA-5: the visit's home measurement goes straight to its page (the daily readings are entered there).
        period = MeasurementPeriod.objects.filter(case=case).order_by("-ordered_at", "-id").only("pk", "kind").first()
        if period is not None:
            return [
                CaseLink(
                    _("Hemmamätning: %(kind)s") % {"kind": period.get_kind_display()},
                    reverse("labs:period", args=[period.pk]),
                ),
                CaseLink(_("Remisser, provsvar och blodtryck från besöket"), reverse("labs:mine")),
            ]
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
