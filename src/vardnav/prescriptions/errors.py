"""Prescriptions' refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class PrescriptionError(ErrorCode):
    RESIDENT_REQUIRED = ("rx-resident-required", 403, _("Logga in som invånare."))
    NO_DIGITAL_RENEWAL = (
        "no-digital-renewal",
        404,
        _("Din vårdcentral tar inte emot receptförnyelser digitalt."),
    )
    INVALID_POLICY = ("invalid-policy", 400, _("Välj en policy för narkotikaklassade läkemedel."))
    INVALID_DURATION = (
        "invalid-duration",
        422,
        _("Ange hur många dagar förskrivningen gäller, minst en dag."),
    )
    DURATION_TOO_LONG = (
        "duration-too-long",
        422,
        _(
            "En receptförnyelse gäller högst 3 månader (%(limit)s dagar). "
            "Längre behandling kräver en uppföljning hos läkaren."
        ),
    )
    CONTRACEPTIVE_DURATION_TOO_LONG = (
        "contraceptive-duration-too-long",
        422,
        _("Preventivmedel kan förskrivas för högst 1 år (%(limit)s dagar) åt gången."),
    )
    NO_PRESCRIPTIONS_AT_VACCINATION_UNIT = (
        "no-prescriptions-at-vaccination-unit",
        409,
        _(
            "Vaccinationsmottagningar skriver inte ut och förnyar inte recept. "
            "Skicka ärendet till din vårdcentral eller till en digital mottagning i stället."
        ),
    )
    ANTIBIOTIC_RENEWAL_REFUSED = (
        "antibiotic-renewal-refused",
        422,
        _(
            "%(name)s är ett antibiotikum. Antibiotika förnyas inte via receptförnyelsen. "
            "Skicka i stället ett nytt ärende om dina besvär, så gör vi en ny medicinsk bedömning."
        ),
    )
    NARCOTIC_RENEWAL_REFUSED = (
        "narcotic-renewal-refused",
        422,
        _(
            "%(name)s är narkotikaklassat. Vi förnyar inte recept på narkotikaklassade läkemedel via "
            "e-tjänsten. Kontakta läkaren som har hand om din behandling för en uppföljning."
        ),
    )
    NOT_A_CONTRACEPTIVE = (
        "not-a-contraceptive",
        422,
        _("%(name)s är inte ett preventivmedel. Använd e-tjänsten Förnya recept för andra läkemedel."),
    )
    CONTRACEPTIVE_CONTRAINDICATED = (
        "contraceptive-contraindicated",
        422,
        _(
            "%(method)s innehåller östrogen och passar inte dig som %(reasons)s. Preventivmedel utan "
            "östrogen – minipiller, p-stav, p-spruta eller hormonspiral – kan passa dig. Välj ett av dem, "
            "eller skicka ärendet Börja med preventivmedel och välj ”Jag vill ha råd”, så hjälper "
            "barnmorskan dig."
        ),
    )
    PRODUCT_REQUIRED = ("product-required", 422, _("Ange vilket läkemedel du förskriver."))
    PRODUCT_AMBIGUOUS = (
        "product-ambiguous",
        422,
        _("%(name)s finns i flera styrkor och former. Ange vilken du förskriver, till exempel %(example)s."),
    )
    PRESCRIBER_REQUIRED = (
        "prescriber-required",
        403,
        _("Bara läkare (och för preventivmedel barnmorskor) kan förskriva."),
    )
    MANUFACTURER_NOT_PRODUCT = (
        "manufacturer-not-product",
        422,
        _(
            "”%(name)s” är namnet på ett företag som tillverkar läkemedel, inte på ett läkemedel. "
            "Skriv läkemedlets namn som det står på förpackningen, till exempel Levaxin eller Enalapril Actavis."
        ),
    )
    UNKNOWN_PRODUCT = (
        "unknown-product",
        422,
        _(
            "Vi hittar inget läkemedel som heter ”%(name)s” i läkemedelsregistret. %(hint)s "
            "Skriv namnet som det står på förpackningen."
        ),
    )
