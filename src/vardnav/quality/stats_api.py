"""The quality statistics in /api/v1/staff/quality/… (QA-3, QA-4): the same figures as the pages.

A period is a month ("2026-11") or a quarter ("2026-K4"), this month when left
out; a malformed or future one is a 400 problem. Who may ask, and the audit of
each answer, is stats_access's (provider administrators and heads of unit).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router, Schema
from ninja.params.functions import Query

from vardnav.core.http import ApiRequest
from vardnav.identity.api_auth import staff_auth
from vardnav.quality import stats_access
from vardnav.quality.statistics import MIN_CASES, SD_LIMIT, ContinuityRow, Period, StatsScope, check_period

router = Router(tags=["quality"])


class StatsPeriodOut(Schema):
    code: str
    kind: str
    first_day: dt.date
    last_day: dt.date


class ScopeOut(Schema):
    provider: str
    units: list[str]
    whole_provider: bool


class ShareOut(Schema):
    month: dt.date | None
    group: str
    profession: str
    n: int
    same_practitioner: int
    share_percent: float | None


class ContinuityOut(Schema):
    period: StatsPeriodOut
    scope: ScopeOut
    total: ShareOut
    by_month: list[ShareOut]
    by_unit: list[ShareOut]
    by_profession: list[ShareOut]
    by_practitioner: list[ShareOut]


class PrescriberOut(Schema):
    name: str
    profession: str
    prescriptions: int
    antibiotic_prescriptions: int
    closed_cases: int
    antibiotic_cases: int
    share_percent: float | None
    provider_profession_share_percent: float | None
    enough_cases: bool
    outlier: str
    band_percent: list[float] | None


class ProfessionOut(Schema):
    profession: str
    closed_cases: int
    antibiotic_cases: int
    share_percent: float | None


class StatsAreaOut(Schema):
    area: str
    closed_visits: int
    antibiotic_visits: int
    share_percent: float | None


class PrescribingOut(Schema):
    period: StatsPeriodOut
    scope: ScopeOut
    prescriptions: int
    antibiotic_prescriptions: int
    provider_closed_cases: int
    provider_antibiotic_cases: int
    provider_share_percent: float | None
    min_cases: int
    sd_limit: int
    professions: list[ProfessionOut]
    practitioners: list[PrescriberOut]
    areas: list[StatsAreaOut]


def _period(period: Period) -> dict[str, Any]:
    last = period.end_day - dt.timedelta(days=1)
    return {"code": period.code, "kind": period.kind, "first_day": period.first_day, "last_day": last}


def _scope(scope: StatsScope) -> dict[str, Any]:
    return {"provider": scope.provider_name, "units": list(scope.unit_names), "whole_provider": scope.whole_provider}


def _share(row: ContinuityRow) -> dict[str, Any]:
    return {
        "month": row.month,
        "group": row.label,
        "profession": row.detail,
        "n": row.n,
        "same_practitioner": row.same,
        "share_percent": row.share,
    }


PERIOD_HELP = "A month (2026-11) or a quarter (2026-K4); this month if absent"


@router.get(
    "/staff/quality/continuity",
    response=ContinuityOut,
    auth=staff_auth,
    summary="Continuity of revisits: the share that met the same practitioner (QA-3)",
)
def continuity(
    request: ApiRequest, period: str | None = Query(None, max_length=20, description=PERIOD_HELP)
) -> dict[str, Any]:
    checked = check_period(period)
    scope, figures = stats_access.access_continuity(request.auth, checked)
    return {
        "period": _period(checked),
        "scope": _scope(scope),
        "total": _share(figures.total),
        "by_month": [_share(row) for row in figures.by_month],
        "by_unit": [_share(row) for row in figures.by_unit],
        "by_profession": [_share(row) for row in figures.by_profession],
        "by_practitioner": [_share(row) for row in figures.by_practitioner],
    }


@router.get(
    "/staff/quality/prescribing",
    response=PrescribingOut,
    auth=staff_auth,
    summary="Prescriptions and the antibiotic share per practitioner, outliers marked (QA-4)",
)
def prescribing(
    request: ApiRequest, period: str | None = Query(None, max_length=20, description=PERIOD_HELP)
) -> dict[str, Any]:
    checked = check_period(period)
    scope, figures = stats_access.access_prescribing(request.auth, checked)
    return {
        "period": _period(checked),
        "scope": _scope(scope),
        "prescriptions": figures.prescriptions,
        "antibiotic_prescriptions": figures.antibiotic_prescriptions,
        "provider_closed_cases": figures.provider_closed,
        "provider_antibiotic_cases": figures.provider_antibiotic,
        "provider_share_percent": figures.provider_share,
        "min_cases": MIN_CASES,
        "sd_limit": SD_LIMIT,
        "professions": [
            {
                "profession": share.label,
                "closed_cases": share.closed_cases,
                "antibiotic_cases": share.antibiotic_cases,
                "share_percent": share.share,
            }
            for share in figures.professions
        ],
        "practitioners": [
            {
                "name": row.name,
                "profession": row.profession,
                "prescriptions": row.prescriptions,
                "antibiotic_prescriptions": row.antibiotic_prescriptions,
                "closed_cases": row.closed_cases,
                "antibiotic_cases": row.antibiotic_cases,
                "share_percent": row.share,
                "provider_profession_share_percent": row.baseline,
                "enough_cases": row.enough_cases,
                "outlier": row.outlier,
                "band_percent": list(row.band) if row.band else None,
            }
            for row in figures.practitioners
        ],
        "areas": [
            {
                "area": area.name,
                "closed_visits": area.visits,
                "antibiotic_visits": area.antibiotic_visits,
                "share_percent": area.share,
            }
            for area in figures.areas
        ],
    }
