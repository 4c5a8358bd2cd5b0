"""The visits app's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class VisitError(ErrorCode):
    AREA_NOT_FOUND = ("complaint-area-not-found", 404, _("Besvärsområdet finns inte."))
    VISIT_NOT_FOUND = ("visit-not-found", 404, _("Vårdbesöket finns inte."))
    RED_FLAG_EMERGENCY = (
        "red-flag-emergency",
        409,
        _("Ring 112 nu. %(advice)s Ditt ärende har inte skickats: det här kan inte vänta på ett digitalt besök."),
    )
    RED_FLAG_ADVICE = (
        "red-flag-advice",
        409,
        _(
            "Ring 1177 eller kontakta en vårdcentral i dag. %(advice)s Ditt ärende har inte skickats: "
            "det här behöver bedömas snabbare än ett digitalt besök kan."
        ),
    )
    NOT_HANDLED_DIGITALLY = (
        "not-handled-digitally",
        409,
        _("Det här besväret kan inte tas om hand digitalt. %(where)s"),
    )
    NO_PUBLISHED_TRIAGE = (
        "no-published-triage",
        404,
        _("Besvärsområdet tar inte emot digitala besök just nu."),
    )
    START_FROM_TRIAGE = (
        "start-from-triage",
        409,
        _("Ett digitalt vårdbesök startar du under Digitalt vårdbesök, där du först väljer besvärsområde."),
    )
    INVALID_TRIAGE = ("invalid-triage", 400, _("Triagefrågorna är felaktiga: %(problem)s"))
    ABROAD_REQUIRED = ("abroad-required", 400, _("Svara på om du befinner dig utomlands just nu."))
    NOT_A_PRACTITIONER = (
        "not-a-practitioner",
        403,
        _("Du behöver rollen ärendehanterare på den digitala mottagningen för att ta digitala besök."),
    )
    NOT_QUALIFIED = (
        "not-qualified-for-doctor-visits",
        403,
        _(
            "Digitala läkarbesök tas bara av specialistläkare eller läkare som har gjort minst hälften av "
            "sin specialistutbildning."
        ),
    )
    REFERRAL_SAME_PROFESSION = (
        "referral-same-profession",
        400,
        _("Välj en annan yrkesgrupp än den som har besöket nu."),
    )
    REFERRAL_PROFESSION = (
        "referral-profession",
        400,
        _("Välj läkare, sjuksköterska, psykolog, fysioterapeut, barnmorska eller sexolog."),
    )
    REFERRAL_NO_ONE_ON_DUTY = (
        "referral-no-one-on-duty",
        409,
        _("Ingen %(profession)s är i tjänst på mottagningen just nu. Försök igen senare."),
    )
    NOT_YOUR_VISIT = (
        "not-your-visit",
        403,
        _("Besöket är tilldelat en annan behandlare. Bara den som har besöket kan remittera det."),
    )
    VISIT_CLOSED = ("visit-closed", 409, _("Besöket är avslutat."))
    REFERRAL_REASON = ("referral-reason", 400, _("Skriv varför du remitterar besöket (högst %(limit)s tecken)."))
    PROFILE_TOO_LONG = ("health-profile-too-long", 400, _("Skriv högst %(limit)s tecken."))
    VISIT_STILL_OPEN = (
        "visit-still-open",
        409,
        _("Besöket pågår fortfarande. Skriv till behandlaren i ärendet i stället."),
    )
    REVISIT_TOO_LATE = (
        "revisit-too-late",
        409,
        _(
            "Det har gått mer än %(days)s dagar sedan besöket avslutades, så det går inte att göra ett återbesök. "
            "Starta ett nytt digitalt vårdbesök i stället."
        ),
    )
    NO_REVISITS = (
        "no-revisits-for-area",
        409,
        _(
            "För det här besvärsområdet erbjuds inga återbesök. Inom %(days)s dagar efter att besöket avslutades "
            "kan du skriva igen i samma ärende, utan kostnad."
        ),
    )
    RETURN_TOO_LATE = (
        "return-too-late",
        409,
        _(
            "Det har gått mer än %(days)s dagar sedan besöket avslutades, så du kan inte skriva i ärendet igen. "
            "Starta ett nytt digitalt vårdbesök i stället."
        ),
    )
    RETURN_ONLY_WITHOUT_REVISITS = (
        "return-only-without-revisits",
        409,
        _("Vill du ha hjälp igen med samma besvär: gör ett återbesök."),
    )
    PROFILE_CONFIRMATION = (
        "health-profile-confirmation",
        400,
        _("Bekräfta att din hälsoprofil stämmer. Ändra den först om något är fel."),
    )
    PROFILE_MISSING = (
        "health-profile-missing",
        409,
        _("Fyll i din hälsoprofil innan återbesöket: allergier, läkemedel och sjukdomar."),
    )
    REVISIT_KIND = ("revisit-kind", 400, _("Välj planerat eller frivilligt återbesök."))
    REVISIT_PERIOD = ("revisit-period", 400, _("Ange hur många dagar erbjudandet gäller, 1–%(limit)s."))
    ABROAD_NO_PRESCRIPTION = (
        "abroad-no-prescription",
        409,
        _(
            "Invånaren befinner sig utomlands: besöket kan inte avslutas med recept. Ge bedömning och råd, "
            "och avsluta med ett annat utfall."
        ),
    )
    MEETING_TIME = (
        "video-meeting-time",
        400,
        _("Ange dag och tid för videomötet, till exempel 2026-12-08 och 10:00."),
    )
    MEETING_IN_PAST = ("video-meeting-in-past", 400, _("Välj en tid som inte har passerat."))
    MEETING_TOO_FAR = ("video-meeting-too-far", 400, _("Välj en tid inom %(days)s dagar."))
    MEETING_NOT_FOUND = ("video-meeting-not-found", 404, _("Det finns inget videomöte för besöket."))
    MEETING_NOT_OPEN = (
        "video-meeting-not-open",
        409,
        _("Videomötet är öppet från 10 minuter före den avtalade tiden tills mötet är slut."),
    )
    MEETING_ANSWER = ("video-meeting-answer", 400, _("Välj om tiden passar eller om du vill ha en annan tid."))
    MEETING_ANSWERED = (
        "video-meeting-answered",
        409,
        _("Du har redan svarat på den här tiden. Skriv till behandlaren i ärendet om något har ändrats."),
    )
    MEETING_OVER = ("video-meeting-over", 409, _("Tiden för videomötet har redan passerat."))
