"""The inbox's "olästa" (unread by me) stays right and does not grow with what the staff member has read.

It is the open cases in their scope less those they have read since the case's
last activity, and the second part is a sum of their counters (cases.ReadCount),
kept by triggers on cases_casereading and cases_case. Each step below is a
different kind of write; after each, every persona's count is compared with a
count made the slow way (the per-row rule the inbox rows use) and the nightly
check must find nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from tests.personas import actor_for
from vardnav.cases import access, inbox_counts
from vardnav.cases.access import inbox, inbox_rows
from vardnav.cases.actions import (
    do_close_case,
    do_distribute_case,
    do_mark_read_by_staff,
    do_send_resident_message,
)
from vardnav.cases.models import Case, CaseReading, ReadCount
from vardnav.cases.tests.counting import run_at_once
from vardnav.cases.tests.counting import submit_cases as _cases
from vardnav.core import clock
from vardnav.organizations.models import Role


def _unread_the_slow_way(actor) -> int:  # type: ignore[no-untyped-def]
    """What the inbox rows mark "Oläst", counted case by case."""
    scope = Case.objects.filter(unit_id=actor.unit_id).exclude(status="closed")
    if actor.role != Role.RECEIVER:
        scope = scope.filter(access._handler_scope(actor))
    return scope.filter(access.unread_by_me(actor)).count()


def _open(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def test_unread_by_me_follows_readings_activity_assignment_closing_moves_and_deletes(world):
    receiver = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    handler = actor_for(world.handler_x, unit=world.unit_x, role="handler")
    other_handler = actor_for(world.handler_x2, unit=world.unit_x, role="handler")
    resident = actor_for(world.resident_a)
    people = (receiver, handler, other_handler)
    steps: list[str] = []

    def agree(step: str) -> None:
        steps.append(step)
        for actor in people:
            expected = _unread_the_slow_way(actor)
            assert inbox(actor).counts["unread"] == expected, (step, actor.role, actor.staff_id)
            assert inbox_rows(actor).counts["unread"] == expected, (step, actor.role, actor.staff_id)
        assert inbox_counts.check() == [], step

    cases = _cases(world, 7)
    agree("submitted, nobody has read anything")
    for case in cases[:5]:
        do_mark_read_by_staff(receiver, _open(case))
    assert inbox(receiver).counts["unread"] == 2
    agree("the receiver opened five")
    do_mark_read_by_staff(receiver, _open(cases[0]))
    agree("the receiver opened one again (the reading moves forward)")

    do_distribute_case(receiver, _open(cases[0]), handler=world.handler_x)
    do_distribute_case(receiver, _open(cases[1]), handler=world.handler_x2)
    agree("two distributed (assignment and activity)")
    do_mark_read_by_staff(handler, _open(cases[0]))
    do_mark_read_by_staff(other_handler, _open(cases[1]))
    agree("each handler opened their own")

    do_send_resident_message(resident, _open(cases[0]), body="Jag har en fråga till.")
    do_send_resident_message(resident, _open(cases[2]), body="En sak till om provsvaret.")
    assert inbox(handler).counts["unread"] == 1
    agree("the resident wrote in two: new activity, unread again for their readers")

    Case.objects.filter(pk=cases[3].pk).update(routed_role=Role.HANDLER)
    do_mark_read_by_staff(handler, _open(cases[3]))
    agree("one routed to the handler pool by a queryset update, and a handler read it")
    Case.objects.filter(pk=cases[3].pk).update(assigned_to=world.handler_x2)
    agree("assigned by a queryset update, without new activity")

    do_close_case(other_handler, _open(cases[1]), outcome="answered")
    agree("closed")
    Case.objects.filter(pk=cases[1].pk).update(status="answered")
    agree("reopened without new activity: the readings count again")

    Case.objects.filter(pk=cases[4].pk).update(unit=world.unit_y)
    agree("moved to another unit")

    CaseReading.objects.filter(case=cases[5]).delete()
    do_mark_read_by_staff(receiver, _open(cases[6]))
    CaseReading.objects.filter(case=cases[6], staff=world.receiver_x).update(
        read_at=F("read_at") - dt.timedelta(days=1)
    )
    agree("a reading deleted, and one moved back before the case's activity")

    Case.objects.filter(pk=cases[2].pk).delete()
    moved = _open(cases[6])
    moved.last_activity_at = clock.now() - dt.timedelta(days=2)
    moved.save()
    agree("a read case deleted, and one's activity moved back by save()")
    assert len(steps) == 13


def test_the_counts_statement_reads_counters_not_readings_and_costs_the_same_after_many(world):
    """Issue 13: the counts are one statement over the counters, whatever the staff member has read."""
    receiver = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    cases = _cases(world, 12)

    def statements() -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            inbox_rows(receiver)
        [sql] = [q["sql"] for q in ctx.captured_queries if "cases_readcount" in q["sql"]]
        assert "cases_inboxcount" in sql and "cases_casereading" not in sql
        return [q["sql"] for q in ctx.captured_queries]

    do_mark_read_by_staff(receiver, _open(cases[0]))
    one = statements()
    for case in cases[1:]:
        do_mark_read_by_staff(receiver, _open(case))
    assert len(statements()) == len(one)
    assert list(ReadCount.objects.filter(staff_id=world.receiver_x.pk).values_list("n", flat=True)) == [12]
    assert inbox(receiver).counts["unread"] == 0


def test_the_nightly_check_finds_and_repairs_a_wrong_read_counter(world):
    receiver = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    for case in _cases(world, 3):
        do_mark_read_by_staff(receiver, _open(case))
    ReadCount.objects.update(n=F("n") + 2)  # what no trigger would do
    found = inbox_counts.check()
    assert [(d.counter, d.stored - d.true) for d in found] == [("read", 2)]
    assert inbox(receiver).counts["unread"] == 0  # 3 open, 5 "read": shown as none, never below
    inbox_counts.check(repair=True)
    assert inbox_counts.check() == [] and inbox(receiver).counts["unread"] == 0
    ReadCount.objects.all().delete()
    assert inbox_counts.check() != []
    inbox_counts.rebuild()
    assert inbox_counts.check() == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_openings_and_new_activity_keep_the_read_counters_exact(world):
    """On PostgreSQL: staff open cases while residents write in them and cases are distributed.
    A reading and new activity committed side by side must not each miss the other."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    receiver = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    readers = [
        receiver,
        *(actor_for(s, unit=world.unit_x, role="handler") for s in (world.handler_x, world.handler_x2)),
    ]
    cases = _cases(world, 10)

    def read(n: int) -> None:
        for _ in range(4):
            for case in cases:
                do_mark_read_by_staff(readers[n], _open(case))

    def write(n: int) -> None:
        for round_ in range(3):
            for case in cases[n::2]:
                do_send_resident_message(actor_for(world.resident_a), _open(case), body=f"Tillägg {n} {round_}")

    def distribute(_: int) -> None:
        for case in cases[::3]:
            do_distribute_case(receiver, _open(case), handler=world.handler_x)

    errors = run_at_once([(read, n) for n in range(3)] + [(write, n) for n in range(2)] + [(distribute, 0)])
    assert errors == []
    assert inbox_counts.check() == []
    for actor in readers:
        assert inbox(actor).counts["unread"] == _unread_the_slow_way(actor)
