"""Personal numbers: one stored form, the right century, ages counted in Swedish time.

Every number here is a Skatteverket test number (data/skatteverket_sample.csv is
every 138th row of data/skatteverket-testpersonnummer.csv at the repository root) or one of
demo.identities.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from vardnav.core import clock
from vardnav.core.errors import DomainError
from vardnav.core.personal_number import INVALID_MESSAGE, PersonalNumber, parse_personal_number
from vardnav.demo import identities as demo_identities

TODAY = dt.date(2026, 11, 22)
SAMPLE = [
    row["testpersonnummer"]
    for row in csv.DictReader((Path(__file__).parent / "data" / "skatteverket_sample.csv").open(encoding="utf-8"))
]
BORN_2010_11_22 = "201011222385"


def test_the_sample_is_the_three_hundred_numbers_it_claims_to_be():
    assert len(SAMPLE) >= 300
    assert all(len(number) == 12 and number.isdigit() for number in SAMPLE)


@pytest.mark.parametrize("typed", ["197901012380", "19790101-2380", "  19790101-2380 ", "790101-2380", "7901012380"])
def test_it_stores_every_common_way_of_writing_a_number_as_twelve_digits(typed):
    assert parse_personal_number(typed, today=TODAY).digits12 == demo_identities.GUARDIAN


def test_it_formats_a_number_the_way_people_read_it():
    number = parse_personal_number(demo_identities.GUARDIAN, today=TODAY)
    assert number.formatted == "19790101-2380"
    assert str(number) == "19790101-2380"


def test_a_ten_digit_number_gets_the_latest_century_in_which_the_person_is_already_born():
    # 23 December 2026 is still in the future on 22 November 2026.
    assert parse_personal_number("261223-9232", today=TODAY).digits12 == "192612239232"
    assert parse_personal_number("200101-2398", today=TODAY).digits12 == "202001012398"


def test_a_plus_means_the_person_turns_a_hundred_this_year_or_has_already():
    assert parse_personal_number("200101+1564", today=TODAY).digits12 == "192001011564"
    assert parse_personal_number("261223+9232", today=TODAY).digits12 == "192612239232"


def test_the_century_follows_the_platform_clock_not_the_machine_date():
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, tzinfo=clock.STOCKHOLM), tick=False):
        assert parse_personal_number("180101-2392").digits12 == demo_identities.CHILD_8
    with time_machine.travel(dt.datetime(2017, 6, 1, 12, tzinfo=clock.STOCKHOLM), tick=False):
        assert parse_personal_number("180101-2392").digits12 == "191801012392"


def test_a_samordningsnummer_validates_and_gives_the_real_birth_date():
    number = parse_personal_number(demo_identities.COORDINATION, today=TODAY)
    assert number.is_coordination_number
    assert number.birth_date == dt.date(1990, 5, 13)
    assert number.age_on(TODAY) == 36


def test_an_ordinary_number_is_not_a_samordningsnummer():
    number = parse_personal_number(demo_identities.GUARDIAN, today=TODAY)
    assert not number.is_coordination_number
    assert number.birth_date == dt.date(1979, 1, 1)


def test_the_sex_digit_is_read_from_the_birth_number():
    assert parse_personal_number(demo_identities.AGED_85, today=TODAY).is_male
    assert not parse_personal_number(demo_identities.GUARDIAN, today=TODAY).is_male


@time_machine.travel(dt.datetime(2026, 11, 21, 23, 30, tzinfo=clock.STOCKHOLM), tick=False)
def test_the_day_before_the_sixteenth_birthday_the_child_is_fifteen():
    assert parse_personal_number(BORN_2010_11_22).age_on(clock.today()) == 15


@time_machine.travel(dt.datetime(2026, 11, 22, 0, 5, tzinfo=clock.STOCKHOLM), tick=False)
def test_on_the_sixteenth_birthday_in_swedish_time_the_child_is_sixteen():
    # 00:05 in Stockholm is still 21 November in UTC: the Swedish date counts.
    assert clock.now().astimezone(dt.UTC).date() == dt.date(2026, 11, 21)
    assert parse_personal_number(BORN_2010_11_22).age_on(clock.today()) == 16


@pytest.mark.parametrize(
    "typed",
    [
        "197901012381",  # wrong check digit
        "19790101-238",  # too short
        "1979010123800",  # too long
        "19790101+2380",  # a plus only belongs in the ten-digit form
        "197913012380",  # month 13
        "abcdefgh-ijkl",
        "",
        "   ",
        "19790101–2380",  # en dash, not a hyphen
    ],
)
def test_it_refuses_a_malformed_number_with_a_swedish_message(typed):
    with pytest.raises(DomainError) as refused:
        parse_personal_number(typed, today=TODAY)
    assert refused.value.code == "invalid-personal-number"
    assert refused.value.message == INVALID_MESSAGE
    assert refused.value.field == "personal_number"
    assert "19790101-2380" in INVALID_MESSAGE  # the example is a Skatteverket test number


def test_it_refuses_a_number_of_someone_not_yet_born():
    with pytest.raises(DomainError):
        parse_personal_number(demo_identities.CHILD_8, today=dt.date(2017, 12, 31))


@pytest.mark.parametrize("value", [None, 197901012380, b"197901012380"])
def test_it_refuses_values_that_are_not_text(value):
    with pytest.raises(DomainError):
        parse_personal_number(value, today=TODAY)


def test_the_error_names_the_field_the_caller_asked_for():
    with pytest.raises(DomainError) as refused:
        parse_personal_number("nonsense", field="child_personal_number", today=TODAY)
    assert refused.value.as_problem()["errors"] == {"child_personal_number": [INVALID_MESSAGE]}


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SAMPLE))
def test_every_skatteverket_test_number_parses_and_round_trips(number):
    parsed = parse_personal_number(number, today=TODAY)
    assert parsed == PersonalNumber(number)
    assert parse_personal_number(parsed.formatted, today=TODAY) == parsed
    separator = "+" if parsed.birth_date.year <= TODAY.year - 100 else "-"
    short = f"{number[2:8]}{separator}{number[8:]}"
    assert parse_personal_number(short, today=TODAY) == parsed
    assert 0 <= parsed.age_on(TODAY) <= TODAY.year - 1890


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20) | st.from_regex(r"\A\s*\d{6,8}[-+]?\d{4}\s*\Z"))
def test_any_text_either_parses_or_is_refused_with_the_domain_error(text):
    try:
        parsed = parse_personal_number(text, today=TODAY)
    except DomainError as refused:
        assert refused.code == "invalid-personal-number"
    else:
        assert len(parsed.digits12) == 12
        assert parsed.birth_date <= TODAY


def test_every_number_in_the_sample_parses_to_itself():
    assert [parse_personal_number(number, today=TODAY).digits12 for number in SAMPLE] == SAMPLE
