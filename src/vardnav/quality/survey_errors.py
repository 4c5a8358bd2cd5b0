"""The survey's refusals (QA-2): stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class SurveyError(ErrorCode):
    # Well-formed input that breaks a rule (no rating, a comment too long): 400 with the fields' messages.
    INVALID_ANSWER = ("invalid-survey-answer", 400, _("Svaren behöver rättas. Se meddelandet vid varje fråga."))
    ALREADY_ANSWERED = ("survey-already-answered", 409, _("Du har redan svarat på den här enkäten. Tack!"))
    SKIPPED = ("survey-skipped", 409, _("Du har hoppat över den här enkäten."))
    CLOSED = ("survey-closed", 409, _("Enkäten har stängt. Den gick att besvara i %(days)s dagar efter besöket."))
    NO_RESULTS = (
        "no-survey-results",
        403,
        _("Enkätresultaten visas för vårdgivarens administratörer och verksamhetschefer."),
    )
    INVALID_MONTH = ("invalid-survey-month", 400, _("Välj en månad, till exempel 2026-11."))
