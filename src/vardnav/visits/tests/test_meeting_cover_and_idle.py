"""VISIT-8: a covering colleague joins in the proposer's place; a connected call keeps the login session alive.

Through the real ASGI application (session middleware, consumer, channel layer), as test_video_meetings does.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import import_module

import pytest
import time_machine
from asgiref.sync import async_to_sync
from django.conf import settings
from django.test import Client

from tests.personas import actor_for, grant
from tests.sessions import resident_identity, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.cases.actions import do_distribute_case
from vardnav.identity.session import SESSION_KEY
from vardnav.organizations.models import Role
from vardnav.visits.consumers import CLOSE_REFUSED
from vardnav.visits.tests.test_video_meetings import _connect, cookie_of, may_connect, propose, start

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.rule("VISIT-8")
def test_a_colleague_handed_the_visit_joins_in_the_proposers_place_and_it_is_audited(digital, resident_a):
    digital.on_duty(digital.specialist)
    started = start(digital, resident_a)
    meeting = propose(digital, started.visit, minutes_ahead=60)
    grant(digital.specialist, digital.unit, Role.RECEIVER)
    do_distribute_case(
        actor_for(digital.specialist, unit=digital.unit, role=Role.RECEIVER), started.case, handler=digital.st_doctor
    )
    with time_machine.travel(meeting.starts_at, tick=False):
        colleague = staff_identity(digital.st_doctor, unit=digital.unit, role="handler")
        proposer = staff_identity(digital.specialist, unit=digital.unit, role="handler")
        assert may_connect(colleague, meeting.pk)
        assert not may_connect(proposer, meeting.pk)  # the room follows the visit's handler, not a frozen id
        assert may_connect(resident_identity(resident_a), meeting.pk)
    joins = AuditEntry.objects.filter(action=AuditEvent.VISIT_MEETING_JOIN, object_id=str(meeting.pk))
    [covering] = joins.filter(actor_staff_id=digital.st_doctor.pk)
    assert covering.extra == {"covering_for_staff_id": digital.specialist.pk}
    assert joins.count() == 2


def _session_of(cookie: str) -> dict:
    key = cookie.split("=", 1)[1]
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)[SESSION_KEY]


@pytest.mark.rule("VISIT-8")
def test_a_connected_call_keeps_the_session_alive_past_the_idle_timeout(digital, resident_a):
    digital.on_duty(digital.specialist)
    started = start(digital, resident_a)
    meeting = propose(digital, started.visit, minutes_ahead=10)
    idle = dt.timedelta(seconds=settings.SESSION_IDLE_SECONDS)
    with time_machine.travel(meeting.starts_at, tick=False) as traveller:
        cookie = cookie_of(resident_identity(resident_a))
        logged_in_at = _session_of(cookie)["last_seen_at"]

        async def call_until_the_idle_timeout() -> dict:
            participant, joined = await _connect(cookie, meeting.pk, "http://testserver")
            assert joined
            # Nothing else happens on any page; only the call is on, saying it is alive now and then.
            traveller.shift(idle - dt.timedelta(seconds=30))
            await participant.send_to(text_data=json.dumps({"type": "alive"}))
            echoed = json.loads(await participant.receive_from())
            await participant.disconnect()
            return echoed

        assert async_to_sync(call_until_the_idle_timeout)() == {"type": "alive"}
        assert _session_of(cookie)["last_seen_at"] > logged_in_at
        traveller.shift(dt.timedelta(seconds=60))  # past the idle timeout counted from the login
        client = Client()
        name, key = cookie.split("=", 1)
        client.cookies[name] = key
        assert client.get(f"/digitalt-vardbesok/besok/{started.case.pk}/videomote/").status_code == 200


@pytest.mark.rule("VISIT-8")
def test_alive_does_not_revive_a_session_that_ended_elsewhere(digital, resident_a):
    digital.on_duty(digital.specialist)
    started = start(digital, resident_a)
    meeting = propose(digital, started.visit, minutes_ahead=10)
    with time_machine.travel(meeting.starts_at, tick=False):
        cookie = cookie_of(resident_identity(resident_a))
        key = cookie.split("=", 1)[1]

        async def alive_after_logout() -> object:
            participant, joined = await _connect(cookie, meeting.pk, "http://testserver")
            assert joined
            # Logged out in another tab: the session is gone from the store.
            await database_logout(key)
            await participant.send_to(text_data=json.dumps({"type": "alive"}))
            return await participant.receive_output(2)

        assert async_to_sync(alive_after_logout)() == {"type": "websocket.close", "code": CLOSE_REFUSED}


async def database_logout(key: str) -> None:
    from channels.db import database_sync_to_async

    def end() -> None:
        import_module(settings.SESSION_ENGINE).SessionStore(session_key=key).delete()

    await database_sync_to_async(end)()
