"""Who may see the quality statistics (QA-3, QA-4), for which units, and the audited viewings.

The statistics describe colleagues' work (how often their revisits met them
again, how often they prescribe antibiotics), so they are for the people who
answer for that work: the provider's administrators (every unit of their
provider) and heads of unit, verksamhetschef (the units they head, whichever
unit they chose at login). Everyone else is refused with one 403; staff of
another provider never see a figure of this one, because the scope is always
the actor's own provider.

Figures per practitioner are staff data about colleagues: each viewing (a page,
an API answer, a CSV file) is recorded once in the audit log with the period
and the units, never with a figure.
"""

from __future__ import annotations

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core.actor import Actor
from vardnav.core.errors import PermissionDenied
from vardnav.organizations.access import acting_staff, administered_units
from vardnav.quality.statistics import Continuity, Period, Prescribing, StatsScope, continuity, prescribing
from vardnav.quality.stats_errors import StatsError


def access_stats_scope(actor: Actor) -> StatsScope:
    """The actor's scope, in two or three queries; a 403 for anyone who is neither administrator nor head of unit."""
    staff = acting_staff(actor)
    if staff is None:
        raise PermissionDenied(StatsError.NO_STATISTICS)
    units = list(administered_units(actor))
    if not units and not staff.is_provider_admin:
        raise PermissionDenied(StatsError.NO_STATISTICS)
    provider = units[0].provider if units else staff.provider
    return StatsScope(
        provider_id=staff.provider_id,
        provider_name=provider.name,
        unit_ids=tuple(unit.pk for unit in units),
        unit_names=tuple(unit.name for unit in units),
        whole_provider=staff.is_provider_admin,
    )


def may_see_statistics(actor: Actor) -> bool:
    """For the staff start page: a provider administrator or a head of unit."""
    try:
        access_stats_scope(actor)
    except PermissionDenied:
        return False
    return True


def _record(actor: Actor, event: AuditEvent, scope: StatsScope, period: Period, report: str = "") -> None:
    extra: dict[str, object] = {"period": period.code, "units": list(scope.unit_ids)}
    if report:
        extra["report"] = report
    do_record(actor, event, object_type="organizations.careprovider", object_id=scope.provider_id, extra=extra)


def access_continuity(actor: Actor, period: Period, *, export: bool = False) -> tuple[StatsScope, Continuity]:
    """QA-3 for the actor's scope, recorded once per viewing (the practitioners' own figures are among them)."""
    scope = access_stats_scope(actor)
    figures = continuity(scope, period)
    if export:
        _record(actor, AuditEvent.QUALITY_STATISTICS_EXPORT, scope, period, "continuity")
    else:
        _record(actor, AuditEvent.QUALITY_CONTINUITY_READ, scope, period)
    return scope, figures


def access_prescribing(actor: Actor, period: Period, *, export: bool = False) -> tuple[StatsScope, Prescribing]:
    """QA-4 for the actor's scope, recorded once per viewing: per-practitioner figures about colleagues."""
    scope = access_stats_scope(actor)
    figures = prescribing(scope, period)
    if export:
        _record(actor, AuditEvent.QUALITY_STATISTICS_EXPORT, scope, period, "prescribing")
    else:
        _record(actor, AuditEvent.QUALITY_PRESCRIBING_READ, scope, period)
    return scope, figures
