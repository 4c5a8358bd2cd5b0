"""No double booking, ever: many people racing for the last free time on PostgreSQL get one booking."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from vardnav.bookings.actions import do_book
from vardnav.bookings.errors import BookingError
from vardnav.bookings.models import Booking, BookingStatus
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import DomainError
from vardnav.people.models import Person

RACERS = 50


def _race(calls: list[Callable[[], int]]) -> tuple[list[int], list[str]]:
    """Start every call at the same moment, each in its own thread and connection: (won ids, refusal codes)."""
    barrier = threading.Barrier(len(calls))
    won: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def race(call: Callable[[], int]) -> None:
        try:
            barrier.wait()
            won.append(call())
        except DomainError as error:
            refused.append(str(error.code))
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return won, refused


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_bookings_of_the_last_free_time_give_exactly_one_booking(demo, nurse_visit, make_time):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    time = make_time(nurse_visit)
    people = list(Person.objects.filter(protected_identity=False).order_by("pk")[:RACERS])
    actors = [Actor(kind=ActorKind.RESIDENT, person_id=people[n % len(people)].pk) for n in range(RACERS)]
    won, refused = _race([lambda actor=actor: do_book(actor, time_id=time.pk).booking.pk for actor in actors])
    assert len(won) == 1
    assert refused == [BookingError.TIME_TAKEN.value] * (RACERS - 1)
    assert Booking.objects.filter(slot=time, status=BookingStatus.BOOKED).count() == 1
    assert Booking.objects.filter(slot=time).count() == 1


REBOOKERS = 12


@pytest.mark.rule("BOOK-3")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_rebookings_to_one_free_time_move_one_booking_and_keep_every_other(demo, nurse_visit, make_time):
    """Boka om (Mina bokningar or the "Boka om tid" e-service, both do_rebook): one wins, no booking is lost."""
    import datetime as dt

    from vardnav.bookings.actions import do_rebook
    from vardnav.bookings.models import CancelledVia, Slot

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    target = make_time(nurse_visit)
    people = list(Person.objects.filter(protected_identity=False).order_by("pk")[:REBOOKERS])
    actors = [Actor(kind=ActorKind.RESIDENT, person_id=person.pk) for person in people]
    bookings = [
        do_book(actor, time_id=make_time(nurse_visit, target.starts_at + dt.timedelta(hours=n + 1)).pk).booking
        for n, actor in enumerate(actors)
    ]
    won, refused = _race(
        [
            lambda actor=actor, booking=booking: do_rebook(actor, booking, time_id=target.pk).booking.pk
            for actor, booking in zip(actors, bookings, strict=True)
        ]
    )
    assert len(won) == 1 and refused == [BookingError.TIME_TAKEN.value] * (len(actors) - 1)
    assert Booking.objects.filter(slot=target).count() == 1
    moved = Booking.objects.get(rebooked_as_id=won[0])
    assert moved.status == BookingStatus.CANCELLED and moved.cancelled_via == CancelledVia.REBOOKED
    kept = Booking.objects.filter(pk__in=[b.pk for b in bookings if b.pk != moved.pk], status=BookingStatus.BOOKED)
    assert kept.count() == len(actors) - 1  # every loser still has their own time
    assert Slot.objects.filter(pk__in=[b.slot_id for b in bookings]).count() == len(actors)
