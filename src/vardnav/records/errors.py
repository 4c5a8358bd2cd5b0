"""The records app's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class RecordError(ErrorCode):
    NOTE_NOT_FOUND = ("record-note-not-found", 404, _("Journalanteckningen finns inte."))
    NO_CARE_RELATION = ("no-care-relation", 404, _("Ärendet finns inte."))
    EMPTY_NOTE = ("empty-note", 422, _("Skriv anteckningen."))
    NOTE_TOO_LONG = ("note-too-long", 422, _("Anteckningen får vara högst %(limit)s tecken (nu %(length)s)."))
    INVALID_NOTE_KIND = ("invalid-note-kind", 422, _("Välj om det är en journalanteckning eller en sammanfattning."))
    ONLY_SUMMARY_SHARED = (
        "only-summary-shared",
        422,
        _("Bara en sammanfattning kan delas med invånaren. Välj sammanfattning eller dela inte anteckningen."),
    )
    UNKNOWN_DIAGNOSIS_CODE = (
        "unknown-diagnosis-code",
        422,
        _("Diagnoskoden %(diagnosis)s finns inte i kodlistan för ICD-10-SE. Skriv koden som till exempel J06.9."),
    )
    TOO_MANY_DIAGNOSES = ("too-many-diagnoses", 422, _("Ange högst %(limit)s diagnoskoder."))
    PROFESSION_MAY_NOT_SIGN = (
        "profession-may-not-sign",
        403,
        _("Din yrkesroll för inte journal. Journalanteckningar skrivs av hälso- och sjukvårdspersonal."),
    )
    AMENDS_OTHER_CASE = (
        "amends-other-case",
        422,
        _("Ett tillägg måste gälla en anteckning i samma ärende."),
    )
    CLOSE_NEEDS_SUMMARY = (
        "close-needs-summary",
        422,
        _("Ett ärende avslutas med en sammanfattning. Välj sammanfattning eller avsluta inte ärendet."),
    )
    JOURNAL_NOT_FOR_GUARDIAN = (
        "journal-not-for-guardian",
        403,
        _(
            "Som vårdnadshavare kan du läsa ditt barns journal här tills barnet fyller %(age)s år. "
            "Från 16 år läser barnet sin journal själv."
        ),
    )
    JOURNAL_NOT_YET_OWN = (
        "journal-not-yet-own",
        403,
        _(
            "Du kan läsa din journal själv från 16 års ålder. Är du 13–15 år kan du ansöka om att få "
            "läsa den tidigare; verksamhetschefen på mottagningen beslutar."
        ),
    )
    INVALID_CONTACT_CATEGORY = (
        "invalid-contact-category",
        422,
        _(
            "Välj vilken sorts kontakt ärendet är: vård, vaccinationsrådgivning, privat vårdförsäkring eller företagshälsovård."
        ),
    )
    INVALID_SHARING_MODE = ("invalid-sharing-mode", 422, _("Välj om journalen delas under perioden."))
    SHARING_PERIOD_ENDS_BEFORE_START = (
        "sharing-period-ends-before-start",
        400,
        _("Periodens sista dag kan inte vara före den första."),
    )
    SHARING_PERIOD_OVERLAPS = (
        "sharing-period-overlaps",
        409,
        _("Perioden överlappar en annan period för vårdgivaren (från %(other)s). Ändra den i stället."),
    )
    SHARING_PERIOD_DATE = (
        "sharing-period-date",
        422,
        _("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-01-01."),
    )
    SHARING_PERIOD_NOT_FOUND = ("sharing-period-not-found", 404, _("Perioden finns inte."))
    GUARDIAN_CANNOT_RESTRICT = (
        "guardian-cannot-restrict",
        403,
        _(
            "Som vårdnadshavare kan du inte spärra eller försegla ditt barns journal. "
            "Det kan bara den som journalen handlar om göra."
        ),
    )
    INVALID_RESTRICTION_SCOPE = (
        "invalid-restriction-scope",
        422,
        _("Välj om det gäller hela journalen, en mottagning eller en tidsperiod."),
    )
    RESTRICTION_UNIT_REQUIRED = ("restriction-unit-required", 400, _("Välj en av mottagningarna i listan."))
    RESTRICTION_DATE_REQUIRED = (
        "restriction-date-required",
        400,
        _("Skriv periodens första och sista dag som ÅÅÅÅ-MM-DD, till exempel 2024-03-01."),
    )
    RESTRICTION_ENDS_BEFORE_START = (
        "restriction-ends-before-start",
        400,
        _("Periodens sista dag kan inte vara före den första."),
    )
    RESTRICTION_NOT_FOUND = ("restriction-not-found", 404, _("Spärren eller förseglingen finns inte."))
    INVALID_CONSENT_BASIS = (
        "invalid-consent-basis",
        422,
        _("Välj om invånaren har samtyckt eller om det är en nödsituation."),
    )
    EMERGENCY_REASON_REQUIRED = (
        "emergency-reason-required",
        400,
        _("Beskriv nödsituationen: varför uppgifterna behövs nu och varför invånaren inte kan samtycka."),
    )
    CONSENT_REASON_TOO_LONG = ("consent-reason-too-long", 422, _("Skriv högst %(limit)s tecken."))
    CONSENT_REQUIRED = (
        "consent-required",
        403,
        _(
            "Anteckna invånarens samtycke, eller att det är en nödsituation, innan du läser andra vårdgivares uppgifter."
        ),
    )
    LOG_REVIEW_NOT_FOUND = ("log-review-not-found", 404, _("Loggkontrollen finns inte."))
    INVALID_REVIEW_OUTCOME = (
        "invalid-review-outcome",
        422,
        _("Välj utfall: befogad, obefogad eller utreds vidare."),
    )
    REVIEW_COMMENT_REQUIRED = (
        "review-comment-required",
        400,
        _("Beskriv vad du kom fram till och vad som görs härnäst."),
    )
    REVIEW_COMMENT_TOO_LONG = ("review-comment-too-long", 422, _("Skriv högst %(limit)s tecken."))
    REVIEW_ALREADY_DECIDED = (
        "review-already-decided",
        409,
        _("Utfallet är redan dokumenterat och kan inte ändras."),
    )
    EARLY_ACCESS_AGE = (
        "early-access-age",
        422,
        _("Tidig åtkomst till journalen kan bara sökas av den som är 13, 14 eller 15 år."),
    )
    EARLY_ACCESS_PENDING = ("early-access-pending", 409, _("Det finns redan en ansökan som väntar på beslut."))
    EARLY_ACCESS_NOT_FOUND = ("early-access-not-found", 404, _("Ansökan finns inte."))
    EARLY_ACCESS_DECIDED = ("early-access-decided", 409, _("Ansökan är redan avgjord och beslutet kan inte ändras."))
    INVALID_EARLY_ACCESS_DECISION = ("invalid-early-access-decision", 422, _("Välj om ansökan beviljas eller avslås."))
    DECISION_REASON_REQUIRED = ("decision-reason-required", 400, _("Skriv skälet till beslutet."))
    DECISION_REASON_TOO_LONG = ("decision-reason-too-long", 422, _("Skriv högst %(limit)s tecken."))
    POWER_OF_ATTORNEY_REQUIRED = (
        "power-of-attorney-required",
        403,
        _("Invånaren har ingen gällande fullmakt för försäkringsbolaget. Inga uppgifter lämnas ut."),
    )
    POWER_OF_ATTORNEY_NOT_FOUND = ("power-of-attorney-not-found", 404, _("Fullmakten finns inte."))
    POWER_OF_ATTORNEY_REVOKED = ("power-of-attorney-revoked", 409, _("Fullmakten är redan återkallad."))
    UNKNOWN_INSURER = ("unknown-insurer", 422, _("Välj ett försäkringsbolag i listan."))
    INSURER_NOT_FOUND = ("insurer-not-found", 404, _("Försäkringsbolaget finns inte."))
    INSURER_TOKEN_NOT_LINKED = (
        "insurer-token-not-linked",
        403,
        _("API-nyckeln är inte kopplad till något försäkringsbolag. Vårdgivaren kopplar den under Inställningar."),
    )
    INSURANCE_CASE_NOT_FOUND = ("insurance-case-not-found", 404, _("Ärendet finns inte."))
    INSURER_REFERENCE_REUSED = (
        "insurer-reference-reused",
        409,
        _("Referensen är redan använd för en begäran om ett annat ärende."),
    )
    INSURER_TOKEN_SCOPE = (
        "insurer-token-scope",
        422,
        _("Välj en aktiv API-nyckel med behörighet att begära journaluppgifter för försäkringsbolag."),
    )
    NOT_INSURANCE_SERVICE = ("not-insurance-service", 409, _("E-tjänsten är inte kopplad till vårdförsäkring."))
    TOO_FEW_INSURERS = (
        "too-few-insurers",
        409,
        _(
            "E-tjänsten kan inte kopplas till vårdförsäkring förrän minst två försäkringsbolag är aktiva i listan: "
            "invånaren väljer sitt bolag bland dem. Lägg till eller aktivera försäkringsbolag först."
        ),
    )
    EARLY_ACCESS_NOT_GRANTED = (
        "early-access-not-granted",
        409,
        _("Bara en beviljad tidig åtkomst kan återkallas."),
    )
    WITHDRAWAL_REASON_REQUIRED = ("withdrawal-reason-required", 400, _("Skriv skälet till att åtkomsten återkallas."))
