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
    # The questionnaire builder of the staff settings (catalog.builder).
    INVALID_ITEM_TYPE = ("invalid-item-type", 422, _("Välj vilken sorts fråga det är."))
    INVALID_ITEM_TEXT = ("invalid-item-text", 422, _("Skriv frågan, högst %(limit)s tecken."))
    INVALID_ITEM_HELP = ("invalid-item-help", 422, _("Hjälptexten får vara högst %(limit)s tecken."))
    INVALID_OPTIONS = (
        "invalid-options",
        422,
        _("Skriv 2–%(limit)s svarsalternativ, ett per rad, vart och ett högst %(length)s tecken."),
    )
    DUPLICATE_OPTIONS = ("duplicate-options", 422, _("Två svarsalternativ är lika: skriv varje alternativ en gång."))
    INVALID_CONDITION = (
        "invalid-condition",
        422,
        _("Välj ett svar på en tidigare ja/nej- eller flervalsfråga, eller att frågan alltid visas."),
    )
    TOO_MANY_ITEMS = ("too-many-items", 422, _("Formuläret får ha högst %(limit)s frågor."))
    ITEM_NOT_FOUND = ("item-not-found", 404, _("Frågan finns inte i formuläret."))
    CANNOT_MOVE = ("cannot-move", 422, _("Frågan kan inte flyttas längre åt det hållet."))
    CONDITION_ORDER = (
        "condition-order",
        422,
        _("”%(question)s” visas beroende av ett svar som då skulle komma efter den. Flytta den frågan först."),
    )
    DEPENDED_ON = (
        "depended-on",
        422,
        _("”%(question)s” visas beroende av den här frågans svar. Ändra eller ta bort det villkoret först."),
    )
    # Who may use a service (issue 11, item 4): age limits and sex-specific services.
    TOO_YOUNG = ("service-too-young", 409, _("Den här e-tjänsten är för den som är %(min_age)s år eller äldre."))
    TOO_OLD = ("service-too-old", 409, _("Den här e-tjänsten är för den som är högst %(max_age)s år."))
    ONLY_FOR_FEMALE = ("service-only-for-female", 409, _("Den här e-tjänsten är bara för kvinnor och flickor."))
    ONLY_FOR_MALE = ("service-only-for-male", 409, _("Den här e-tjänsten är bara för män och pojkar."))
    INVALID_AGE_LIMIT = ("invalid-age-limit", 422, _("Skriv en ålder i hela år, 0–%(limit)s, eller lämna tomt."))
    AGE_LIMITS_ORDER = (
        "age-limits-order",
        422,
        _("Den högsta åldern kan inte vara lägre än den lägsta."),
    )
    INVALID_SERVICE_SEX = ("invalid-service-sex", 422, _("Välj alla, kvinnor och flickor, eller män och pojkar."))
    DESCRIPTION_TOO_LONG = ("description-too-long", 422, _("Beskrivningen får vara högst %(limit)s tecken."))
    INVALID_ROUTED_ROLE = (
        "invalid-routed-role",
        422,
        _("Välj om nya ärenden går till ärendemottagarna eller direkt till ärendehanterarna."),
    )
