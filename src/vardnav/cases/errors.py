"""The cases app's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class CaseError(ErrorCode):
    CASE_NOT_FOUND = ("case-not-found", 404, _("Ärendet finns inte."))
    UNIT_NOT_RECEIVING = (
        "unit-not-receiving",
        404,
        _("Mottagningen finns inte eller tar inte emot ärenden digitalt."),
    )
    RESIDENT_REQUIRED = ("resident-required", 403, _("Logga in som invånare för att skicka ärenden."))
    EMPTY_MESSAGE = ("empty-message", 422, _("Skriv ett meddelande."))
    MESSAGE_TOO_LONG = (
        "message-too-long",
        422,
        _("Meddelandet får vara högst %(limit)s tecken (nu %(length)s)."),
    )
    NOT_LISTED = (
        "not-listed",
        409,
        _(
            "Den här e-tjänsten är till för dig som är listad på en vårdcentral hos vårdgivaren. "
            "Du är inte listad här – kontakta din egen vårdcentral eller lista dig först."
        ),
    )
    SUBJECT_NOT_LISTED = (
        "subject-not-listed",
        409,
        _("E-tjänsten kräver att invånaren är listad på en vårdcentral hos vårdgivaren, och det är invånaren inte."),
    )
    NOT_LISTED_AT_UNIT = (
        "not-listed-at-unit",
        409,
        _("Ärendet går till vårdcentralen där du är listad, inte till den här mottagningen."),
    )
    UNIT_REQUIRED = ("unit-required", 422, _("Välj en mottagning."))
    PROBABLE_DUPLICATE = (
        "probable-duplicate",
        409,
        _("Du har redan skickat ett likadant ärende (%(number)s). Vill du skicka det här ändå?"),
    )
    CASE_CLOSED = ("case-closed", 409, _("Ärendet är avslutat. Skicka ett nytt ärende om du behöver mer hjälp."))
    NOT_A_HANDLER = ("not-a-handler", 422, _("Välj en ärendehanterare på mottagningen."))
    ATTACHMENTS_NEED_PARTIAL_REPLY = (
        "attachments-need-partial-reply",
        422,
        _("Filer kan bara skickas med ett delsvar till invånaren. Skriv ett delsvar."),
    )
    CASE_NOT_FOR_HANDLERS = (
        "case-not-for-handlers",
        409,
        _("Ärendet går till ärendemottagarna. Fördela det till en ärendehanterare i stället."),
    )
    CASE_ALREADY_TAKEN = ("case-already-taken", 409, _("En annan ärendehanterare har redan tagit ärendet."))
    ASSIGNED_TO_OTHER = ("assigned-to-other", 403, _("Ärendet är fördelat till någon annan."))
    CASE_NOT_DISTRIBUTED = (
        "case-not-distributed",
        409,
        _(
            "Ärendet är inte fördelat ännu. Fördela det till en ärendehanterare först – "
            "motfrågor, svar och avslut görs av den som handlägger ärendet."
        ),
    )
    CASE_NOT_TAKEN = (
        "case-not-taken",
        409,
        _(
            "Ärendet är inte taget ännu. Ta ärendet först – "
            "motfrågor, svar och avslut görs av den som handlägger ärendet."
        ),
    )
    PROFESSION_MAY_NOT_REPLY = (
        "profession-may-not-reply",
        403,
        _("Din yrkesroll kan inte besvara den här typen av ärende."),
    )
    INVALID_OUTCOME = ("invalid-outcome", 422, _("Välj ett utfall."))
    ATTACHMENTS_NOT_ALLOWED = (
        "attachments-not-allowed",
        422,
        _("Mottagningen tar inte emot bifogade filer i den här e-tjänsten."),
    )
    MAY_NOT_ATTACH = (
        "may-not-attach",
        403,
        _(
            "Du kan bifoga filer som ärendemottagare när du fördelar ärendet med ett delsvar, "
            "eller som ärendehanterare i ärenden som är fördelade till dig."
        ),
    )
    NO_FILES = ("no-files", 422, _("Välj minst en fil att bifoga."))
    INVALID_CHANNEL = ("invalid-channel", 422, _("Kanalen måste vara external eller phone."))
    REGISTERED_BY_REQUIRED = (
        "registered-by-required",
        422,
        _("Ange vilken medarbetare som tog emot samtalet."),
    )
    UNKNOWN_STAFF = ("unknown-staff", 422, _("Medarbetaren finns inte hos vårdgivaren."))
