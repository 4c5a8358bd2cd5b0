"""The bookings app's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class BookingError(ErrorCode):
    BOOKING_NOT_FOUND = ("booking-not-found", 404, _("Bokningen finns inte."))
    TIME_NOT_FOUND = ("time-not-found", 404, _("Tiden finns inte."))
    VISIT_TYPE_NOT_OFFERED = ("visit-type-not-offered", 404, _("Mottagningen erbjuder inte den besökstypen."))
    NO_ONLINE_BOOKING = (
        "no-online-booking",
        409,
        _("Mottagningen tar inte emot bokningar på nätet. Ring mottagningen eller kom på drop-in."),
    )
    TIME_TAKEN = ("time-taken", 409, _("Tiden är tyvärr inte längre ledig. Välj en annan tid."))
    TIME_IN_PAST = ("time-in-past", 409, _("Tiden har redan varit. Välj en senare tid."))
    TOO_YOUNG = (
        "too-young",
        409,
        _("Besöket är för den som har fyllt %(age)s. Välj en annan besökstyp eller kontakta mottagningen."),
    )
    NOT_YOUR_CHILD = (
        "not-your-child",
        400,
        _("Välj dig själv eller ett barn under 16 år som du är vårdnadshavare för."),
    )
    RESIDENT_REQUIRED = ("booking-resident-required", 403, _("Logga in med BankID för att boka tid."))
    PAST_CUTOFF = (
        "past-cutoff",
        409,
        _(
            "Det är för sent att avboka eller boka om digitalt: det måste göras senast %(deadline)s. "
            "Ring mottagningen på %(phone)s."
        ),
    )
    REQUEST_PAST_CUTOFF = (
        "request-past-cutoff",
        409,
        _("Det är för sent att avboka eller boka om digitalt så nära besöket. Ring mottagningen på %(phone)s."),
    )
    VISIT_TIME_INVALID = ("visit-time-invalid", 400, _("Skriv tiden som TT.MM, till exempel 14.30."))
    BOOKED_IN_VARDNAV = (
        "booked-in-vardnav",
        409,
        _(
            "Besöket är bokat i Vårdnav. Välj det i listan på e-tjänstens första sida, "
            "eller avboka eller boka om det under Mina bokningar."
        ),
    )
    NO_SHOW_TOO_EARLY = (
        "no-show-too-early",
        409,
        _("Besöket har inte börjat än. Markera utebliven först efter starttiden."),
    )
    ALREADY_CANCELLED = ("booking-already-cancelled", 409, _("Bokningen är redan avbokad eller avslutad."))
    INVALID_CODE = (
        "invalid-cancellation-code",
        400,
        _("Avbokningskoden stämmer inte med någon bokning. Kontrollera koden i bekräftelsen du fick."),
    )
    CODE_REQUIRED = ("cancellation-code-required", 400, _("Skriv avbokningskoden."))
    REBOOK_OTHER_VISIT_TYPE = (
        "rebook-other-visit-type",
        400,
        _("Välj en ny tid för samma besökstyp på samma mottagning."),
    )
    SERIES_DAYS = ("series-days", 400, _("Sista dagen måste vara samma dag som den första eller senare."))
    SERIES_DAYS_TOO_MANY = ("series-days-too-many", 400, _("En serie får sträcka sig över högst %(weeks)s veckor."))
    SERIES_WEEKDAYS = ("series-weekdays", 400, _("Välj minst en veckodag."))
    SERIES_HOURS = ("series-hours", 400, _("Sluttiden måste vara senare än starttiden."))
    SERIES_TOO_LARGE = ("series-too-large", 400, _("En serie får ha högst %(limit)s tider. Välj en kortare period."))
    STAFF_NOT_AT_UNIT = ("staff-not-at-unit", 400, _("Välj en medarbetare som arbetar på mottagningen."))
    STAFF_ROLE_REQUIRED = (
        "booking-staff-role-required",
        403,
        _("Du behöver rollen tidbokningsansvarig eller verksamhetschef på mottagningen för att ändra i tidboken."),
    )
    EXTRA_TIME_IN_PAST = ("extra-time-in-past", 400, _("Välj en tid som inte har varit."))
    EXTRA_TIME_EXISTS = (
        "extra-time-exists",
        409,
        _("Medarbetaren har redan en publicerad tid som börjar då. Välj en annan tid."),
    )
    PERSONAL_NUMBER_REQUIRED = ("booking-personal-number-required", 400, _("Skriv invånarens personnummer."))
    WAITING_ENTRY_NOT_FOUND = ("waiting-entry-not-found", 404, _("Platsen i väntelistan finns inte."))
    # The booking settings pages (issue 11, item 13): each refusal is put at its field.
    VISIT_TYPE_NAME_REQUIRED = ("visit-type-name-required", 400, _("Skriv besökstypens namn."))
    VISIT_TYPE_NAME_TOO_LONG = ("visit-type-name-too-long", 400, _("Namnet får vara högst %(limit)s tecken."))
    VISIT_TYPE_NAME_TAKEN = (
        "visit-type-name-taken",
        409,
        _("Mottagningen har redan en besökstyp med det namnet. Välj ett annat namn."),
    )
    VISIT_TYPE_KIND = ("visit-type-kind", 400, _("Välj vilken sorts besök det är."))
    VISIT_TYPE_PROFESSION = ("visit-type-profession", 400, _("Välj vilken yrkesgrupp som tar emot besöket."))
    VISIT_TYPE_DURATION = (
        "visit-type-duration",
        400,
        _("Besökets längd ska vara mellan %(low)s och %(high)s minuter."),
    )
    VISIT_TYPE_MINIMUM_AGE = (
        "visit-type-minimum-age",
        400,
        _("Lägsta ålder ska vara mellan 0 och %(high)s månader."),
    )
    VISIT_TYPE_NOT_FOUND = ("visit-type-not-found", 404, _("Besökstypen finns inte."))
    REMINDER_HOURS = (
        "reminder-hours",
        400,
        _("Påminnelsen ska gå mellan 0 och %(high)s timmar före besöket (0: ingen påminnelse)."),
    )
    WEEKS_AHEAD = ("weeks-ahead", 400, _("Visa tider mellan %(low)s och %(high)s veckor framåt."))
    DROP_IN_HOURS = (
        "drop-in-hours",
        400,
        _("Skriv både dagar och tider på varje rad för drop-in, till exempel ”mån–fre” och ”09–12”."),
    )
    DROP_IN_HOURS_REQUIRED = (
        "drop-in-hours-required",
        400,
        _("Skriv minst en rad med tider för drop-in, eller stäng av drop-in."),
    )
    UNIT_KIND = ("unit-kind", 400, _("Välj en sorts mottagning."))
    NOTICE_HOURS = (
        "notice-hours",
        400,
        _("Skriv hur många timmar före besöket, mellan %(low)s och %(high)s."),
    )
    CUTOFF_COUNTING = ("cutoff-counting", 400, _("Välj hur tiden räknas: timmar eller hela vardagar."))
    SUMMONS_LETTERS_EMPTY = ("summons-letters-empty", 409, _("Det finns inga kallelsebrev att skriva ut."))
    SUMMONS_LETTER_NOT_QUEUED = (
        "summons-letter-not-queued",
        409,
        _("Välj kallelsebrev som väntar på att skickas. Ett brev som redan är markerat som skickat kan inte väljas."),
    )
