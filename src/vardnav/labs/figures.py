"""The figures a clinician reads off a home measurement period (QA-5): diurnal PEF variability and reversibility.

Pure functions over the period's readings, so the staff page, the API, the
summary note and the tests compute the same numbers from the same rows.

Sources (stated again in the staff page's help text):

- Diurnal PEF variability: GINA, *Global Strategy for Asthma Management and
  Prevention* (Global Initiative for Asthma, 2024 update), Box 1-2: "daily
  diurnal PEF variability is calculated from twice-daily PEF as ([day's highest
  minus day's lowest] / mean of day's highest and lowest), averaged over one
  to two weeks"; an average above 10 % in adults (above 13 % in children
  6–11 years) supports the diagnosis of asthma. The Swedish Medical Products
  Agency's treatment recommendation for asthma (Läkemedelsverket, 2023) uses
  the same criterion. With a morning and an evening reading the mean of the
  day's highest and lowest is the day's mean, so this is (max − min) / mean per
  day, averaged over the days that have at least two readings.
- Reversibility after a bronchodilator: an increase in FEV1 of at least 12 %
  and at least 200 ml from the reading before (ERS/ATS, Pellegrino et al.,
  *Interpretative strategies for lung function tests*, Eur Respir J 2005;
  GINA Box 1-2).

Readings after a bronchodilator are left out of the variability: they measure
the reversibility, and mixing them in would inflate the day's spread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from vardnav.labs.models import HomeMeasurement, MeasurementPeriod

VARIABILITY_THRESHOLD_ADULT = Decimal(10)
VARIABILITY_THRESHOLD_CHILD = Decimal(13)
CHILD_UNDER_AGE = 12  # GINA's children's criterion is for 6–11 years
REVERSIBILITY_PERCENT = Decimal(12)
REVERSIBILITY_ML = 200
GUIDELINE_SOURCE = "GINA 2024 (Box 1-2); Läkemedelsverket, behandlingsrekommendation astma 2023; ERS/ATS 2005"


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def effective_readings(readings: Iterable[HomeMeasurement]) -> list[HomeMeasurement]:
    """The reading that counts for each slot: the latest correction of it, else the first reading.

    Nothing is overwritten: every row stays (and is shown as corrected); only
    the figures take the latest value.
    """
    latest: dict[tuple[dt.date, str, bool], HomeMeasurement] = {}
    for each in sorted(readings, key=lambda r: (r.entered_at, r.pk or 0)):
        latest[(each.measured_on, each.slot, each.after_bronchodilator)] = each
    return sorted(latest.values(), key=lambda r: (r.measured_on, r.slot != "morning", r.after_bronchodilator))


def diurnal_variability(values: list[int]) -> Decimal | None:
    """One day's variability in per cent: (highest − lowest) / mean of highest and lowest; None below two readings."""
    if len(values) < 2:
        return None
    high, low = max(values), min(values)
    return Decimal(high - low) * 200 / Decimal(high + low)


@dataclass(frozen=True)
class Reversibility:
    day: dt.date
    slot: str
    before_ml: int
    after_ml: int
    increase_ml: int
    increase_percent: Decimal
    significant: bool


@dataclass(frozen=True)
class Day:
    day: dt.date
    number: int
    readings: list[HomeMeasurement]
    variability: Decimal | None  # per cent, one decimal


@dataclass(frozen=True)
class PeriodFigures:
    days: list[Day]
    days_with_readings: int
    complete_days: int
    mean_variability: Decimal | None  # per cent, one decimal
    variability_days: int
    threshold: Decimal
    reversibility: Reversibility | None
    slots: list[str] = field(default_factory=list)

    @property
    def variability_supports_asthma(self) -> bool | None:
        if self.mean_variability is None:
            return None
        return self.mean_variability > self.threshold

    @property
    def meter_max(self) -> int:
        """The top of the page's <meter>s: the threshold twice over, or the highest day."""
        top = max([self.threshold * 2] + [d.variability for d in self.days if d.variability is not None])
        return int(top) + 1


def threshold_for(age: int) -> Decimal:
    return VARIABILITY_THRESHOLD_CHILD if age < CHILD_UNDER_AGE else VARIABILITY_THRESHOLD_ADULT


def reversibility(readings: list[HomeMeasurement]) -> Reversibility | None:
    """The largest FEV1 increase from a reading before to one after a bronchodilator in the same slot of a day."""
    before = {(r.measured_on, r.slot): r for r in readings if not r.after_bronchodilator and r.fev1_ml}
    best: Reversibility | None = None
    for after in readings:
        if not after.after_bronchodilator or not after.fev1_ml:
            continue
        base = before.get((after.measured_on, after.slot))
        if base is None or not base.fev1_ml:
            continue
        increase = after.fev1_ml - base.fev1_ml
        percent = _one_decimal(Decimal(increase) * 100 / Decimal(base.fev1_ml))
        candidate = Reversibility(
            day=after.measured_on,
            slot=after.slot,
            before_ml=base.fev1_ml,
            after_ml=after.fev1_ml,
            increase_ml=increase,
            increase_percent=percent,
            significant=percent >= REVERSIBILITY_PERCENT and increase >= REVERSIBILITY_ML,
        )
        if best is None or (candidate.significant, candidate.increase_ml) > (best.significant, best.increase_ml):
            best = candidate
    return best


def period_figures(period: MeasurementPeriod, readings: Iterable[HomeMeasurement], *, age: int) -> PeriodFigures:
    """Every day of the period with its readings and variability, and the period's figures."""
    counting = effective_readings(readings)
    by_day: dict[dt.date, list[HomeMeasurement]] = {}
    for each in counting:
        by_day.setdefault(each.measured_on, []).append(each)
    days: list[Day] = []
    variabilities: list[Decimal] = []
    complete = 0
    for number in range(1, period.days + 1):
        day = period.starts_on + dt.timedelta(days=number - 1)
        rows = by_day.get(day, [])
        pefs = [r.pef for r in rows if not r.after_bronchodilator and r.pef is not None]
        value = diurnal_variability(pefs)
        if value is not None:
            variabilities.append(value)
        if {r.slot for r in rows if not r.after_bronchodilator} >= set(period.slots):
            complete += 1
        days.append(Day(day, number, rows, _one_decimal(value) if value is not None else None))
    mean = _one_decimal(sum(variabilities, Decimal(0)) / len(variabilities)) if variabilities else None
    return PeriodFigures(
        days=days,
        days_with_readings=sum(1 for d in days if d.readings),
        complete_days=complete,
        mean_variability=mean,
        variability_days=len(variabilities),
        threshold=threshold_for(age),
        reversibility=reversibility(counting),
        slots=list(period.slots),
    )


def day_number(period: MeasurementPeriod, today: dt.date) -> int:
    """'Dag 5 av 14': today's place in the period, held within its first and last day."""
    return max(1, min(period.days, (today - period.starts_on).days + 1))


def percent_text(value: Decimal | None) -> str:
    """Swedish style: 14,2 %."""
    return "–" if value is None else f"{value}".replace(".", ",") + " %"


def litres(ml: int | None) -> str:
    return "–" if ml is None else f"{Decimal(ml) / 1000:.2f}".replace(".", ",")
