"""The help centre's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class HelpError(ErrorCode):
    QUERY_EMPTY = ("help-query-empty", 422, _("Skriv ett eller flera ord att söka efter."))
    QUERY_TOO_LONG = ("help-query-too-long", 422, _("Sökningen får vara högst %(max)s tecken."))
    TITLE_MISSING = ("help-title-missing", 422, _("Skriv frågan."))
    TITLE_TOO_LONG = ("help-title-too-long", 422, _("Frågan får vara högst %(limit)s tecken."))
    BODY_MISSING = ("help-body-missing", 422, _("Skriv svaret."))
    BODY_TOO_LONG = ("help-body-too-long", 422, _("Svaret får vara högst %(limit)s tecken."))
    UNKNOWN_CATEGORY = ("help-unknown-category", 422, _("Välj ett ämne i listan."))
    UNKNOWN_AUDIENCE = ("help-unknown-audience", 422, _("Välj vem frågan är till för."))
