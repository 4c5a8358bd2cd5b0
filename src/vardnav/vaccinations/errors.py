"""The vaccinations app's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class VaccinationError(ErrorCode):
    # Well-formed input that breaks a rule no schema states (a date in the future, a product of another vaccine):
    # 400 with the fields' messages, per the API's error contract (422 is for input outside the documented schema).
    INVALID_INPUT = ("invalid-vaccination-input", 400, _("Uppgifterna behöver rättas. Se meddelandet vid varje fält."))
    UNKNOWN_VACCINE = ("unknown-vaccine", 422, _("Välj ett vaccin i listan."))
    UNKNOWN_PRODUCT = ("unknown-vaccine-product", 400, _("Välj ett vaccinpreparat i listan för det valda vaccinet."))
    DATE_MISSING = ("vaccination-date-missing", 422, _("Skriv datumet då vaccinationen gavs, till exempel 2026-05-14."))
    DATE_IN_FUTURE = (
        "vaccination-date-in-future",
        400,
        _("Datumet kan inte vara i framtiden. Skriv dagen då vaccinationen gavs."),
    )
    DATE_BEFORE_BIRTH = ("vaccination-date-before-birth", 400, _("Datumet är före personens födelsedag."))
    INVALID_DOSE = ("invalid-dose-number", 422, _("Dosnumret ska vara ett heltal från 1 till %(limit)s."))
    BATCH_MISSING = ("batch-missing", 422, _("Skriv vaccinets batchnummer (satsnummer) som det står på förpackningen."))
    BATCH_INVALID = (
        "batch-invalid",
        422,
        _("Batchnumret får bara innehålla bokstäver, siffror och bindestreck, högst %(limit)s tecken."),
    )
    SITE_MISSING = ("site-missing", 422, _("Välj var vaccinet gavs."))
    PLACE_TOO_LONG = ("place-too-long", 422, _("Platsen får vara högst %(limit)s tecken."))
    TOO_YOUNG = (
        "too-young-for-vaccine",
        400,
        _("Det här vaccinet ges på vaccinationsmottagningen från %(age)s. Personen är för ung."),
    )
    UNKNOWN_DESTINATION = (
        "unknown-destination",
        400,
        _("Resmålet finns inte i tabellen över reseråd. Välj ett land i listan eller fråga mottagningen."),
    )
    INVALID_TRIP_LENGTH = ("invalid-trip-length", 422, _("Skriv hur många dagar resan varar, från 1 till %(limit)s."))
    NOTE_TOO_LONG = ("advice-note-too-long", 422, _("Anteckningen får vara högst %(limit)s tecken."))
    NO_VACCINATING_ROLE = (
        "no-vaccinating-role",
        403,
        _("Vaccinationskortet öppnas av vårdpersonal med en roll på mottagningen där du arbetar."),
    )
    PERSON_NOT_FOUND = ("vaccination-person-not-found", 404, _("Personen finns inte."))
