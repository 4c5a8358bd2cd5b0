"""Ids from outside: only a positive 64-bit integer can name a row."""

import pytest

from vardnav.core.ids import MAX_ID, parse_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [("42", 42), (7, 7), (MAX_ID, MAX_ID), (MAX_ID + 1, None), (0, None), (-3, None), ("elsa", None), ("", None)],
)
def test_parse_id_accepts_only_what_can_name_a_row(value, expected):
    assert parse_id(value) == expected
