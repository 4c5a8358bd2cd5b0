"""What the inbox-count tests share: cases submitted the real way, and writers started at one moment."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections

from tests.personas import actor_for
from vardnav.cases.actions import do_submit_case
from vardnav.cases.models import Case

ANSWERS = {"subject": "Fråga om provsvar", "details": "Jag undrar över mitt provsvar från förra veckan."}


def submit_cases(world, count: int) -> list[Case]:  # type: ignore[no-untyped-def]
    """`count` cases from resident A to the contact service, each with its own text (none a duplicate)."""
    return [
        do_submit_case(
            actor_for(world.resident_a), service=world.contact, unit=None, answers={**ANSWERS, "details": f"Fråga {n}"}
        )
        for n in range(count)
    ]


def run_at_once(calls: list[tuple[Callable[[int], None], int]]) -> list[BaseException]:
    """Run each `call(n)` in a thread of its own, all released together by a barrier; the errors they raised.

    Each thread closes its database connections when it ends (Django opens one per thread).
    """
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[int], None], n: int) -> None:
        try:
            barrier.wait()
            call(n)
        except BaseException as exc:  # noqa: BLE001 - reported to the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call, n)) for call, n in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
