"""Test set-up for the audit app: a provider with two units and staff, and raw-SQL tampering.

The organization is built through the actions like every test's (tests/personas.py);
those actions write audit entries of their own, which the tests here tell apart
by subject, actor or action.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection

from tests.personas import grant, make_provider, make_staff, make_unit
from vardnav.audit.models import AuditChainHead, AuditEntry
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.clock import STOCKHOLM
from vardnav.organizations.models import CareProvider, Staff, Unit

# Person ids are plain numbers to the audit log; no Person row is needed.
RESIDENT_ID = 1001
OTHER_RESIDENT_ID = 1002


@dataclass
class Organization:
    provider: CareProvider
    unit: Unit
    other_unit: Unit
    handler: Staff
    other_handler: Staff

    def actor_for(self, staff: Staff, unit: Unit, role: str = "handler") -> Actor:
        return Actor(kind=ActorKind.STAFF, staff_id=staff.pk, unit_id=unit.pk, role=role, provider_id=self.provider.pk)

    @property
    def handler_actor(self) -> Actor:
        return self.actor_for(self.handler, self.unit)

    @property
    def other_handler_actor(self) -> Actor:
        return self.actor_for(self.other_handler, self.other_unit)


def make_organization() -> Organization:
    """A provider with two units and a handler at each, built through the actions (tests/personas.py)."""
    provider = make_provider("Region Testland", "region-testland")
    unit = make_unit(provider, "Vårdcentralen Norra", "SE2321000016-15CQ", slug="vc-norra")
    other_unit = make_unit(provider, "Vårdcentralen Södra", "SE2321000016-16DR", slug="vc-sodra")
    handler = make_staff(provider, "SE2321000016-A1B2", "Eva", "nurse", surname="Ström")
    other_handler = make_staff(provider, "SE2321000016-C3D4", "Omar", "doctor", surname="Nilsson")
    grant(handler, unit, "handler")
    grant(other_handler, other_unit, "handler")
    return Organization(provider, unit, other_unit, handler, other_handler)


def resident_actor(person_id: int = RESIDENT_ID) -> Actor:
    return Actor(kind=ActorKind.RESIDENT, person_id=person_id)


_TABLES = (AuditEntry._meta.db_table, AuditChainHead._meta.db_table)


@contextlib.contextmanager
def append_only_triggers_lifted() -> Iterator[None]:
    """Lift the database's append-only guard, as an attacker with DDL rights could.

    Runs inside the test's transaction, so the guard is back after the test on
    both databases whatever happens.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in _TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            try:
                yield
            finally:
                for table in _TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            return
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)", _TABLES)
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield
        finally:
            for _name, sql in triggers:
                cursor.execute(sql)


def raw(sql: str, params: tuple = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# "Today" of the test suite, a Sunday morning in Stockholm.
FROZEN_NOW = dt.datetime(2026, 11, 22, 9, 30, tzinfo=STOCKHOLM)
