"""The complaints app's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class ComplaintError(ErrorCode):
    EMPTY_COMPLAINT = (
        "empty-complaint",
        400,
        _("Beskriv vad som hände med några ord. Tecken som punkter eller streck räcker inte."),
    )
    EVENT_DATE_MISSING = (
        "complaint-event-date-missing",
        400,
        _("Skriv när det hände. Gäller det en hel vårdprocess: skriv när den började."),
    )
    EVENT_DATE_IN_FUTURE = (
        "complaint-event-date-in-future",
        400,
        _("Datumet kan inte vara i framtiden. Skriv när det hände eller när vårdprocessen började."),
    )
    NOT_A_RESIDENT = ("complaint-not-anonymous", 403, _("Logga in för att lämna synpunkter. De kan inte vara anonyma."))
    UNKNOWN_HSA_ID = (
        "complaint-unknown-hsa-id",
        400,
        _("Det finns ingen mottagning med HSA-id %(hsa_id)s. Kontrollera id:t, till exempel SE2321000016-ABCD."),
    )
    NOT_A_BOARD_CASE = ("complaint-not-board-case", 404, _("Ärendet finns inte bland patientnämndens synpunkter."))
    NO_FOLLOW_UP = (
        "complaint-no-follow-up",
        403,
        _("Uppföljningen av synpunkter är för vårdgivarens administratörer och patientnämndens personal."),
    )
