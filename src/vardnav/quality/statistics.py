"""Continuity of revisits (QA-3) and prescribing per practitioner (QA-4), computed with a few aggregate queries.

What counts, precisely (the pages' help text says the same):

Continuity (QA-3). A *revisit* is a digital visit that follows up an earlier
visit (`visits.Visit.revisit_of`, VISIT-3): a revisit the resident started from
a closed visit or an offer, or care sought again in the same complaint area
within 30 days of closure, which the visits app links to the earlier visit
itself. A resident writing again in the same case within the return window
(VISIT-4) is not a revisit: the case simply reopens with its practitioner, so
counting it would only inflate the share. A revisit counts once its case is
closed, in the month it was started (Swedish time), when both it and the visit
it follows up have a practitioner (the case's handler, `Case.assigned_to`, at
closing). It is *the same practitioner* when the two handlers are the same
staff member. Figures are grouped by provider, by the unit of the revisit, by
the profession of the earlier visit's practitioner (whom the resident expected
to meet again) and per practitioner of the earlier visit, each with its n.

Prescribing (QA-4). A prescription is what a prescriber's decision to approve
records (`prescriptions.Prescription`, RX-6); a refusal records none. An
antibiotic is a product with ATC code J01 (the drug register's `is_antibiotic`,
derived from the code when the register is loaded). Per practitioner over the
period: their prescriptions and antibiotic prescriptions (by prescribing time),
their closed cases (cases they handled that closed in the period) and, of
those, the cases with an antibiotic they prescribed themselves; the *share*
is antibiotic cases / closed cases. A practitioner is compared with the
provider's share for their profession (the same ratio over the closed cases of
all the provider's practitioners of that profession, whatever the scope shown):
doctors with doctors, so that a nurse who prescribes nothing is not "low". A
practitioner is marked as an outlier when their share lies outside that share
± 2 standard deviations of a share of their n cases (binomial: sqrt(p(1-p)/n),
a funnel plot's control limits, which stays meaningful with few prescribers),
and only with at least MIN_CASES closed cases: below that a few cases swing
the share too much to matter. The antibiotic share per complaint area is the
same ratio over the closed digital visits of each area.

None of this holds resident data: only counts per month, unit, profession,
area and practitioner.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vardnav.cases.models import Case, CaseStatus
from vardnav.core import clock
from vardnav.core.clock import STOCKHOLM
from vardnav.organizations.models import Profession
from vardnav.prescriptions.models import Prescription
from vardnav.quality.stats_errors import StatsError
from vardnav.visits.models import Visit

MIN_CASES = 10  # QA-4: fewer closed cases than this and a practitioner is shown but never marked
SD_LIMIT = 2  # QA-4: how many standard deviations from the provider's share mark an outlier
FIRST_YEAR = 2020
HIGH, LOW = "high", "low"


@dataclass(frozen=True)
class StatsScope:
    """The provider whose figures are shown and the units they cover (all of the provider's for an administrator)."""

    provider_id: int
    provider_name: str
    unit_ids: tuple[int, ...]
    unit_names: tuple[str, ...]
    whole_provider: bool

    @property
    def title(self) -> str:
        return self.provider_name if self.whole_provider else ", ".join(self.unit_names)


# --- the period: a month (2026-11) or a quarter (2026-K4) ---------------------------------------------

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[KkQq]([1-4])\s*$")


@dataclass(frozen=True)
class Period:
    kind: str  # "month" or "quarter"
    year: int
    number: int  # the month 1–12 or the quarter 1–4
    first_day: dt.date
    end_day: dt.date  # the day after the last

    @property
    def code(self) -> str:
        return f"{self.year}-{self.number:02d}" if self.kind == "month" else f"{self.year}-K{self.number}"

    @property
    def label(self) -> str:
        if self.kind == "month":
            return formats.date_format(self.first_day, "F Y")
        return _("kvartal %(quarter)s %(year)s") % {"quarter": self.number, "year": self.year}

    @property
    def since(self) -> dt.datetime:
        return dt.datetime.combine(self.first_day, dt.time(), tzinfo=STOCKHOLM)

    @property
    def until(self) -> dt.datetime:
        return dt.datetime.combine(self.end_day, dt.time(), tzinfo=STOCKHOLM)

    @property
    def months(self) -> list[dt.date]:
        months: list[dt.date] = []
        day = self.first_day
        while day < self.end_day:
            months.append(day)
            day = _next_month(day)
        return months


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def month_period(day: dt.date) -> Period:
    first = day.replace(day=1)
    return Period("month", first.year, first.month, first, _next_month(first))


def current_period() -> Period:
    """This month, what the pages show before a period is chosen."""
    return month_period(clock.today())


def check_period(value: Any, *, field: str = "period") -> Period:
    """A month "2026-11" or a quarter "2026-K4" (Q is taken too) that has begun; a Swedish message otherwise."""
    text = str(value or "").strip()
    if not text:
        return current_period()
    month, quarter = _MONTH.match(text), _QUARTER.match(text)
    if month and 1 <= int(month.group(2)) <= 12:
        year, number, kind = int(month.group(1)), int(month.group(2)), "month"
    elif quarter:
        year, number, kind = int(quarter.group(1)), int(quarter.group(2)), "quarter"
    else:
        raise StatsError.INVALID_PERIOD.error(field=field)
    # Before building any date: year 0 is no date at all, and nothing was recorded before Vårdnav existed.
    if year < FIRST_YEAR:
        raise StatsError.PERIOD_TOO_EARLY.error(field=field, year=FIRST_YEAR)
    if year > clock.today().year:
        raise StatsError.FUTURE_PERIOD.error(field=field)
    if kind == "month":
        period = month_period(dt.date(year, number, 1))
    else:
        first = dt.date(year, 3 * number - 2, 1)
        end = dt.date(year + 1, 1, 1) if number == 4 else dt.date(year, 3 * number + 1, 1)
        period = Period("quarter", year, number, first, end)
    if period.first_day > clock.today():
        raise StatsError.FUTURE_PERIOD.error(field=field)
    return period


def _month_of(value: Any) -> dt.date:
    day = value.astimezone(STOCKHOLM).date() if isinstance(value, dt.datetime) else value
    return dt.date(day.year, day.month, 1)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- continuity (QA-3) -------------------------------------------------------------------------------


@dataclass
class ContinuityRow:
    """One group's revisits: how many (n) and how many met the same practitioner."""

    label: str
    month: dt.date | None = None
    detail: str = ""  # the practitioner's profession
    n: int = 0
    same: int = 0

    @property
    def share(self) -> float | None:
        return _percent(self.same, self.n)


@dataclass
class Continuity:
    period: Period
    total: ContinuityRow
    by_month: list[ContinuityRow]
    by_unit: list[ContinuityRow]
    by_profession: list[ContinuityRow]
    by_practitioner: list[ContinuityRow]

    def csv_rows(self) -> list[list[Any]]:
        """Level, month (blank for the whole period), group, profession, n, same practitioner, share in percent."""
        rows: list[list[Any]] = []
        levels = [
            (_("Vårdgivare"), [self.total, *self.by_month]),
            (_("Mottagning"), self.by_unit),
            (_("Yrkeskategori"), self.by_profession),
            (_("Behandlare"), self.by_practitioner),
        ]
        for level, group in levels:
            for row in group:
                month = row.month.strftime("%Y-%m") if row.month else self.period.code
                rows.append([level, month, row.label, row.detail, row.n, row.same, _decimal(row.share)])
        return rows


def _grouped(rows: dict[tuple[Any, ...], ContinuityRow], key: tuple[Any, ...], **fields: Any) -> ContinuityRow:
    if key not in rows:
        rows[key] = ContinuityRow(**fields)
    return rows[key]


def continuity(scope: StatsScope, period: Period) -> Continuity:
    """QA-3 for the scope and period in one aggregate query (grouped by month, unit and earlier practitioner)."""
    revisits = Visit.objects.filter(
        revisit_of__isnull=False,
        case__provider_id=scope.provider_id,
        case__status=CaseStatus.CLOSED,
        case__assigned_to__isnull=False,
        revisit_of__case__assigned_to__isnull=False,
        created_at__gte=period.since,
        created_at__lt=period.until,
    )
    if not scope.whole_provider:
        revisits = revisits.filter(case__unit_id__in=scope.unit_ids)
    groups = list(
        revisits.annotate(month=TruncMonth("created_at", tzinfo=STOCKHOLM))
        .values(
            "month",
            "case__unit_id",
            "case__unit__name",
            "revisit_of__case__assigned_to_id",
            "revisit_of__case__assigned_to__given_name",
            "revisit_of__case__assigned_to__surname",
            "revisit_of__case__assigned_to__profession",
        )
        .annotate(n=Count("id"), same=Count("id", filter=Q(case__assigned_to_id=F("revisit_of__case__assigned_to_id"))))
        .order_by()
    )
    professions = dict(Profession.choices)
    total = ContinuityRow(label=scope.title)
    months: dict[tuple[Any, ...], ContinuityRow] = {
        (m,): ContinuityRow(label=scope.title, month=m) for m in period.months
    }
    units: dict[tuple[Any, ...], ContinuityRow] = {}
    by_profession: dict[tuple[Any, ...], ContinuityRow] = {}
    practitioners: dict[tuple[Any, ...], ContinuityRow] = {}
    for group in groups:
        month = _month_of(group["month"])
        profession = str(professions.get(group["revisit_of__case__assigned_to__profession"], ""))
        name = f"{group['revisit_of__case__assigned_to__given_name']} {group['revisit_of__case__assigned_to__surname']}"
        targets = [
            total,
            _grouped(months, (month,), label=scope.title, month=month),
            _grouped(units, (month, group["case__unit__name"]), label=group["case__unit__name"], month=month),
            _grouped(by_profession, (month, profession), label=profession, month=month),
            _grouped(
                practitioners,
                (name, group["revisit_of__case__assigned_to_id"]),
                label=name,
                detail=profession,
            ),
        ]
        for row in targets:
            row.n += group["n"]
            row.same += group["same"]
    return Continuity(
        period=period,
        total=total,
        by_month=[months[key] for key in sorted(months)],
        by_unit=[units[key] for key in sorted(units)],
        by_profession=[by_profession[key] for key in sorted(by_profession)],
        by_practitioner=[practitioners[key] for key in sorted(practitioners)],
    )


# --- prescribing (QA-4) ------------------------------------------------------------------------------


@dataclass
class PrescriberRow:
    staff_id: int
    name: str
    profession_code: str
    profession: str
    prescriptions: int = 0
    antibiotic_prescriptions: int = 0
    closed_cases: int = 0
    antibiotic_cases: int = 0
    outlier: str = ""  # HIGH, LOW or ""
    baseline: float | None = None  # the provider's share for the profession, in percent
    band: tuple[float, float] | None = None  # the baseline ± SD_LIMIT SD for this n, in percent

    @property
    def share(self) -> float | None:
        return _percent(self.antibiotic_cases, self.closed_cases)

    @property
    def enough_cases(self) -> bool:
        return self.closed_cases >= MIN_CASES


@dataclass
class ProfessionShare:
    """The provider's closed cases and antibiotic cases for one profession: the baseline its practitioners meet."""

    code: str
    label: str
    closed_cases: int = 0
    antibiotic_cases: int = 0

    @property
    def share(self) -> float | None:
        return _percent(self.antibiotic_cases, self.closed_cases)


@dataclass
class AreaRow:
    name: str
    visits: int
    antibiotic_visits: int

    @property
    def share(self) -> float | None:
        return _percent(self.antibiotic_visits, self.visits)


@dataclass
class Prescribing:
    period: Period
    practitioners: list[PrescriberRow]
    professions: list[ProfessionShare]
    areas: list[AreaRow]
    min_cases: int = MIN_CASES
    sd_limit: int = SD_LIMIT
    outliers: list[PrescriberRow] = field(default_factory=list)

    @property
    def provider_closed(self) -> int:
        return sum(row.closed_cases for row in self.professions)

    @property
    def provider_antibiotic(self) -> int:
        return sum(row.antibiotic_cases for row in self.professions)

    @property
    def provider_share(self) -> float | None:
        return _percent(self.provider_antibiotic, self.provider_closed)

    @property
    def prescriptions(self) -> int:
        return sum(row.prescriptions for row in self.practitioners)

    @property
    def antibiotic_prescriptions(self) -> int:
        return sum(row.antibiotic_prescriptions for row in self.practitioners)

    def csv_rows(self) -> list[list[Any]]:
        """Practitioner, profession, prescriptions, antibiotics, closed cases, antibiotic cases, share,
        the provider's share for the profession, outlier."""
        marks = {HIGH: _("högre än vårdgivaren"), LOW: _("lägre än vårdgivaren"), "": ""}
        return [
            [
                row.name,
                row.profession,
                row.prescriptions,
                row.antibiotic_prescriptions,
                row.closed_cases,
                row.antibiotic_cases,
                _decimal(row.share),
                _decimal(row.baseline),
                marks[row.outlier],
            ]
            for row in self.practitioners
        ]


def _decimal(value: float | None) -> str:
    """A percentage for a Swedish spreadsheet: a decimal comma, blank when there is nothing to divide."""
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def outlier_mark(antibiotic_cases: int, closed_cases: int, baseline: float) -> tuple[str, tuple[float, float]]:
    """QA-4: HIGH or LOW outside the baseline share ± SD_LIMIT binomial SDs for this n, else ""; and the band.

    Below MIN_CASES nothing is marked: a practitioner with three cases and two
    antibiotics is not "an outlier", only a small number.
    """
    p = baseline
    spread = SD_LIMIT * math.sqrt(p * (1 - p) / closed_cases) if closed_cases else 0.0
    band = (round(100 * max(p - spread, 0.0), 1), round(100 * min(p + spread, 1.0), 1))
    if closed_cases < MIN_CASES:
        return "", band
    share = antibiotic_cases / closed_cases
    if share > p + spread + 1e-12:
        return HIGH, band
    if share < p - spread - 1e-12:
        return LOW, band
    return "", band


# A closed case "with an antibiotic": one the practitioner who handled it prescribed an antibiotic in.
_ANTIBIOTIC_OWN = Q(prescriptions__product__is_antibiotic=True, prescriptions__prescriber_id=F("assigned_to_id"))


def _closed_cases(scope: StatsScope, period: Period, *, whole_provider: bool) -> Any:
    cases = Case.objects.filter(
        provider_id=scope.provider_id,
        status=CaseStatus.CLOSED,
        closed_at__gte=period.since,
        closed_at__lt=period.until,
        assigned_to__isnull=False,
    )
    return cases if whole_provider else cases.filter(unit_id__in=scope.unit_ids)


def _with_antibiotics(cases: Any, *fields: str) -> Any:
    """Closed cases and those with the handler's own antibiotic, grouped by `fields`."""
    return (
        cases.values(*fields)
        .annotate(closed=Count("id", distinct=True), antibiotic=Count("id", distinct=True, filter=_ANTIBIOTIC_OWN))
        .order_by()
    )


def prescribing(scope: StatsScope, period: Period) -> Prescribing:
    """QA-4 for the scope and period: three aggregate queries (four for a head of unit: the provider's shares)."""
    labels = dict(Profession.choices)
    rows: dict[int, PrescriberRow] = {}

    def row_for(staff_id: int, given: str, surname: str, profession: str) -> PrescriberRow:
        if staff_id not in rows:
            label = str(labels.get(profession, profession))
            rows[staff_id] = PrescriberRow(staff_id, f"{given} {surname}", profession, label)
        return rows[staff_id]

    handler = ("assigned_to_id", "assigned_to__given_name", "assigned_to__surname", "assigned_to__profession")
    for group in _with_antibiotics(_closed_cases(scope, period, whole_provider=scope.whole_provider), *handler):
        row = row_for(*(group[name] for name in handler))
        row.closed_cases, row.antibiotic_cases = group["closed"], group["antibiotic"]
    prescriptions = Prescription.objects.filter(
        provider_id=scope.provider_id, prescribed_at__gte=period.since, prescribed_at__lt=period.until
    )
    if not scope.whole_provider:
        prescriptions = prescriptions.filter(unit_id__in=scope.unit_ids)
    prescriber = ("prescriber_id", "prescriber__given_name", "prescriber__surname", "prescriber__profession")
    issued = (
        prescriptions.values(*prescriber)
        .annotate(total=Count("id"), antibiotic=Count("id", filter=Q(product__is_antibiotic=True)))
        .order_by()
    )
    for group in issued:
        row = row_for(*(group[name] for name in prescriber))
        row.prescriptions, row.antibiotic_prescriptions = group["total"], group["antibiotic"]
    professions: dict[str, ProfessionShare] = {}
    if scope.whole_provider:
        for row in rows.values():
            share = professions.setdefault(row.profession_code, ProfessionShare(row.profession_code, row.profession))
            share.closed_cases += row.closed_cases
            share.antibiotic_cases += row.antibiotic_cases
    else:
        provider_cases = _closed_cases(scope, period, whole_provider=True)
        for group in _with_antibiotics(provider_cases, "assigned_to__profession"):
            code = group["assigned_to__profession"]
            professions[code] = ProfessionShare(code, str(labels.get(code, code)), group["closed"], group["antibiotic"])
    for row in rows.values():
        baseline = professions.get(row.profession_code)
        if row.closed_cases and baseline is not None and baseline.closed_cases:
            row.baseline = baseline.share
            p = baseline.antibiotic_cases / baseline.closed_cases
            row.outlier, row.band = outlier_mark(row.antibiotic_cases, row.closed_cases, p)
    practitioners = sorted(rows.values(), key=lambda row: (row.name, row.staff_id))
    return Prescribing(
        period=period,
        practitioners=practitioners,
        professions=sorted((s for s in professions.values() if s.closed_cases), key=lambda s: s.label),
        areas=_areas(scope, period),
        outliers=[row for row in practitioners if row.outlier],
    )


def _areas(scope: StatsScope, period: Period) -> list[AreaRow]:
    """The antibiotic share of closed digital visits per complaint area (urinary tract infection etc.), one query."""
    visits = Visit.objects.filter(
        case__provider_id=scope.provider_id,
        case__status=CaseStatus.CLOSED,
        case__closed_at__gte=period.since,
        case__closed_at__lt=period.until,
    )
    if not scope.whole_provider:
        visits = visits.filter(case__unit_id__in=scope.unit_ids)
    groups = (
        visits.values("area_id", "area__name", "area__name_en")
        .annotate(
            n=Count("id", distinct=True),
            antibiotic=Count("id", distinct=True, filter=Q(case__prescriptions__product__is_antibiotic=True)),
        )
        .order_by()
    )
    english = (get_language() or "").startswith("en")
    areas = [
        AreaRow(
            name=(group["area__name_en"] if english and group["area__name_en"] else group["area__name"]),
            visits=group["n"],
            antibiotic_visits=group["antibiotic"],
        )
        for group in groups
    ]
    return sorted(areas, key=lambda area: area.name)
