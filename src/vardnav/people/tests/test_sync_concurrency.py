"""Two first logins of the same person at once create one Person (PostgreSQL: real concurrency)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from vardnav.demo import identities as ids
from vardnav.people.actions import do_sync_person_from_register
from vardnav.people.models import GuardianRelation, Person


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_syncs_of_one_family_create_each_person_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE); the race needs PostgreSQL")
    barrier = threading.Barrier(4)
    results: list[tuple[str, int]] = []
    errors: list[BaseException] = []

    def login(number: str) -> None:
        try:
            barrier.wait()
            results.append((number, do_sync_person_from_register(number).pk))
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=login, args=(n,)) for n in (ids.CHILD_8, ids.CHILD_8, ids.GUARDIAN, ids.CHILD_14)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(results) == 4
    assert len({pk for number, pk in results if number == ids.CHILD_8}) == 1  # both of Elsa's logins: one Person
    assert Person.objects.count() == 5  # Anna, Johan, Elsa, Oskar, Maja
    # Elsa and Oskar with both guardians (their own syncs), Maja with Anna (Anna's sync).
    assert GuardianRelation.objects.count() == 5
