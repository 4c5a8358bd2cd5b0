"""The audit app's refusals: stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class AuditError(ErrorCode):
    INVALID_LIMIT = ("invalid-limit", 422, _("Antal rader per sida ska vara mellan 1 och %(limit)s."))
    NAIVE_DATETIME = ("naive-datetime", 422, _("Ange tidpunkten med tidszon, till exempel +01:00."))
    PURPOSE_TOO_LONG = ("audit-purpose-too-long", 422, _("Syftet får vara högst %(limit)s tecken."))
    EXTRACT_FOR_RESIDENTS_ONLY = ("extract-for-residents-only", 403, _("Loggutdraget visas bara för invånaren själv."))
    INVALID_PERIOD_DATE = ("invalid-period-date", 422, _("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-01-31."))
    PERIOD_ENDS_BEFORE_START = (
        "period-ends-before-start",
        422,
        _("Periodens sista dag kan inte vara före den första."),
    )
