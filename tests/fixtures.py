"""Shared fixtures for every app's tests: the shared test world and the demo world.

`world` is the small world of tests/personas.py, built through actions; most
tests use it. The fixtures below it are the demo world (vardnav.demo), for
tests that need the whole demo population, loaded through the same actions
as production: a test asking for `resident_a` and `handler_x` gets the resident
listed at unit_x and a case handler at that unit, with everything around them
(other providers, units, staff, the Lindqvist family) present too.

- provider: Region Norrsund (policy provider_wide)
- unit_x: Vårdcentralen Norrsund centrum (Region Norrsund); resident_a, the
  guardian and children, AGED_85 and the coordination-number resident are listed here
- unit_y: Vårdcentralen Västerå söder, another provider's unit (unlike world.unit_y,
  the shared world's provider's second unit); resident_b is listed here
- receiver_x, handler_x, unit_admin_x: Staff at unit_x; handler_y: Staff at unit_y
- provider_admin_other: the provider administrator of Region Västerå (unit_y's provider)
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from vardnav.demo import data
from vardnav.demo import identities as ids


@pytest.fixture(autouse=True, scope="session")
def _require_postgres_when_asked() -> None:
    """In CI's PostgreSQL run, a suite that silently ran on SQLite would prove nothing."""
    if os.environ.get("VARDNAV_REQUIRE_POSTGRES") == "1":
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


# What makes pytest-django run a test as a TransactionTestCase, which flushes the database afterwards.
_TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(_TRANSACTIONAL_FIXTURES & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _empty_audit_log_before_the_flush(request: pytest.FixtureRequest):
    """After a transactional test, empty the audit log so the test runner's flush can empty the rest.

    Why: Django's flush on SQLite deletes row by row, and the audit log's
    append-only triggers refuse that (vardnav.demo.reset). Requesting
    transactional_db here sets the database up before this fixture, so this
    teardown runs before pytest-django's flush. Not on PostgreSQL: there the
    flush truncates, which fires no row triggers.
    """
    if not _is_transactional(request) or not settings.DATABASE_IS_SQLITE:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from vardnav.demo.reset import empty_audit_log  # imports models: only after django.setup(), unlike this plugin

    empty_audit_log()


@pytest.fixture
def world(db):
    """The shared test personas (tests/personas.py), built through actions for this test."""
    from tests.personas import build_world

    return build_world()


_demo_snapshot: list = []  # the snapshot of this test process's first demo load (vardnav.demo.snapshot)


@pytest.fixture
def demo(db):
    """The whole demo world for this test (rolled back after it).

    Loaded through the actions the first time in a test process; later tests
    get the same rows replayed in bulk, which is exact and much faster (see
    vardnav.demo.snapshot). Whenever a replay would not be exact (tables
    already hold rows, or a row it points at is gone), it loads through the
    actions instead. Transactional tests (live server) get the replay too: it
    commits like their other writes, and the flush after the test empties it;
    the content types and permissions that flush re-creates under new ids are
    found again by natural key.
    """
    from vardnav.demo.loader import load_demo
    from vardnav.demo.snapshot import capture

    if _demo_snapshot:
        snapshot = _demo_snapshot[0]
        if snapshot.can_restore():
            return snapshot.restore()
        return load_demo()
    report, snapshot = capture(load_demo)
    if snapshot is not None:
        _demo_snapshot.append(snapshot)
    return report


def _person(number: str):
    from vardnav.people.access import get_person_by_personal_number

    person = get_person_by_personal_number(number)
    assert person is not None, "the demo loader syncs every demo identity"
    return person


def _staff(hsa_id: str):
    from vardnav.organizations.models import Staff

    return Staff.objects.select_related("provider", "user").get(hsa_id=hsa_id)


@pytest.fixture
def provider(demo):
    from vardnav.organizations.models import CareProvider

    return CareProvider.objects.get(slug=data.PROVIDER_SLUG)


@pytest.fixture
def unit_x(demo):
    from vardnav.organizations.models import Unit

    return Unit.objects.select_related("provider").get(slug=data.UNIT_X_SLUG)


@pytest.fixture
def unit_y(demo):
    from vardnav.organizations.models import Unit

    return Unit.objects.select_related("provider").get(slug=data.UNIT_Y_SLUG)


@pytest.fixture
def resident_a(demo):
    return _person(ids.RESIDENT_A)


@pytest.fixture
def resident_b(demo):
    return _person(ids.RESIDENT_B)


@pytest.fixture
def guardian(demo):
    return _person(ids.GUARDIAN)


@pytest.fixture
def child_8(demo):
    return _person(ids.CHILD_8)


@pytest.fixture
def child_14(demo):
    return _person(ids.CHILD_14)


@pytest.fixture
def child_17(demo):
    return _person(ids.CHILD_17)


@pytest.fixture
def protected_resident(demo):
    return _person(ids.PROTECTED)


@pytest.fixture
def receiver_x(demo):
    return _staff(data.RECEIVER_X_HSA)


@pytest.fixture
def handler_x(demo):
    return _staff(data.HANDLER_X_HSA)


@pytest.fixture
def unit_admin_x(demo):
    return _staff(data.UNIT_ADMIN_X_HSA)


@pytest.fixture
def handler_y(demo):
    return _staff(data.HANDLER_Y_HSA)


@pytest.fixture
def provider_admin_other(demo):
    return _staff(data.PROVIDER_ADMIN_OTHER_HSA)


@pytest.fixture
def staff_actor():
    """Build the Actor a staff member acts as, working at `unit` in `role` (None: not chosen yet)."""
    from vardnav.core.actor import Actor, ActorKind

    def build(staff, unit=None, role=None) -> Actor:
        return Actor(
            kind=ActorKind.STAFF,
            staff_id=staff.pk,
            provider_id=staff.provider_id,
            unit_id=unit.pk if unit is not None else None,
            role=role,
            user_id=staff.user_id,
        )

    return build


@pytest.fixture
def resident_actor():
    """Build the Actor a resident acts as, optionally acting for a child."""
    from vardnav.core.actor import Actor, ActorKind

    def build(person, acting_for=None) -> Actor:
        return Actor(
            kind=ActorKind.RESIDENT,
            person_id=person.pk,
            acting_for_id=acting_for.pk if acting_for is not None else None,
        )

    return build
