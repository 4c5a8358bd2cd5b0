"""The inbox counts (new / unread / overdue) stay right and do not grow with the unit's open cases.

New and open are sums of the unit's counters (cases.InboxCount), kept by triggers
on cases_case; overdue is a count bounded by OVERDUE_COUNT_LIMIT; all three come in
one statement. Unread by me has its own tests (test_read_counts). The planner
prefers a sequential scan on tables this small, so the plan is checked with
sequential scans discouraged: what matters is that the index can serve the query.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.personas import actor_for
from tests.sessions import log_in_client, staff_identity
from vardnav.cases import inbox_counts
from vardnav.cases.access import OVERDUE_COUNT_LIMIT, inbox, inbox_rows
from vardnav.cases.actions import do_close_case, do_distribute_case, do_mark_read_by_staff, do_submit_case
from vardnav.cases.models import Case, InboxCount
from vardnav.cases.tests.counting import ANSWERS, run_at_once
from vardnav.cases.tests.counting import submit_cases as _cases
from vardnav.core import clock


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


def _explain(sql: str, params) -> str:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    return json.dumps(plan if isinstance(plan, list) else json.loads(plan))


def test_the_counts_read_the_counters_and_a_bounded_range_of_overdue_cases(world):
    """Issue 13: new and open come from the unit's counters, never from the cases; overdue is
    counted from the open-by-deadline index and stops at OVERDUE_COUNT_LIMIT."""
    receiver = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    _cases(world, 3)
    with CaptureQueriesContext(connection) as ctx:
        inbox_rows(receiver)
    # One statement: the counters' sums, then the bounded overdue count as its last part.
    [statement] = [q["sql"] for q in ctx.captured_queries if "cases_inboxcount" in q["sql"]]
    counters, overdue = statement.split("SELECT COUNT(*) FROM (")
    assert '"cases_case"' not in counters and "cases_readcount" in counters
    assert '"cases_case"' in overdue and f"LIMIT {OVERDUE_COUNT_LIMIT}" in overdue
    if connection.vendor != "postgresql":
        return
    plan = _explain(
        "SELECT COUNT(*) FROM (SELECT id FROM cases_case WHERE unit_id = %s AND NOT (status = 'closed') "
        "AND due_at < %s LIMIT 1000) counted",
        [world.unit_x.pk, clock.now()],
    )
    assert '"Limit"' in plan and '"case_inbox_open_by_due"' in plan, plan


def test_the_overdue_count_stops_at_its_limit_and_the_inbox_says_so(world, client):
    """Past the limit the page says "1 000+ försenade" rather than counting every overdue case."""
    from vardnav.cases import access

    receiver = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    late = _cases(world, 3)
    Case.objects.filter(pk__in=[c.pk for c in late]).update(due_at=clock.now() - dt.timedelta(hours=1))
    assert inbox_rows(receiver).counts["overdue"] == 3
    bounded = access.CompiledQuery(
        lambda v: access._overdue_queryset(v, receiver=True)[:2], unit_id=int, staff_id=int, now=dt.datetime
    )
    assert bounded.count(unit_id=world.unit_x.pk, staff_id=world.receiver_x.pk, now=clock.now()) == 2


def test_the_inbox_shows_a_count_at_the_limit_as_at_least_that_many(world):
    client = log_in_client(Client(), staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))
    [late] = _cases(world, 1)
    Case.objects.filter(pk=late.pk).update(due_at=clock.now() - dt.timedelta(hours=1))
    assert "1 nya · 1 olästa · 1 försenade" in client.get("/personal/inkorg/").content.decode()
    copies = []
    for n in range(OVERDUE_COUNT_LIMIT):
        copy = Case.objects.get(pk=late.pk)
        copy.pk, copy.number = None, f"LATE-{n:04d}"
        copies.append(copy)
    Case.objects.bulk_create(copies)
    html = client.get("/personal/inkorg/").content.decode()
    assert "1001 nya · 1001 olästa · 1\xa0000+ försenade" in html


@pytest.mark.parametrize("repair", [False, True])
def test_the_counters_follow_every_kind_of_write_and_the_check_finds_a_wrong_one(world, repair):
    """Triggers keep the counters whatever writes a case: the actions, a queryset update, a save(), a delete."""
    receiver = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    handler = actor_for(world.handler_x, unit=world.unit_x, role="handler")
    assert inbox_counts.triggers_installed()
    cases = _cases(world, 6)
    do_distribute_case(receiver, cases[0], handler=world.handler_x)
    do_distribute_case(receiver, cases[1], handler=world.handler_x2)
    do_close_case(handler, Case.objects.get(pk=cases[0].pk), outcome="answered")
    Case.objects.filter(pk=cases[2].pk).update(unit=world.unit_y)  # moved to another unit
    moved = Case.objects.get(pk=cases[3].pk)
    moved.status = "waiting_for_resident"
    moved.save()
    Case.objects.filter(pk=cases[4].pk).update(status="closed")
    Case.objects.filter(pk=cases[4].pk).update(status="answered")  # reopened
    Case.objects.filter(pk=cases[5].pk).delete()
    assert inbox_counts.check() == []
    open_x = Case.objects.filter(unit=world.unit_x).exclude(status="closed")
    assert inbox(receiver).counts["new"] == open_x.filter(status="new").count() == 0
    assert sum(InboxCount.objects.filter(unit=world.unit_x).values_list("n", flat=True)) == open_x.count() == 3

    InboxCount.objects.filter(unit=world.unit_x).update(n=F("n") + 5)  # what no trigger would do
    found = inbox_counts.check(repair=repair)
    assert found and all(d.stored == d.true + 5 for d in found)
    assert (inbox_counts.check() == []) is repair


def test_a_rebuild_counts_what_a_bulk_load_wrote_with_the_triggers_off(world):
    _cases(world, 4)
    InboxCount.objects.all().delete()
    assert inbox_counts.check() != []
    inbox_counts.rebuild()
    assert inbox_counts.check() == []


def test_the_nightly_command_reports_a_difference_and_repairs_it(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    _cases(world, 2)
    InboxCount.objects.update(n=F("n") + 1)
    with pytest.raises(CommandError, match="differ from the cases"):
        call_command("check_inbox_counts", stdout=StringIO())
    out = StringIO()
    call_command("check_inbox_counts", "--repair", stdout=out)
    assert "corrected" in out.getvalue()
    call_command("check_inbox_counts", stdout=(out := StringIO()))
    assert out.getvalue().strip() == "0 inbox counters differ"


def test_migrate_puts_back_triggers_a_table_rebuild_dropped(world):
    from vardnav.cases.apps import _ensure_inbox_count_triggers

    inbox_counts.drop_triggers()
    assert not inbox_counts.triggers_installed()
    _cases(world, 2)  # written while the triggers were gone
    _ensure_inbox_count_triggers(sender=None)
    assert inbox_counts.triggers_installed()
    assert inbox_counts.check() == []


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


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_and_distributions_keep_the_counters_exact(world):
    """On PostgreSQL, writers to one unit's counters at the same moment: none waits forever, none is lost."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    receiver = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    waiting = _cases(world, 8)

    def submit(n: int) -> None:
        resident = actor_for(world.resident_a if n % 2 else world.resident_b)
        for k in range(5):
            do_submit_case(resident, service=world.contact, unit=None, answers={**ANSWERS, "details": f"Ny {n} {k}"})

    def distribute(n: int) -> None:
        for case in waiting[n::2]:
            handler = world.handler_x if n else world.handler_x2
            do_distribute_case(receiver, Case.objects.get(pk=case.pk), handler=handler)

    errors = run_at_once([(submit, n) for n in range(6)] + [(distribute, n) for n in range(2)])
    assert errors == []
    assert inbox_counts.check() == []
    assert Case.objects.count() == 8 + 30
    assert inbox(receiver).counts["new"] == Case.objects.filter(unit=world.unit_x, status="new").count()
