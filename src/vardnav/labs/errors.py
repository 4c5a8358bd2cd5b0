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
    # QA-5: home measurement periods and their readings
    PERIOD_NOT_FOUND = ("measurement-period-not-found", 404, _("Mätperioden finns inte."))
    PERIOD_KIND = ("measurement-period-kind", 400, _("Välj vad invånaren ska mäta hemma."))
    PERIOD_DAYS = ("measurement-period-days", 400, _("Ange antal dagar som ett heltal, %(low)s–%(high)s."))
    PERIOD_FREQUENCY = ("measurement-period-frequency", 400, _("Välj hur ofta invånaren ska mäta."))
    PERIOD_ACTIVE = (
        "measurement-period-active",
        409,
        _("Besöket har redan en pågående hemmamätning av det slaget. Sammanfatta den först."),
    )
    PERIOD_CLOSED = (
        "measurement-period-closed",
        409,
        _("Mätperioden är sammanfattad av din behandlare. Det går inte att lägga till fler värden."),
    )
    PERIOD_CONCLUDED = ("measurement-period-concluded", 409, _("Mätperioden har redan en sammanfattning."))
    READING_SLOT = ("reading-slot", 400, _("Välj när på dagen du mätte."))
    READING_DATE = (
        "reading-date",
        400,
        _("Ange en dag inom mätperioden (%(start)s – %(end)s) och inte efter i dag, som ÅÅÅÅ-MM-DD."),
    )
    READING_PEF = ("reading-pef", 400, _("Ange PEF som ett heltal, %(low)s–%(high)s liter per minut."))
    READING_FEV1 = ("reading-fev1", 400, _("Ange FEV1 i liter, %(low)s–%(high)s (till exempel 3,25)."))
    READING_FVC = ("reading-fvc", 400, _("Ange FVC i liter, %(low)s–%(high)s (till exempel 4,10)."))
    READING_FEV1_OVER_FVC = (
        "reading-fev1-over-fvc",
        400,
        _("FEV1 kan inte vara större än FVC. Kontrollera värdena."),
    )
    READING_AFTER_NOT_ASKED = (
        "reading-after-bronchodilator-not-asked",
        400,
        _("Din behandlare har inte bett om mätningar efter luftrörsvidgande läkemedel i den här perioden."),
    )
    READING_TAKEN = (
        "reading-slot-taken",
        409,
        _(
            "Du har redan skrivit in en mätning för den tiden den dagen. Kryssa i ”Det här är en rättelse” "
            "om du vill rätta den."
        ),
    )
    READING_NOTHING_TO_CORRECT = (
        "reading-nothing-to-correct",
        400,
        _("Det finns ingen mätning att rätta för den tiden den dagen. Ta bort krysset för rättelse."),
    )
    SUMMARY_DIAGNOSIS = (
        "measurement-summary-diagnosis",
        400,
        _("Ange minst en diagnoskod (ICD-10-SE), till exempel J45.9, eller en kod för observation."),
    )
    # The record's own checks answer 422 on its pages; the period's summary answers 400 like the labs API.
    SUMMARY_BODY = (
        "measurement-summary-body",
        400,
        _("Skriv sammanfattningen och din bedömning (högst %(limit)s tecken)."),
    )
    SUMMARY_UNKNOWN_CODE = (
        "measurement-summary-unknown-code",
        400,
        _("Diagnoskoden %(diagnosis)s finns inte i kodlistan för ICD-10-SE. Skriv koden som till exempel J45.9."),
    )
    SUMMARY_TOO_MANY_CODES = ("measurement-summary-too-many-codes", 400, _("Ange högst %(limit)s diagnoskoder."))
