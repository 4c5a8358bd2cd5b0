"""People's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class PeopleError(ErrorCode):
    NOT_IN_POPULATION_REGISTER = (
        "not-in-population-register",
        422,
        _(
            "Personnumret finns inte i folkbokföringen. Kontrollera numret, eller kontakta Skatteverket "
            "om du tror att det är fel."
        ),
    )
    PROTECTED_IDENTITY = (
        "protected-identity",
        409,
        _(
            "Du har skyddade personuppgifter. Därför sparar vi varken e-postadress eller telefonnummer för dig. "
            "Du får besked i inkorgen när du loggar in."
        ),
    )
    GUARDIANSHIP_MISMATCH = (
        "guardianship-mismatch",
        400,
        _(
            "Enligt folkbokföringen är du inte vårdnadshavare för barnet med det personnumret. "
            "Kontrollera personnumret. Om uppgiften i folkbokföringen är fel, kontakta Skatteverket."
        ),
    )
    CHILD_NAME_MISMATCH = (
        "child-name-mismatch",
        400,
        _(
            "Namnet och personnumret stämmer inte med folkbokföringen. Skriv barnets förnamn och efternamn "
            "så som de står i folkbokföringen, och kontrollera personnumret."
        ),
    )
    INVALID_EMAIL = ("invalid-email", 400, _("Skriv en giltig e-postadress, till exempel namn@exempel.se."))
    INVALID_PHONE = ("invalid-phone", 400, _("Skriv ett giltigt telefonnummer, till exempel 070-123 45 67."))
    INVALID_CONTACT_DETAILS = ("invalid-contact-details", 400, _("Kontrollera kontaktuppgifterna."))
    INVALID_LANGUAGE = ("invalid-language", 400, _("Välj svenska eller engelska."))
