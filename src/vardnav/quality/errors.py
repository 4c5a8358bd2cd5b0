"""The quality follow-up's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class QualityError(ErrorCode):
    NOT_A_PEER_REVIEWER = (
        "peer-review-not-a-reviewer",
        403,
        _("Kvalitetsgranskningen är för vårdgivarens utsedda kvalitetsgranskare."),
    )
    PICK_NOT_FOUND = ("peer-review-not-found", 404, _("Ärendet finns inte bland dina ärenden att granska."))
    ANSWER_REQUIRED = ("peer-review-answer-required", 400, _("Välj Ja, Delvis eller Nej."))
    OUTCOME_REQUIRED = (
        "peer-review-outcome-required",
        400,
        _("Välj utfall: ingen anmärkning, anmärkning eller avvikelse att rapportera."),
    )
    LEARNING_POINT_TOO_LONG = (
        "peer-review-learning-point-too-long",
        400,
        _("Lärdomen får vara högst %(limit)s tecken."),
    )
    LEARNING_POINT_REQUIRED = (
        "peer-review-learning-point-required",
        400,
        _("Skriv vad kollegerna kan lära av ärendet när utfallet är en anmärkning eller en avvikelse."),
    )
    ALREADY_REVIEWED = (
        "peer-review-already-signed",
        409,
        _("Ärendet är redan granskat. Vill du ändra något: gör en rättelse av granskningen."),
    )
    CORRECTION_OF_OLD_REVIEW = (
        "peer-review-correction-of-old",
        409,
        _("Granskningen är redan rättad. Rätta den senaste granskningen i stället."),
    )
    CORRECTS_NOT_FOUND = ("peer-review-correction-not-found", 400, _("Granskningen som ska rättas finns inte."))
    OWN_CASE = ("peer-review-own-case", 403, _("Du kan inte granska ett ärende du själv har handlagt."))
    NO_FOLLOW_UP = (
        "peer-review-no-follow-up",
        403,
        _("Uppföljningen av kvalitetsgranskningen är för vårdgivarens administratörer och verksamhetschefer."),
    )
    NOT_PROVIDER_STAFF = (
        "peer-reviewer-other-provider",
        400,
        _("Välj en aktiv medarbetare hos vårdgivaren."),
    )
    ADMINISTRATIVE_STAFF = (
        "peer-reviewer-administrative",
        400,
        _("En kvalitetsgranskare granskar kollegors vård och behöver ha en vårdprofession."),
    )
