"""Reaching complaints for an actor: the patient board's cases, the follow-up counts, where the service is offered.

The complaint cases themselves are read through cases.access like any case
(CMP-1). Here: the board's own list (staff with a role at a patient-board
unit), and the follow-up (CMP follow-up): counts by unit, category and month
for a provider's administrators (complaints about their units, including
those the board has assigned to them) and for the board's staff (everything
the board received). The counts come from one aggregate query over case flags
and dates, plus one for the unit names: no personal data, no case content.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, TruncMonth

from vardnav.cases.models import Case, CaseFlag
from vardnav.catalog.access import services_offered_at
from vardnav.catalog.models import Service, ServiceKind
from vardnav.complaints.content import CATEGORY_FLAG_PREFIX, PROCESS_FLAG, Category
from vardnav.complaints.errors import ComplaintError
from vardnav.complaints.models import ComplaintPolicy
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import NotFound
from vardnav.organizations.access import is_provider_admin, staff_roles_at
from vardnav.organizations.models import Unit, UnitKind

FOLLOW_UP_MONTHS = 12
BOARD_LIST_LIMIT = 200


def board_unit(actor: Actor) -> Unit | None:
    """The patient board's unit the staff member works in now, if they hold a role there."""
    if not actor.is_staff or actor.unit_id is None or not staff_roles_at(actor, actor.unit_id):
        return None
    return Unit.objects.filter(pk=actor.unit_id, kind=UnitKind.PATIENT_BOARD).first()


def board_cases(unit: Unit) -> QuerySet[Case]:
    """The board's complaints, newest first, with the unit it has set (if any); no answers loaded."""
    return (
        Case.objects.filter(unit=unit, service__kind=ServiceKind.COMPLAINT)
        .select_related("complaint_assignment__unit")
        .defer("answers")
        .order_by("-submitted_at", "-id")[:BOARD_LIST_LIMIT]
    )


def access_board_case(actor: Actor, case_id: int) -> tuple[Unit, Case]:
    unit = board_unit(actor)
    if unit is None:
        raise NotFound(ComplaintError.NOT_A_BOARD_CASE)
    case = Case.objects.filter(pk=case_id, unit=unit, service__kind=ServiceKind.COMPLAINT).defer("answers").first()
    if case is None:
        raise NotFound(ComplaintError.NOT_A_BOARD_CASE)
    return unit, case


# --- follow-up ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    month: dt.date
    unit: str
    category: str
    count: int


@dataclass
class FollowUp:
    title: str
    since: dt.date
    rows: list[CountRow]
    by_month: list[tuple[dt.date, int]]

    @property
    def largest_month(self) -> int:
        return max((count for _, count in self.by_month), default=0)

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


def follow_up_scope(actor: Actor) -> tuple[str, Q]:
    """Whose complaints the actor follows up: the board's, or the provider's units'; otherwise a 403."""
    unit = board_unit(actor)
    if unit is not None:
        return unit.name, Q(case__unit_id=unit.pk)
    if actor.is_staff and actor.provider_id is not None and is_provider_admin(actor, actor.provider_id):
        provider_id = actor.provider_id
        return "", Q(case__complaint_assignment__unit__provider_id=provider_id) | Q(
            case__complaint_assignment__isnull=True, case__provider_id=provider_id
        )
    raise ComplaintError.NO_FOLLOW_UP.error()


def follow_up(actor: Actor, *, months: int = FOLLOW_UP_MONTHS) -> FollowUp:
    """Counts by month, unit and category over the last `months` months; two queries however many complaints."""
    title, scope = follow_up_scope(actor)
    today = clock.today()
    first = dt.date(today.year, today.month, 1)
    for _ in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    since = dt.datetime.combine(first, dt.time(), tzinfo=STOCKHOLM)
    grouped = list(
        CaseFlag.objects.filter(scope, code__startswith=CATEGORY_FLAG_PREFIX, case__submitted_at__gte=since)
        .exclude(code=PROCESS_FLAG)
        .filter(case__service__kind=ServiceKind.COMPLAINT)
        .annotate(
            effective_unit=Coalesce("case__complaint_assignment__unit_id", "case__unit_id"),
            month=TruncMonth("case__submitted_at", tzinfo=STOCKHOLM),
        )
        .values("month", "effective_unit", "code")
        .annotate(count=Count("id"))
        .order_by("month", "effective_unit", "code")
    )
    names = dict(Unit.objects.filter(pk__in={g["effective_unit"] for g in grouped}).values_list("pk", "name"))
    labels = dict(Category.choices)
    rows = []
    for group in grouped:
        month = group["month"]
        day = month.date() if isinstance(month, dt.datetime) else month
        code = group["code"].removeprefix(CATEGORY_FLAG_PREFIX)
        rows.append(CountRow(day, names.get(group["effective_unit"], ""), str(labels.get(code, code)), group["count"]))
    totals: dict[dt.date, int] = {}
    for row in rows:
        totals[row.month] = totals.get(row.month, 0) + row.count
    return FollowUp(title=title, since=first, rows=rows, by_month=sorted(totals.items()))


# --- where the service is found (CMP-5) --------------------------------------------------------------


def complaint_service_at(unit: Unit) -> Service | None:
    return services_offered_at(unit).filter(kind=ServiceKind.COMPLAINT).first()


def shown_on_unit_page(unit: Unit) -> Service | None:
    """CMP-5: the unit's complaint service, when its provider has chosen to show it on unit pages."""
    if unit.kind == UnitKind.PATIENT_BOARD:
        return complaint_service_at(unit)
    if not ComplaintPolicy.objects.filter(provider_id=unit.provider_id, show_on_unit_pages=True).exists():
        return None
    return complaint_service_at(unit)


def complaint_offers(units: list[Unit]) -> list[tuple[Unit, Service]]:
    """The units (of those given) that offer the complaint service, with it."""
    found = []
    for unit in units:
        service = complaint_service_at(unit)
        if service is not None:
            found.append((unit, service))
    return found


def policy_for(provider_id: int) -> ComplaintPolicy | None:
    return ComplaintPolicy.objects.filter(provider_id=provider_id).first()
