"""Query counts for lists: a list must cost the same with one row as with many.

Pinning a number ("at most 8 queries") passes an N+1 as long as the test shows
few rows; comparing one row with many fails it whatever the numbers are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(request: Callable[[], Any]) -> tuple[int, list[str]]:
    """Run `request` and return how many queries it made and their SQL."""
    with CaptureQueriesContext(connection) as captured:
        request()
    sql = [query["sql"] for query in captured.captured_queries]
    return len(sql), sql


def assert_same_query_count(request: Callable[[], Any], add_rows: Callable[[], Any]) -> None:
    """Count the queries of `request` with the rows there are now, call `add_rows`, count again: equal.

    Set up one row (with its related objects) before calling; `add_rows` adds
    several more of the same shape, so a query per row shows as a difference.
    """
    one, one_sql = count_queries(request)
    add_rows()
    many, many_sql = count_queries(request)
    assert many == one, f"{one} queries with one row, {many} with more: a query per row?\n" + "\n".join(
        sorted(set(many_sql) - set(one_sql)) or many_sql
    )
