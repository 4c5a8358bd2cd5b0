"""The billing app's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class BillingError(ErrorCode):
    # 422 is for input the API schema refuses; a rule no schema can state (dates in the past, a
    # period running backwards, a kind of contact missing for a charged service) is a 400.
    PROVIDER_ADMIN_REQUIRED = (
        "billing-provider-admin-required",
        403,
        _("Bara vårdgivarens administratör kan ändra avgifterna."),
    )
    FEE_PERIOD_OVERLAPS = (
        "fee-period-overlaps",
        409,
        _(
            "Det finns redan en avgift för %(profession)s (%(contact_kind)s) från %(valid_from)s. "
            "Välj ett datum efter den, eller ett slutdatum före den."
        ),
    )
    FEE_PERIOD_BACKWARDS = (
        "fee-period-backwards",
        400,
        _("Slutdatumet måste vara samma dag som eller efter startdagen."),
    )
    FEE_IN_PAST = ("fee-in-past", 400, _("En ny avgift kan gälla från i dag eller senare, inte bakåt i tiden."))
    INVALID_AMOUNT = (
        "invalid-amount",
        422,
        _("Skriv beloppet i kronor, till exempel 100 eller 87,50 (högst 100 000 kronor)."),
    )
    INVALID_PROFESSION = ("invalid-profession", 422, _("Välj en yrkesgrupp i listan."))
    INVALID_CONTACT_KIND = ("invalid-contact-kind", 400, _("Välj en kontaktform i listan."))
    INVALID_CHILD_AGE = ("invalid-child-age", 422, _("Skriv en ålder mellan 0 och 25 år."))
    PROFESSION_FOLLOWS_SERVICE = (
        "profession-follows-service",
        409,
        _("Ett digitalt vårdbesök flyttas till en annan yrkesgrupp genom remiss i besöket. Avgiften följer med."),
    )
    INVALID_RETURN_WINDOW = ("invalid-return-window", 422, _("Skriv ett antal dagar mellan 0 och 30."))
    EFRIKORT_REGION = (
        "efrikort-region",
        409,
        _("Vårdgivarens region använder e-frikort: ditt frikort hämtas automatiskt och registreras inte för hand."),
    )
    SERVICE_NOT_FOUND = ("billing-service-not-found", 404, _("E-tjänsten finns inte hos vårdgivaren."))
    CASE_HAS_NO_FEE = ("case-has-no-fee", 409, _("Ärendet är avgiftsfritt: e-tjänsten har ingen avgift."))
    CASE_CLOSED = ("billing-case-closed", 409, _("Ärendet är avslutat. Avgiften kan inte längre ändras."))
    SAME_PROFESSION = ("same-profession", 409, _("Ärendet ligger redan hos den yrkesgruppen."))
    PROVIDER_NOT_FOUND = ("billing-provider-not-found", 404, _("Vårdgivaren finns inte."))
    INVALID_CARD_NUMBER = (
        "invalid-card-number",
        400,
        _("Skriv frikortets nummer som det står på kortet: 4–20 siffror eller bokstäver."),
    )
    INVALID_ISSUER = ("invalid-issuer", 400, _("Skriv vilken region som har utfärdat frikortet."))
    INVALID_CARD_PERIOD = (
        "invalid-card-period",
        400,
        _("Ett frikort gäller högst tolv månader: sista giltighetsdag ska vara efter första och inom ett år."),
    )
    CARD_EXPIRED = ("card-expired", 400, _("Frikortet har redan gått ut. Det kan inte registreras."))
    FREE_CARD_ALREADY_ENTERED = ("free-card-already-entered", 409, _("Du har redan registrerat det frikortet här."))
    FREE_CARD_NOT_FOUND = ("free-card-not-found", 404, _("Frikortet finns inte."))
    FREE_CARD_DECIDED = ("free-card-decided", 409, _("Frikortet är redan kontrollerat."))
    INVOICE_NOT_FOUND = ("invoice-not-found", 404, _("Fakturan finns inte."))
    INVOICE_ALREADY_CREDITED = ("invoice-already-credited", 409, _("Fakturan är redan krediterad."))
    INVOICE_PAID = (
        "invoice-paid",
        409,
        _("Fakturan är betald helt eller delvis. Betala tillbaka i stället för att kreditera."),
    )
    INVALID_CREDIT_REASON = (
        "invalid-credit-reason",
        400,
        _("Skriv varför fakturan krediteras, 3–300 tecken. Skriv inget om vården."),
    )
    # Payments (FEE-6, BOOK-5)
    PAYMENT_INVOICE_NOT_FOUND = ("payment-invoice-not-found", 404, _("Fakturan finns inte."))
    INVOICE_NOT_PAYABLE = ("invoice-not-payable", 409, _("Fakturan är redan betald eller krediterad."))
    SWISH_UNAVAILABLE = (
        "swish-unavailable",
        503,
        _("Swish går inte att nå just nu. Försök igen om en stund, eller betala med bankgiro och OCR-numret."),
    )
    SWISH_REFUSED = ("swish-refused", 400, _("Swish kunde inte starta betalningen. Försök igen om en stund."))
    SWISH_PAYMENT_NOT_FOUND = ("swish-payment-not-found", 404, _("Swish-betalningen finns inte."))
    SWISH_CALLBACK_REFUSED = (
        "swish-callback-refused",
        400,
        _("Meddelandet stämmer inte med betalningen hos Swish och har inte bokförts."),
    )
    BGMAX_MALFORMED = (
        "bgmax-malformed",
        400,
        _("Filen är inte en giltig BgMax-fil. Fel på rad %(line)s: %(detail)s. Ingenting har bokförts."),
    )
    BGMAX_ALREADY_IMPORTED = (
        "bgmax-already-imported",
        409,
        _("Filen är redan inläst. Ingenting har bokförts två gånger."),
    )
    BGMAX_FILE_MISSING = ("bgmax-file-missing", 400, _("Välj en BgMax-fil från Bankgirot (högst 10 MB)."))
    BGMAX_WRONG_PAYEE = (
        "bgmax-wrong-payee",
        400,
        _(
            "Filen gäller bankgiro %(bankgiro)s (rad %(line)s), inte vårdgivarens bankgiro %(expected)s. "
            "Ingenting har bokförts."
        ),
    )
    DESK_CASH_REFUSED = (
        "desk-cash-refused",
        400,
        _("Mottagningen tar emot kort och Swish, aldrig kontanter."),
    )
    DESK_METHOD_INVALID = ("desk-method-invalid", 400, _("Välj hur betalningen gjordes: kort eller Swish."))
    DESK_UNIT_REQUIRED = (
        "desk-unit-required",
        403,
        _("Betalningar i kassan registreras av personal på en fysisk mottagning hos vårdgivaren."),
    )
    FINANCE_ACCESS_REQUIRED = (
        "finance-access-required",
        403,
        _("Bara vårdgivarens administratör kan se fakturor och inbetalningar."),
    )
    INVOICE_SEARCH_EMPTY = ("invoice-search-empty", 400, _("Skriv ett fakturanummer eller ett OCR-nummer."))
    REFUND_NOT_POSSIBLE = (
        "refund-not-possible",
        409,
        _("Betalningen kan inte betalas tillbaka: den är inte betald med Swish, eller redan återbetald."),
    )
    REFUND_AMOUNT_INVALID = (
        "refund-amount-invalid",
        400,
        _("Skriv ett belopp i kronor, högst det som är kvar av betalningen."),
    )
    INCOMING_PAYMENT_NOT_FOUND = ("incoming-payment-not-found", 404, _("Inbetalningen finns inte."))
    INCOMING_PAYMENT_HANDLED = ("incoming-payment-handled", 409, _("Inbetalningen är redan hanterad."))
    INCOMING_PAYMENT_NOT_ASSIGNABLE = (
        "incoming-payment-not-assignable",
        409,
        _("Inbetalningen kan inte kopplas till en faktura: den är redan hanterad eller är ett avdrag."),
    )
    ASSIGN_INVOICE_NOT_FOUND = (
        "assign-invoice-not-found",
        400,
        _("Det finns ingen obetald faktura hos vårdgivaren med det fakturanumret eller OCR-numret."),
    )
    SURPLUS_NOT_REFUNDABLE = (
        "surplus-not-refundable",
        409,
        _("Det finns inget överskott kvar att betala tillbaka för inbetalningen."),
    )
    DESK_PHONE_INVALID = (
        "desk-phone-invalid",
        400,
        _("Skriv mobilnumret som är kopplat till Swish, till exempel 070-123 45 67."),
    )
    LETTER_NOT_QUEUED = (
        "letter-not-queued",
        409,
        _("Välj brev som väntar på att skickas. Ett brev som redan är markerat som skickat kan inte väljas."),
    )
    SWISH_REQUEST_WAITING = (
        "swish-request-waiting",
        409,
        _(
            "En Swish-betalning av fakturan väntar redan i invånarens Swish-app. Vänta tills den är klar eller avbruten."
        ),
    )
    LETTER_QUEUE_EMPTY = ("letter-queue-empty", 409, _("Det finns inga brev att skriva ut."))
    HANDLED_NOTE_REQUIRED = (
        "handled-note-required",
        400,
        _("Skriv vad som gjordes med inbetalningen (högst 300 tecken), till exempel att den betalats tillbaka."),
    )
    CEILING_PERSON_NOT_FOUND = (
        "ceiling-person-not-found",
        404,
        _("Det finns ingen invånare med det personnumret hos vårdgivaren."),
    )
