"""How a digital visit plugs into the case engine.

Why hooks: the engine knows no particular service. A visit starts from its
complaint area's triage (visits.actions.do_start_visit), never from the
generic e-service form, so the generic submission check refuses; closing the
case, by whichever action, frees the practitioner's place in the queue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.utils.translation import gettext_lazy as _

from vardnav.cases.hooks import DefaultHooks, SubmissionContext, register_service_hooks
from vardnav.catalog.models import ServiceKind
from vardnav.visits.errors import VisitError

if TYPE_CHECKING:
    from vardnav.cases.models import Case
    from vardnav.core.actor import Actor

FLAG_ABROAD = "visit_abroad"
FLAG_UNROUTED = "visit_unrouted"


class DigitalVisitHooks(DefaultHooks):
    """The engine's defaults, plus: start from triage only, and free the queue place on closing."""

    def check_submission(self, context: SubmissionContext, answers: dict[str, Any]) -> list[str]:
        raise VisitError.START_FROM_TRIAGE.error()

    def on_close(self, actor: Actor, case: Case) -> None:
        from vardnav.visits.actions import check_outcome_allowed, release_queue_place

        check_outcome_allowed(case)
        release_queue_place(case)


def register() -> None:
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
