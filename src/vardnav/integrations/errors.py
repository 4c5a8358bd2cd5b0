"""Integrations' refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class IntegrationError(ErrorCode):
    INVALID_SCOPES = ("invalid-scopes", 400, _("Välj minst en giltig behörighet."))
    TOKEN_NAME_TAKEN = ("token-name-taken", 409, _("Vårdgivaren har redan en aktiv nyckel med det namnet."))
    INVALID_TOKEN = ("invalid-token", 401, _("API-nyckeln är okänd eller återkallad."))
    ONE_SERVICE = ("one-service", 400, _("Ange antingen service_id eller service_kind, inte båda."))
    SCOPE_MISSING = ("scope-missing", 403, _("API-nyckeln får inte registrera ärenden."))
