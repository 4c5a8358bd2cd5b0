"""The help centre's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class HelpError(ErrorCode):
    QUERY_EMPTY = ("help-query-empty", 422, _("Skriv ett eller flera ord att söka efter."))
    QUERY_TOO_LONG = ("help-query-too-long", 422, _("Sökningen får vara högst %(max)s tecken."))
