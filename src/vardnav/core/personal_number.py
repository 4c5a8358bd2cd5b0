"""Swedish personal identity numbers (personnummer) and coordination numbers.

Why our own parser: the `personnummer` library checks the Luhn digit and the
date well, but it decides the century of a ten-digit number from the machine's
real date, which makes ages and tests depend on when they run. Here the century
comes from `core.clock.today()` (frozen in tests), and every number leaves the
parser as the one stored form, twelve digits, so a number typed three different
ways is still one person.

Accepted input (surrounding spaces ignored):
    197901012380, 19790101-2380    twelve digits, with or without a dash
    7901012380, 790101-2380        ten digits: the latest century in which the
                                   person is not born in the future
    261231+2380                    ten digits with `+`: the person turns 100 or
                                   more in the current calendar year, which is
                                   when Skatteverket switches the dash for a plus
A samordningsnummer has 60 added to the day of birth (SKV 707).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from personnummer import personnummer

from vardnav.core import clock
from vardnav.core.errors import CoreError, DomainError

COORDINATION_DAY_OFFSET = 60

INVALID_MESSAGE = CoreError.INVALID_PERSONAL_NUMBER.message

_TWELVE = re.compile(r"^(\d{8})-?(\d{4})$")
_TEN = re.compile(r"^(\d{6})([-+]?)(\d{4})$")


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Whole years completed on `day`; the birthday itself counts as completed."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True, slots=True)
class PersonalNumber:
    """A validated personal or coordination number, always held as twelve digits."""

    digits12: str

    def __str__(self) -> str:
        return self.formatted

    @property
    def formatted(self) -> str:
        """The form people read: YYYYMMDD-NNNC."""
        return f"{self.digits12[:8]}-{self.digits12[8:]}"

    @property
    def is_coordination_number(self) -> bool:
        return int(self.digits12[6:8]) > COORDINATION_DAY_OFFSET

    @property
    def birth_date(self) -> dt.date:
        day = int(self.digits12[6:8])
        if day > COORDINATION_DAY_OFFSET:
            day -= COORDINATION_DAY_OFFSET
        return dt.date(int(self.digits12[:4]), int(self.digits12[4:6]), day)

    @property
    def is_male(self) -> bool:
        # The third digit of the birth number is odd for men, even for women.
        return int(self.digits12[10]) % 2 == 1

    def age_on(self, day: dt.date) -> int:
        return age_on(self.birth_date, day)


def _invalid(field: str) -> DomainError:
    return CoreError.INVALID_PERSONAL_NUMBER.error(field=field)


def _month_day(digits: str) -> tuple[int, int]:
    day = int(digits[4:6])
    if day > COORDINATION_DAY_OFFSET:
        day -= COORDINATION_DAY_OFFSET
    return int(digits[2:4]), day


def _century_for(yymmdd: str, separator: str, today: dt.date) -> int:
    """The full birth year for a ten-digit number."""
    yy = int(yymmdd[:2])
    month, day = _month_day(yymmdd)
    if separator == "+":
        # Written with a plus from the calendar year the person turns 100.
        limit = today.year - 100
        return limit - ((limit - yy) % 100)
    year = today.year - ((today.year - yy) % 100)
    try:
        born = dt.date(year, month, day)
    except ValueError:
        # 29 February in a year that is not a leap year: try the century before,
        # and let validation reject it if that is no leap year either.
        return year - 100
    return year if born <= today else year - 100


def parse_personal_number(
    value: object, *, field: str = "personal_number", today: dt.date | None = None
) -> PersonalNumber:
    """Validate and normalise a personal number typed in any common way.

    Raises DomainError(code="invalid-personal-number") with a Swedish message
    naming `field`; never lets a malformed value through to storage.
    """
    if not isinstance(value, str):
        raise _invalid(field)
    text = value.strip()
    today = today or clock.today()
    if match := _TWELVE.match(text):
        digits12 = match.group(1) + match.group(2)
    elif match := _TEN.match(text):
        year = _century_for(match.group(1), match.group(2), today)
        digits12 = f"{year:04d}{match.group(1)[2:]}{match.group(3)}"
    else:
        raise _invalid(field)
    # The library checks the Luhn digit over the ten digits and that the
    # (coordination-adjusted) date exists; with a century given it does not
    # consult the real date.
    if not personnummer.valid(digits12):
        raise _invalid(field)
    number = PersonalNumber(digits12)
    if number.birth_date > today:
        raise _invalid(field)
    return number


def is_valid_personal_number(value: object, *, today: dt.date | None = None) -> bool:
    try:
        parse_personal_number(value, today=today)
    except DomainError:
        return False
    return True
