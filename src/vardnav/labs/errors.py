"""The labs app's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class LabError(ErrorCode):
    REFERRAL_NOT_FOUND = ("lab-referral-not-found", 404, _("Remissen finns inte."))
    LAB_NOT_FOUND = ("lab-not-found", 404, _("Provtagningsstället finns inte."))
    RESULT_NOT_FOUND = ("lab-result-not-found", 404, _("Provsvaret finns inte."))
    CARE_REFERRAL_NOT_FOUND = ("care-referral-not-found", 404, _("Remissen finns inte."))
    DOCTOR_REQUIRED = (
        "lab-referral-doctor-required",
        403,
        _("Bara läkaren som har besöket kan skriva en remiss för provtagning. Det är alltid läkarens beslut."),
    )
    NOT_YOUR_CASE = (
        "lab-not-your-case",
        403,
        _("Besöket är tilldelat en annan behandlare. Bara den som har besöket kan göra det här."),
    )
    ABROAD_NO_LAB_REFERRAL = (
        "abroad-no-lab-referral",
        409,
        _(
            "Invånaren befinner sig utomlands och kan inte få en remiss för provtagning. Ge bedömning och råd, "
            "eller hänvisa till vården där invånaren är."
        ),
    )
    LAB_DIRECTORY_ADMIN = (
        "lab-directory-admin",
        403,
        _("Bara plattformens administratörer ändrar förteckningen över provtagningsställen."),
    )
    NO_TESTS = ("lab-referral-no-tests", 400, _("Välj minst ett prov."))
    UNKNOWN_TEST = ("lab-unknown-test", 400, _("Provet %(test)s finns inte i listan över prover."))
    QUESTION_TOO_LONG = ("lab-question-too-long", 400, _("Skriv högst %(limit)s tecken."))
    LAB_NOT_CHOSEN = ("lab-not-chosen", 400, _("Välj var du vill lämna proverna."))
    LAB_ALREADY_CHOSEN = (
        "lab-already-chosen",
        409,
        _("Provtagningsstället är redan valt. Kontakta vården om du behöver byta."),
    )
    REFERRAL_NOT_SENT = (
        "lab-referral-not-sent",
        409,
        _("Remissen har inget provtagningsställe ännu, så det finns inget svar att ta emot."),
    )
    WRONG_LAB = ("lab-result-wrong-lab", 409, _("Remissen gäller ett annat provtagningsställe."))
    RESULT_EXISTS = (
        "lab-result-exists",
        409,
        _("Remissen har redan ett annat provsvar. Skicka ett rättat svar till vården på annat sätt."),
    )
    RESULT_TEST_NOT_ORDERED = ("lab-result-test-not-ordered", 400, _("Provet %(test)s finns inte på remissen."))
    RESULT_ALREADY_REVIEWED = ("lab-result-already-reviewed", 409, _("Provsvaret är redan bedömt."))
    REVIEW_COMMENT = (
        "lab-review-comment",
        400,
        _("Skriv vad provsvaret betyder för invånaren (högst %(limit)s tecken)."),
    )
    RECIPIENT_REQUIRED = (
        "care-referral-recipient",
        400,
        _("Skriv vilken vårdgivare eller mottagning remissen går till."),
    )
    REASON_REQUIRED = ("care-referral-reason", 400, _("Skriv frågeställning och bakgrund (högst %(limit)s tecken)."))
    PLACE_UNKNOWN = ("where-to-turn-unknown", 400, _("Välj vart invånaren ska vända sig."))
    VOUCHER_NOT_FOUND = (
        "pressure-voucher-not-found",
        404,
        _("Koden finns inte. Kontrollera siffrorna under streckkoden."),
    )
    VOUCHER_USED = ("pressure-voucher-used", 409, _("Koden är redan använd."))
    VOUCHER_EXPIRED = ("pressure-voucher-expired", 409, _("Koden gäller inte längre."))
    MEASUREMENT_SYSTOLIC = (
        "measurement-systolic",
        400,
        _("Ange det övre trycket (systoliskt) som ett heltal, %(low)s–%(high)s."),
    )
    MEASUREMENT_DIASTOLIC = (
        "measurement-diastolic",
        400,
        _("Ange det undre trycket (diastoliskt) som ett heltal, %(low)s–%(high)s."),
    )
    MEASUREMENT_PULSE = ("measurement-pulse", 400, _("Ange pulsen som ett heltal, %(low)s–%(high)s slag per minut."))
    MEASUREMENT_ORDER = (
        "measurement-order",
        400,
        _("Det övre trycket (systoliskt) ska vara högre än det undre (diastoliskt). Kontrollera värdena."),
    )
    MEASUREMENT_DATE = (
        "measurement-date",
        400,
        _("Ange dagen du mätte (ÅÅÅÅ-MM-DD), i dag eller högst %(days)s dagar bakåt."),
    )
    NO_VOUCHER = (
        "no-pressure-voucher",
        404,
        _("Du har ingen kod för blodtrycksmätning från ett vårdbesök."),
    )
