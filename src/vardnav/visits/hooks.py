"""How a digital visit plugs into the case engine.

Why hooks: the engine knows no particular service. A visit starts from its
complaint area's triage (visits.actions.do_start_visit), never from the
generic e-service form, so the generic submission check refuses. What a visit
adds to every case is its case extension (`VisitCaseExtension`): closing the
case, by whichever action, frees the practitioner's place in the queue (and
refuses a prescribed outcome abroad, VISIT-9); the staff case page links to
the visit's triage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from vardnav.cases.hooks import (
    CaseLink,
    DefaultCaseExtension,
    DefaultHooks,
    SubmissionContext,
    register_case_extension,
    register_handling_profession,
    register_service_hooks,
)
from vardnav.catalog.models import ServiceKind
from vardnav.visits.errors import VisitError

if TYPE_CHECKING:
    from vardnav.cases.models import Case
    from vardnav.core.actor import Actor

FLAG_ABROAD = "visit_abroad"
FLAG_UNROUTED = "visit_unrouted"


class DigitalVisitHooks(DefaultHooks):
    """The engine's defaults, plus: a visit starts from triage only."""

    def check_submission(self, context: SubmissionContext, answers: dict[str, Any]) -> list[str]:
        raise VisitError.START_FROM_TRIAGE.error()


class VisitCaseExtension(DefaultCaseExtension):
    """What a digital visit adds to its case: closing frees the queue place; the staff page links the triage."""

    def on_closed(self, actor: Actor, case: Case) -> None:
        if case.service.kind != ServiceKind.DIGITAL_VISIT:
            return
        from vardnav.visits.actions import check_outcome_allowed, release_queue_place

        check_outcome_allowed(case)
        release_queue_place(case)

    def staff_case_links(self, actor: Actor, case: Case) -> list[CaseLink]:
        if case.service.kind != ServiceKind.DIGITAL_VISIT:
            return []
        return [
            CaseLink(
                gettext("Triagesvar, hälsoprofil och tidigare besök"), reverse("visits:staff_visit", args=[case.pk])
            )
        ]


class VideoMeetingCaseExtension(DefaultCaseExtension):
    """VISIT-8: the visit's video meeting on the case pages (its time and link for the resident, the link for staff)."""

    def resident_case_notes(self, case: Case) -> list[str | CaseLink]:
        from vardnav.visits.actions import meeting_time_text
        from vardnav.visits.models import VideoMeeting

        if case.service.kind != ServiceKind.DIGITAL_VISIT or case.status == "closed":
            return []
        meeting = (
            VideoMeeting.objects.filter(visit__case_id=case.pk, cancelled_at__isnull=True)
            .order_by("-starts_at")
            .first()
        )
        if meeting is None:
            return []
        return [
            CaseLink(
                gettext("Videomöte: %(time)s") % {"time": meeting_time_text(meeting, language=get_language() or "sv")},
                reverse("visits:meeting", args=[case.pk]),
            )
        ]

    def staff_case_links(self, actor: Actor, case: Case) -> list[CaseLink]:
        if case.service.kind != ServiceKind.DIGITAL_VISIT or case.assigned_to_id != actor.staff_id:
            return []
        return [CaseLink(gettext("Videomöte"), reverse("visits:staff_meeting", args=[case.pk]))]


def handling_profession(case: Case) -> str | None:
    """FEE-2's seam: the profession handling the visit now (the area's, or the one it was referred to)."""
    from vardnav.visits.models import Visit

    return Visit.objects.filter(case_id=case.pk).values_list("profession", flat=True).first()


def register() -> None:
    register_handling_profession(ServiceKind.DIGITAL_VISIT, handling_profession)
    register_case_extension(VideoMeetingCaseExtension())
    register_service_hooks(
        ServiceKind.DIGITAL_VISIT,
        DigitalVisitHooks(
            flag_labels={
                # Lazy: shown in the language of the page that lists the flags.
                FLAG_ABROAD: cast(str, _("Utomlands: inga recept eller remisser för provtagning")),
                FLAG_UNROUTED: cast(str, _("Ingen behandlare i tjänst när besöket kom in")),
            }
        ),
    )
    register_case_extension(VisitCaseExtension())
