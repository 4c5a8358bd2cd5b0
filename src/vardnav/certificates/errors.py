"""The certificates app's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class CertificateError(ErrorCode):
    CERTIFICATE_NOT_FOUND = ("certificate-not-found", 404, _("Intyget finns inte."))
    NOT_A_DOCTOR = (
        "certificate-doctor-required",
        403,
        _("Bara läkaren som har ärendet kan utfärda intyg. Det är alltid läkarens beslut."),
    )
    ATTESTATION_REQUIRED = (
        "no-examination-attestation-required",
        400,
        _(
            "Ett sjukintyg får bara skrivas när ingen fysisk undersökning behövs för att bedöma besvären och "
            "arbetsförmågan. Intyga det, eller hänvisa till en fysisk undersökning."
        ),
    )
    INVALID_DATE = ("certificate-invalid-date", 400, _("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-12-01."))
    BACKDATED = (
        "sick-note-backdated",
        400,
        _("Sjukintyget kan inte gälla före den dag vården söktes (%(date)s)."),
    )
    END_BEFORE_START = ("sick-note-end-before-start", 400, _("Sista dagen kan inte vara före första dagen."))
    TOO_LONG = (
        "sick-note-too-long",
        400,
        _("Ett sjukintyg får gälla högst %(limit)s dagar (nu %(days)s). Hänvisa till en fysisk undersökning."),
    )
    EXTENSION = (
        "sick-note-extension",
        409,
        _(
            "En pågående sjukskrivning kan inte förlängas här. Hänvisa invånaren till sin ordinarie läkare "
            "eller vårdcentral."
        ),
    )
    REDUCTION_REQUIRED = ("sick-note-reduction", 400, _("Välj hur mycket arbetsförmågan är nedsatt."))
    STATEMENT_REQUIRED = (
        "certificate-statement",
        400,
        _("Skriv läkarens bedömning (högst %(limit)s tecken)."),
    )
