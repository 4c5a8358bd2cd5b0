"""Shared fixtures for every app's tests: the shared personas, and the demo world for the tests that need it.

`world` is the world of tests/personas.py, built through actions for each
test, and every persona of it is also a fixture of its own name: a test (or an
access-matrix row, `world.obj("resident_a")`) asking for `resident_a` and
`handler_x` gets `world.resident_a` and `world.handler_x`. One name means one
thing in every app's tests; docs/testing.md has the table of who is who.

The demo world (vardnav.demo, fixture `demo`) is the demo's own, larger
population, loaded through the same actions as `manage.py load_demo`. Only the
tests of the demo itself, the prescriptions (which use its drug register and
staff) and the browser journeys that show demo data use it; its personas are
the `demo_*` fixtures below, never the shared names:

- demo_provider: Region Norrsund (policy provider_wide)
- demo_unit_x: Vårdcentralen Norrsund centrum; demo_resident_a, the Lindqvist
  family (demo_guardian, demo_child_8/14/17) and AGED_85 are listed here
- demo_receiver_x, demo_handler_x, demo_unit_admin_x: staff at demo_unit_x
- demo_other_unit: Vårdcentralen Västerå söder, a unit of another provider
  (Region Västerå); demo_resident_b is listed there, demo_other_handler handles cases there
- demo_provider_admin_other: the administrator of Region Västerå
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from vardnav.demo import data
from vardnav.demo import identities as ids


@pytest.fixture(autouse=True, scope="session")
def _require_postgres_when_asked() -> None:
    """In CI's PostgreSQL run, a suite that silently ran on SQLite would prove nothing."""
    if os.environ.get("VARDNAV_REQUIRE_POSTGRES") == "1":
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture(autouse=True)
def _swedish_after_each_test():
    """Every test starts in Swedish, whatever the one before it asked for.

    Why: LocaleMiddleware activates the request's language in the thread and
    never deactivates it, so a test client request in English left English
    active for the next test in the same process (a lazy Swedish message then
    read as English: an order-dependent failure).
    """
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


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


def _persona(name: str, attribute: str = "") -> Any:
    """A fixture named after a persona of the shared world: `world.<attribute or name>`."""

    def persona(world: Any) -> Any:
        return getattr(world, attribute or name)

    persona.__doc__ = f"world.{attribute or name} (tests/personas.py)"
    return pytest.fixture(name=name)(persona)


# Every persona of tests/personas.World is a fixture of the same name (the access matrix uses them by name).
provider = _persona("provider")
unit_x = _persona("unit_x")
unit_y = _persona("unit_y")
contact = _persona("contact")
open_service = _persona("open_service")
receiver_x = _persona("receiver_x")
handler_x = _persona("handler_x")
handler_x2 = _persona("handler_x2")
handler_y = _persona("handler_y")
unit_admin_x = _persona("unit_admin_x")
provider_admin = _persona("provider_admin")
other_provider = _persona("other_provider")
other_unit = _persona("other_unit")
provider_admin_other = _persona("provider_admin_other")
resident_a = _persona("resident_a")
resident_b = _persona("resident_b")
guardian = _persona("guardian")
guardian_2 = _persona("guardian_2")
child_8 = _persona("child_8")
child_14 = _persona("child_14")
child_17 = _persona("child_17")
protected = _persona("protected")
aged_85 = _persona("aged_85")
# The name tests used for `protected` before the personas were one set; the same person.
protected_resident = _persona("protected_resident", "protected")


@pytest.fixture
def staff_actor():
    """Build the Actor of staff working at `unit` in `role` (tests.personas.actor_for, positional)."""
    from tests.personas import actor_for

    def build(staff: Any, unit: Any = None, role: str | None = None) -> Any:
        return actor_for(staff, unit=unit, role=role)

    return build


@pytest.fixture
def resident_actor():
    """Build the Actor of a resident, optionally acting for a child (tests.personas.actor_for)."""
    from tests.personas import actor_for

    def build(person: Any, acting_for: Any = None) -> Any:
        return actor_for(person, acting_for=acting_for)

    return build


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


def _demo_person(number: str):
    from vardnav.people.access import get_person_by_personal_number

    person = get_person_by_personal_number(number)
    assert person is not None, "the demo loader syncs every demo identity"
    return person


def _demo_staff(hsa_id: str):
    from vardnav.organizations.models import Staff

    return Staff.objects.select_related("provider", "user").get(hsa_id=hsa_id)


def _demo_unit(slug: str):
    from vardnav.organizations.models import Unit

    return Unit.objects.select_related("provider").get(slug=slug)


@pytest.fixture
def demo_provider(demo):
    from vardnav.organizations.models import CareProvider

    return CareProvider.objects.get(slug=data.PROVIDER_SLUG)


@pytest.fixture
def demo_unit_x(demo):
    return _demo_unit(data.UNIT_X_SLUG)


@pytest.fixture
def demo_other_unit(demo):
    """Vårdcentralen Västerå söder: another provider's unit, unlike world.unit_y."""
    return _demo_unit(data.UNIT_Y_SLUG)


@pytest.fixture
def demo_resident_a(demo):
    return _demo_person(ids.RESIDENT_A)


@pytest.fixture
def demo_resident_b(demo):
    return _demo_person(ids.RESIDENT_B)


@pytest.fixture
def demo_guardian(demo):
    return _demo_person(ids.GUARDIAN)


@pytest.fixture
def demo_child_8(demo):
    return _demo_person(ids.CHILD_8)


@pytest.fixture
def demo_child_14(demo):
    return _demo_person(ids.CHILD_14)


@pytest.fixture
def demo_child_17(demo):
    return _demo_person(ids.CHILD_17)


@pytest.fixture
def demo_protected(demo):
    return _demo_person(ids.PROTECTED)


@pytest.fixture
def demo_receiver_x(demo):
    return _demo_staff(data.RECEIVER_X_HSA)


@pytest.fixture
def demo_booking_admin_x(demo):
    """The administrator at demo_unit_x who keeps its appointment book (receiver and booking admin)."""
    return _demo_staff(data.BOOKING_ADMIN_X_HSA)


@pytest.fixture
def demo_handler_x(demo):
    return _demo_staff(data.HANDLER_X_HSA)


@pytest.fixture
def demo_unit_admin_x(demo):
    return _demo_staff(data.UNIT_ADMIN_X_HSA)


@pytest.fixture
def demo_other_handler(demo):
    """A handler at demo_other_unit (another provider), unlike world.handler_y."""
    return _demo_staff(data.HANDLER_Y_HSA)


@pytest.fixture
def demo_provider_admin_other(demo):
    """The administrator of Region Västerå, demo_other_unit's provider."""
    return _demo_staff(data.PROVIDER_ADMIN_OTHER_HSA)


@pytest.fixture
def demo_board_receiver(demo):
    """A case officer of the demo's patient board (CMP-2), receiver at the board's unit."""
    return _demo_staff("SE2321000904-PN00")


@pytest.fixture
def platform_superuser(db):
    """The platform's superuser, as `createsuperuser` makes them: the only user the Django admin lets in."""
    return get_user_model().objects.create_superuser(username="plattform", email="", password=None)
