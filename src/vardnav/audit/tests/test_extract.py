"""The resident's log extract (loggutdrag): who at which unit accessed their data, and when."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection, transaction

from tests.personas import actor_for
from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity
from vardnav.audit.access import access_log_extract, extract_queryset
from vardnav.audit.actions import do_record, record_staff_read
from vardnav.audit.events import AuditEvent
from vardnav.audit.tests.helpers import (
    FROZEN_NOW,
    OTHER_RESIDENT_ID,
    RESIDENT_ID,
    make_organization,
    resident_actor,
)
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import DomainError, NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.fixture
def traveller():
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


def _reads(org, traveller, count: int, *, staff_actor=None, subject=RESIDENT_ID) -> None:
    for i in range(count):
        traveller.shift(dt.timedelta(minutes=1))
        record_staff_read(
            staff_actor or org.handler_actor, subject_person_id=subject, object_type="case", object_id=i, purpose="vård"
        )


@pytest.mark.rule("REC-1")
def test_the_extract_shows_the_unit_the_staff_member_and_the_time_of_a_read(traveller):
    org = make_organization()
    with transaction.atomic():
        record_staff_read(
            org.handler_actor, subject_person_id=RESIDENT_ID, object_type="case", object_id=5, purpose="vård"
        )
    [item] = access_log_extract(resident_actor(), RESIDENT_ID).items
    assert item.occurred_at == FROZEN_NOW
    assert (item.unit_name, item.unit_hsa_id) == ("Vårdcentralen Norra", "SE2321000016-15CQ")
    assert (item.staff_name, item.staff_hsa_id) == ("Eva Ström", "SE2321000016-A1B2")
    assert (item.action, item.action_label, item.object_type, item.purpose) == (
        "read",
        "Läste uppgifter",
        "case",
        "vård",
    )


def test_the_extract_lists_staff_accesses_to_this_person_only_newest_first(traveller):
    org = make_organization()
    _reads(org, traveller, 2)
    _reads(org, traveller, 1, staff_actor=org.other_handler_actor)
    _reads(org, traveller, 3, subject=OTHER_RESIDENT_ID)
    do_record(resident_actor(), AuditEvent.CREATE, object_type="case", object_id=1, subject_person_id=RESIDENT_ID)
    items = access_log_extract(resident_actor(), RESIDENT_ID).items
    assert [item.unit_name for item in items] == ["Vårdcentralen Södra", "Vårdcentralen Norra", "Vårdcentralen Norra"]
    assert [item.occurred_at for item in items] == sorted((item.occurred_at for item in items), reverse=True)


def test_keyset_pages_cover_every_entry_once_even_with_equal_timestamps(traveller):
    org = make_organization()
    for i in range(7):  # the clock is frozen: all seven share one timestamp
        record_staff_read(org.handler_actor, subject_person_id=RESIDENT_ID, object_type="case", object_id=i, purpose="")
    _reads(org, traveller, 4)
    seen, after = [], None
    while True:
        page = access_log_extract(resident_actor(), RESIDENT_ID, limit=3, after=after)
        seen.extend(item.entry_id for item in page.items)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert len(seen) == 11
    assert len(set(seen)) == 11


def test_since_and_until_bound_the_extract(traveller):
    org = make_organization()
    _reads(org, traveller, 5)  # at 09:31 … 09:35
    since = FROZEN_NOW + dt.timedelta(minutes=2)
    until = FROZEN_NOW + dt.timedelta(minutes=4)
    items = access_log_extract(resident_actor(), RESIDENT_ID, since=since, until=until).items
    assert [item.occurred_at for item in items] == [until - dt.timedelta(minutes=1), since]


def test_an_extract_page_costs_three_queries_however_many_entries(traveller, django_assert_num_queries):
    org = make_organization()
    _reads(org, traveller, 1)

    def more_entries():
        _reads(org, traveller, 30)
        _reads(org, traveller, 30, staff_actor=org.other_handler_actor)

    assert_same_query_count(lambda: access_log_extract(resident_actor(), RESIDENT_ID, limit=50), more_entries)
    page = access_log_extract(resident_actor(), RESIDENT_ID, limit=50)
    assert len(page.items) == 50
    with django_assert_num_queries(4):  # the person's protected identity (PRIV-2), entries, units, staff
        access_log_extract(resident_actor(), RESIDENT_ID, limit=50, after=page.next_cursor)


@pytest.mark.parametrize(
    "path",
    [
        "/mina-sidor/loggutdrag/",
        "/mina-sidor/loggutdrag/?fran=2020-01-01&till=2030-12-31",
        "/mina-sidor/loggutdrag/loggutdrag.pdf?fran=2020-01-01",
        "/api/v1/me/access-log",
    ],
)
def test_the_extract_page_and_api_cost_the_same_with_one_entry_as_with_many(traveller, world, client, path):
    """Entries by staff at both units of the provider, each naming its unit and staff member."""
    actors = [
        actor_for(world.handler_x, unit=world.unit_x, role="handler"),
        actor_for(world.handler_y, unit=world.unit_y, role="handler"),
        actor_for(world.receiver_x, unit=world.unit_x, role="receiver"),
    ]

    def reads(count: int) -> None:
        for number in range(count):
            traveller.shift(dt.timedelta(minutes=1))
            record_staff_read(
                actors[number % len(actors)],
                subject_person_id=world.resident_a.pk,
                object_type="case",
                object_id=number,
                purpose="vård",
            )

    log_in_client(client, resident_identity(world.resident_a))

    def get_extract():
        response = client.get(path)
        assert response.status_code == 200, response.content.decode()[:500]

    reads(1)
    assert_same_query_count(get_extract, lambda: reads(6))


def test_a_unit_that_no_longer_exists_shows_as_unknown_rather_than_failing(traveller):
    org = make_organization()
    do_record(
        org.handler_actor,
        AuditEvent.READ,
        object_type="case",
        object_id=1,
        subject_person_id=RESIDENT_ID,
        unit_id=99999,
    )
    [item] = access_log_extract(resident_actor(), RESIDENT_ID).items
    assert (item.unit_id, item.unit_name, item.unit_hsa_id) == (99999, "", "")
    assert item.staff_name == "Eva Ström"


@pytest.mark.parametrize("cursor", ["garbage", "bm90LWEtY3Vyc29y", "MjAyNi0xMS0yMlQwODozMDowMHwtMQ"])
def test_a_malformed_cursor_is_refused_in_swedish(cursor):
    with pytest.raises(DomainError) as refused:
        access_log_extract(resident_actor(), RESIDENT_ID, after=cursor)
    assert refused.value.code == "invalid-cursor"
    assert "Sidmarkören" in str(refused.value.message)


@pytest.mark.parametrize("limit", [0, 201])
def test_a_page_size_out_of_range_is_refused(limit):
    with pytest.raises(DomainError) as refused:
        access_log_extract(resident_actor(), RESIDENT_ID, limit=limit)
    assert refused.value.field == "limit"


def test_the_database_answers_an_extract_page_from_the_subject_index_without_sorting(traveller):
    org = make_organization()
    _reads(org, traveller, 20)
    _reads(org, traveller, 20, subject=OTHER_RESIDENT_ID)
    page = access_log_extract(resident_actor(), RESIDENT_ID, limit=5)
    query = extract_queryset(RESIDENT_ID, after=page.next_cursor)[:6]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # With 40 rows a sequential scan is cheaper; forbid it to see the plan 100 million rows get.
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
    assert "audit_subject_time_idx" in plan
    assert "Sort" not in plan
    assert "TEMP B-TREE" not in plan


# --- who may read an extract ---------------------------------------------------------


@pytest.mark.rule("REC-1")
def test_a_resident_cannot_get_another_persons_extract(traveller):
    org = make_organization()
    _reads(org, traveller, 2, subject=OTHER_RESIDENT_ID)
    with pytest.raises(NotFound):
        access_log_extract(resident_actor(RESIDENT_ID), OTHER_RESIDENT_ID)


@pytest.mark.rule("REC-1")
def test_a_guardian_acting_for_a_child_gets_the_childs_extract_and_only_that(traveller):
    guardian_id, child_id = RESIDENT_ID, OTHER_RESIDENT_ID
    org = make_organization()
    _reads(org, traveller, 2, subject=child_id)
    _reads(org, traveller, 1, subject=guardian_id)
    acting_for_child = Actor(kind=ActorKind.RESIDENT, person_id=guardian_id, acting_for_id=child_id)

    page = access_log_extract(acting_for_child, child_id)

    assert len(page.items) == 2
    with pytest.raises(NotFound):
        # While acting for the child, the guardian's own extract is not the one being asked about.
        access_log_extract(acting_for_child, guardian_id)
    with pytest.raises(NotFound):
        # Without acting for the child (established at login), a guardian gets only their own.
        access_log_extract(resident_actor(guardian_id), child_id)


@pytest.mark.parametrize("kind", [ActorKind.STAFF, ActorKind.SYSTEM, ActorKind.INTEGRATION, ActorKind.ANONYMOUS])
def test_anyone_but_a_resident_gets_no_extract(traveller, kind):
    org = make_organization()
    _reads(org, traveller, 1)
    actor = org.handler_actor if kind == ActorKind.STAFF else Actor(kind=kind, person_id=RESIDENT_ID)
    with pytest.raises(PermissionDenied):
        access_log_extract(actor, RESIDENT_ID)


def test_a_naive_bound_is_refused_because_its_time_zone_would_be_guessed():
    with pytest.raises(DomainError) as refused:
        access_log_extract(resident_actor(), RESIDENT_ID, since=dt.datetime(2026, 11, 22, 9, 30))
    assert (refused.value.code, refused.value.field) == ("naive-datetime", "since")
