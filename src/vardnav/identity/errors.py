"""Identity's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode

_BANKID_TECHNICAL = _("Ett tekniskt fel uppstod hos BankID. Försök igen om en stund.")  # RFA5
# invalidParameters, unauthorized, notFound are our own faults: not blamed on BankID.
_BANKID_OUR_FAULT = _("Inloggning med BankID fungerar inte just nu. Försök igen om en stund eller kontakta supporten.")


class IdentityError(ErrorCode):
    UNDER_16 = (
        "under-16",
        403,
        _(
            "Du som är under 16 år kan inte logga in själv. Din vårdnadshavare loggar in med sitt eget BankID "
            "och väljer dig under ”Välj vem du vill agera för”. Sedan kan ni söka vård tillsammans."
        ),
    )
    LOGIN_ORDER_NOT_FOUND = (
        "login-order-not-found",
        404,
        _("Inloggningen hittades inte eller har gått ut. Börja om genom att välja ”Logga in med BankID”."),
    )
    LOGIN_ORDER_GONE = (
        "login-order-gone",
        410,
        _("Inloggningen är avbruten eller redan avslutad. Börja om genom att välja ”Logga in med BankID”."),
    )
    RATE_LIMITED = (
        "rate-limited",
        429,
        _("Du har försökt för många gånger på kort tid. Vänta %(wait)s och försök igen."),
    )
    CSRF = (
        "csrf",
        403,
        _("Begäran saknar giltig CSRF-token. Hämta en ny med GET /api/v1/auth/csrf och skicka den i X-CSRFToken."),
    )
    SESSION_EXPIRED = (
        "session-expired",
        401,
        _("Du har loggats ut eftersom sessionen har gått ut. Logga in igen."),
    )
    INVALID_CONFIRMATION_LINK = (
        "invalid-confirmation-link",
        400,
        _(
            "Länken för att bekräfta e-postadressen är ogiltig eller för gammal (den gäller i 24 timmar). "
            "Spara e-postadressen i din profil igen, så skickar vi en ny länk."
        ),
    )
    CONSENT_PROTECTED_IDENTITY = (
        "consent-protected-identity",
        409,
        _("Du har skyddade personuppgifter. Vi sparar inga kontaktuppgifter för dig, så det finns inget att dela."),
    )
    CONSENT_EMPTY = (
        "consent-empty",
        400,
        _("Välj om du vill dela din e-postadress, ditt mobilnummer eller båda."),
    )
    CONSENT_MISSING_CONTACT = ("consent-missing-contact", 400, _("Kontrollera valen."))
    BANKID_ALREADY_IN_PROGRESS = (
        "bankid-alreadyInProgress",
        409,
        _("Du har redan en legitimering eller underskrift på gång i BankID-appen. Avsluta den och försök igen."),
    )
    BANKID_INTERNAL_ERROR = ("bankid-internalError", 502, _BANKID_TECHNICAL)
    BANKID_MAINTENANCE = ("bankid-maintenance", 503, _BANKID_TECHNICAL)
    BANKID_REQUEST_TIMEOUT = ("bankid-requestTimeout", 504, _BANKID_TECHNICAL)
    BANKID_TRANSPORT = ("bankid-transport", 502, _BANKID_TECHNICAL)
    BANKID_INVALID_PARAMETERS = ("bankid-invalidParameters", 502, _BANKID_OUR_FAULT)
    BANKID_UNAUTHORIZED = ("bankid-unauthorized", 502, _BANKID_OUR_FAULT)
    BANKID_NOT_FOUND = ("bankid-notFound", 502, _BANKID_OUR_FAULT)


def bankid_error_code(error_code: str) -> IdentityError:
    """The registered code for a BankID errorCode; unknown codes count as BankID's technical error."""
    code = f"bankid-{error_code}"
    for member in IdentityError:
        if member.value == code:
            return member
    return IdentityError.BANKID_INTERNAL_ERROR
