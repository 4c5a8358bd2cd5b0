"""The inbox counts (new / unread / overdue) read only the covering partial index, and stay right.

On PostgreSQL the counts query is answered by an index-only scan of
case_inbox_open_counts, so its cost follows the unit's open cases in the index,
not the table's rows. The planner prefers a sequential scan on a table this
small, so the plan is checked with sequential scans discouraged: what matters is
that the index can serve the query alone.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.personas import actor_for
from vardnav.cases.access import inbox, inbox_rows
from vardnav.cases.actions import do_close_case, do_distribute_case, do_mark_read_by_staff, do_submit_case
from vardnav.cases.models import Case
from vardnav.core import clock

ANSWERS = {"subject": "Fråga om provsvar", "details": "Jag undrar över mitt provsvar från förra veckan."}


def _cases(world, count: int) -> list[Case]:
    return [
        do_submit_case(
            actor_for(world.resident_a), service=world.contact, unit=None, answers={**ANSWERS, "details": f"Fråga {n}"}
        )
        for n in range(count)
    ]


def test_the_counts_say_how_many_open_cases_are_new_unread_and_overdue(world):
    receiver = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    handler = actor_for(world.handler_x, unit=world.unit_x, role="handler")
    new, distributed, closed, late = _cases(world, 4)
    do_distribute_case(receiver, distributed, handler=world.handler_x)
    do_distribute_case(receiver, closed, handler=world.handler_x)
    do_close_case(handler, Case.objects.get(pk=closed.pk), outcome="answered")
    Case.objects.filter(pk=late.pk).update(due_at=clock.now() - dt.timedelta(hours=1), staff_unread=False)
    open_cases = Case.objects.filter(unit=world.unit_x).exclude(status="closed")
    counts = inbox(receiver).counts
    assert counts == {"new": open_cases.filter(status="new").count(), "unread": open_cases.count(), "overdue": 1}
    assert counts["new"] == 2  # the new one and the late one; the distributed one is assigned, one is closed
    assert inbox_rows(receiver).counts == counts
    assert {row["id"] for row in inbox_rows(receiver).items} == {new.pk, distributed.pk, late.pk}

    # "Oläst" is unread by me: opening a case takes it off my count, not off a colleague's,
    # and activity after my reading puts it back.
    do_mark_read_by_staff(receiver, Case.objects.get(pk=new.pk))
    assert inbox(receiver).counts["unread"] == 2
    assert {row["id"]: row["unread_by_me"] for row in inbox_rows(receiver).items}[new.pk] is False
    assert inbox(handler).counts["unread"] == 1  # the handler's own case, which they have not opened
    Case.objects.filter(pk=new.pk).update(last_activity_at=clock.now() + dt.timedelta(minutes=1))
    assert inbox(receiver).counts["unread"] == 3


def test_the_counts_query_is_an_index_only_scan_of_the_covering_index(world):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL plan")
    receiver = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    _cases(world, 3)
    with CaptureQueriesContext(connection) as ctx:
        inbox_rows(receiver)
    [counts_sql] = [q["sql"] for q in ctx.captured_queries if 'COUNT("cases_case"."unit_id")' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + counts_sql)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    text = json.dumps(plan)
    assert '"Index Only Scan"' in text and '"case_inbox_open_counts"' in text, text


def test_the_compiled_api_page_matches_the_orm_page_for_every_filter_and_cursor(world):
    """inbox_rows (compiled once per shape) and inbox (the ORM) read the same cases, page by page."""
    from vardnav.cases.access import InboxFilters

    receiver = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    handler = actor_for(world.handler_x, unit=world.unit_x, role="handler")
    cases = _cases(world, 7)
    do_distribute_case(receiver, cases[0], handler=world.handler_x)
    do_distribute_case(receiver, cases[1], handler=world.handler_x2)
    Case.objects.filter(pk=cases[2].pk).update(due_at=clock.now() - dt.timedelta(hours=1))
    again = do_submit_case(
        actor_for(world.resident_a), service=world.contact, unit=None, answers={**ANSWERS, "details": "Fråga 3"}
    )
    assert [f.code for f in again.flags.all()] == ["probable_duplicate"]
    do_mark_read_by_staff(receiver, Case.objects.get(pk=cases[4].pk))
    variants = [
        InboxFilters(),
        InboxFilters(status="new"),
        InboxFilters(service_id=world.contact.pk),
        InboxFilters(flag="probable_duplicate"),
        InboxFilters(overdue=True),
        InboxFilters(assignee_id=world.handler_x.pk),
        InboxFilters(unassigned=True),
        InboxFilters(unread=True),
    ]
    for actor in (receiver, handler):
        for filters in variants:
            after = None
            while True:
                orm = inbox(actor, filters, after=after, limit=2)
                lean = inbox_rows(actor, filters, after=after, limit=2)
                assert [row["id"] for row in lean.items] == [case.pk for case in orm.items], (actor.role, filters)
                assert lean.counts == orm.counts and lean.next_cursor == orm.next_cursor
                assert [row["flags"] for row in lean.items] == [[f.code for f in c.flags.all()] for c in orm.items]
                if not orm.next_cursor:
                    break
                after = orm.next_cursor
