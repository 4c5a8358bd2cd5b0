"""Notifications' refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class NotificationError(ErrorCode):
    INVALID_SUPPORT_REQUEST = ("invalid-support-request", 400, _("Kontrollera uppgifterna."))
