"""The statistics' refusals (QA-3, QA-4): stable codes, HTTP statuses and Swedish messages (see core.errors)."""

from django.utils.translation import gettext_lazy as _

from vardnav.core.errors import ErrorCode


class StatsError(ErrorCode):
    NO_STATISTICS = (
        "quality-statistics-forbidden",
        403,
        _("Kvalitetsstatistiken är för vårdgivarens administratörer och verksamhetschefer."),
    )
    INVALID_PERIOD = (
        "quality-invalid-period",
        400,
        _("Skriv en månad som 2026-11 eller ett kvartal som 2026-K4."),
    )
    FUTURE_PERIOD = (
        "quality-future-period",
        400,
        _("Perioden har inte börjat än. Välj en månad eller ett kvartal som har börjat."),
    )
    PERIOD_TOO_EARLY = (
        "quality-period-too-early",
        400,
        _("Välj en period från år %(year)s eller senare."),
    )
