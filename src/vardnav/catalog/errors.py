"""The catalog's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class CatalogError(ErrorCode):
    SERVICE_NOT_OFFERED = ("service-not-offered", 404, _("E-tjänsten finns inte på den här mottagningen."))
    SERVICE_NOT_FOUND = ("service-not-found", 404, _("E-tjänsten finns inte."))
    INVALID_HANDLING_TIME_UNIT = ("invalid-handling-time-unit", 400, _("Välj arbetsdagar eller timmar."))
    INVALID_HANDLING_TIME = (
        "invalid-handling-time",
        400,
        _("Hanteringstiden måste vara 1–%(maximum)s %(unit)s."),
    )
    INVALID_SERVICE_KIND = ("invalid-service-kind", 400, _("Okänd typ av e-tjänst."))
    SERVICE_EXISTS = ("service-exists", 409, _("Vårdgivaren har redan den här e-tjänsten."))
    PROVIDER_WIDE_SERVICES = (
        "provider-wide-services",
        409,
        _("Vårdgivaren erbjuder samma e-tjänster på alla mottagningar; det går inte att välja per mottagning."),
    )
    INVALID_TITLE = ("invalid-title", 422, _("Skriv en rubrik på högst %(limit)s tecken."))
    NOT_A_DRAFT = ("not-a-draft", 409, _("Bara ett utkast kan publiceras."))
    INVALID_NAME = ("invalid-name", 400, _("Skriv ett namn på högst %(limit)s tecken."))
    INVALID_QUESTIONNAIRE = ("invalid-questionnaire", 422, _("Formuläret är felaktigt: %(problem)s"))
    INVALID_ANSWERS = ("invalid-answers", 422, _("Några svar behöver rättas."))
