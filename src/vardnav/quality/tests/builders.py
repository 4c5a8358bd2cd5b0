"""Closed cases and appointed reviewers for the peer-review tests, built through the actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from vardnav.cases.actions import do_close_case, do_distribute_case, do_submit_case
from vardnav.cases.models import Case
from vardnav.core.clock import STOCKHOLM
from vardnav.quality.actions import do_appoint_peer_reviewer
from vardnav.quality.models import PeerReviewer


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=STOCKHOLM)


def close_cases(world: Any, day: dt.date, count: int, *, handler: Any = None, start_minute: int = 0) -> list[Case]:
    """`count` cases of resident A closed on `day`, one minute apart from 08:00, handled by handler_x by default."""
    handler = handler or world.handler_x
    resident = world.resident(world.resident_a)
    receiver = world.staff(world.receiver_x, world.unit_x, "receiver")
    acting = world.staff(handler, world.unit_x, "handler")
    cases = []
    for n in range(count):
        with time_machine.travel(at(day, 8) + dt.timedelta(minutes=start_minute + n), tick=False):
            case = do_submit_case(
                resident,
                service=world.contact,
                unit=None,
                answers={"subject": f"Fråga nummer {start_minute + n}", "details": f"Besvär {start_minute + n}"},
            )
            do_distribute_case(receiver, case, handler=handler)
            do_close_case(acting, case, outcome="answered")
        cases.append(case)
    return cases


def appoint(world: Any, staff: Any) -> PeerReviewer:
    return do_appoint_peer_reviewer(world.staff(world.provider_admin), staff)
