"""Video meetings (VISIT-8): the practitioner proposes a time in the chat, and at that time the visit's resident
(or the guardian acting) and its practitioner join the room; the signalling socket decides who may connect."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from asgiref.sync import async_to_sync
from django.conf import settings
from django.test import Client

from tests.personas import actor_for
from tests.sessions import log_in_client, resident_identity, session_cookie, staff_identity
from tests.websockets import WebsocketClient
from vardnav.asgi import application
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.cases.models import Message, MessageKind
from vardnav.core import clock
from vardnav.core.errors import DomainError
from vardnav.notifications.models import Notice
from vardnav.visits.access import current_triage
from vardnav.visits.actions import do_propose_meeting, do_start_visit
from vardnav.visits.errors import VisitError
from vardnav.visits.models import VideoMeeting
from vardnav.visits.tests.conftest import valid_answers

# The consumer reaches the database through channels' database_sync_to_async, which closes connections that are
# inside a transaction: these tests commit, as the live server does.
pytestmark = pytest.mark.django_db(transaction=True)


def start(digital, person, acting_for=None):
    area = digital.areas["urinvagsinfektion"]
    triage = current_triage(area)
    return do_start_visit(
        actor_for(person, acting_for=acting_for), area, triage, answers=valid_answers(triage.items), abroad=False
    )


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(clock.STOCKHOLM)


def propose(digital, visit, *, minutes_ahead: int = 5, staff=None) -> VideoMeeting:
    at = local(clock.now() + dt.timedelta(minutes=minutes_ahead))
    actor = digital.practitioner(staff or digital.specialist)
    return do_propose_meeting(actor, visit, day=at.date().isoformat(), time=at.strftime("%H:%M"))


@pytest.fixture
def meeting_world(digital, resident_a):
    digital.on_duty(digital.specialist)
    started = start(digital, resident_a)
    assert started.case.assigned_to_id == digital.specialist.pk
    return started


def cookie_of(identity: dict[str, Any] | None) -> str:
    cookies = session_cookie(identity)
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


async def _connect(cookie: str, meeting_id: int, origin: str) -> tuple[WebsocketClient, bool]:
    headers = [(b"origin", origin.encode()), (b"host", b"testserver")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketClient(application, f"/ws/videomote/{meeting_id}/", headers=headers)
    connected, _code = await communicator.connect()
    if not connected:
        await communicator.disconnect()
    return communicator, connected


def may_connect(identity: dict[str, Any] | None, meeting_id: int, origin: str = "http://testserver") -> bool:
    cookie = cookie_of(identity)

    async def attempt() -> bool:
        communicator, connected = await _connect(cookie, meeting_id, origin)
        if connected:
            await communicator.disconnect()
        return connected

    return async_to_sync(attempt)()


@pytest.mark.rule("VISIT-8")
def test_the_practitioner_proposes_a_time_in_the_chat_and_the_resident_gets_a_notice(
    digital, resident_a, meeting_world
):
    case = meeting_world.case
    meeting = propose(digital, meeting_world.visit)
    proposal = Message.objects.filter(case=case, kind=MessageKind.PARTIAL_REPLY).get()
    assert "videomöte" in proposal.body and local(meeting.starts_at).strftime("%H:%M") in proposal.body
    assert Notice.objects.filter(person=resident_a, kind="partial_reply").exists()
    assert AuditEntry.objects.filter(action=AuditEvent.VISIT_MEETING_PROPOSE, object_id=str(meeting.pk)).exists()
    client = log_in_client(Client(), resident_identity(resident_a))
    page = client.get(f"/arenden/{case.pk}/").content.decode()
    assert proposal.body in page
    assert f"/digitalt-vardbesok/besok/{case.pk}/videomote/" in page
    assert "Videomöte: " in page
    meeting_page = client.get(f"/digitalt-vardbesok/besok/{case.pk}/videomote/")
    assert meeting_page.status_code == 200
    assert "camera=(self)" in meeting_page["Permissions-Policy"]
    assert "connect-src 'self' wss://testserver ws://testserver" in meeting_page["Content-Security-Policy"]
    body = meeting_page.content.decode()
    assert "Anslut till mötet" in body and "Starta om samtalet" in body and "kontakta supporten" in body
    assert "Microsoft Edge stöds inte" in body and "spelas inte in" in body


@pytest.mark.rule("VISIT-8")
def test_a_new_time_replaces_the_earlier_one(digital, meeting_world):
    first = propose(digital, meeting_world.visit, minutes_ahead=60)
    second = propose(digital, meeting_world.visit, minutes_ahead=120)
    first.refresh_from_db()
    assert first.cancelled_at is not None and second.cancelled_at is None
    with time_machine.travel(first.starts_at, tick=False):
        assert not may_connect(resident_identity(meeting_world.case.submitted_by), first.pk)


@pytest.mark.parametrize(
    ("day", "time", "code"),
    [
        ("", "", VisitError.MEETING_TIME),
        ("8 december", "10", VisitError.MEETING_TIME),
        ("2020-01-01", "10:00", VisitError.MEETING_IN_PAST),
        ("2099-01-01", "10:00", VisitError.MEETING_TOO_FAR),
    ],
)
def test_a_bad_time_is_refused_in_swedish_and_nothing_is_saved(digital, meeting_world, day, time, code):
    with pytest.raises(DomainError) as raised:
        do_propose_meeting(digital.practitioner(digital.specialist), meeting_world.visit, day=day, time=time)
    assert raised.value.code is code and raised.value.field == "day"
    assert not VideoMeeting.objects.exists()
    assert not Message.objects.filter(kind=MessageKind.PARTIAL_REPLY).exists()


def test_the_proposal_form_shows_the_error_at_the_field(digital, meeting_world):
    client = log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))
    case = meeting_world.case
    page = client.get(f"/personal/digitala-besok/{case.pk}/")
    assert f"/personal/digitala-besok/{case.pk}/videomote/" in page.content.decode()
    refused = client.post(f"/personal/digitala-besok/{case.pk}/videomote/foresla/", {"day": "2020-01-01", "time": "9"})
    assert refused.status_code == 422
    assert "Ange dag och tid för videomötet" in refused.content.decode()
    assert not VideoMeeting.objects.exists()


@pytest.mark.rule("VISIT-8")
def test_only_the_practitioner_who_handles_the_visit_proposes_and_sees_its_meeting_page(digital, meeting_world):
    other = digital.st_doctor
    with pytest.raises(DomainError) as raised:
        propose(digital, meeting_world.visit, staff=other)
    assert raised.value.code is VisitError.NOT_YOUR_VISIT
    client = log_in_client(Client(), staff_identity(other, unit=digital.unit, role="handler"))
    assert client.get(f"/personal/digitala-besok/{meeting_world.case.pk}/videomote/").status_code == 404


@pytest.mark.rule("VISIT-8")
def test_the_resident_and_the_practitioner_join_and_the_server_relays_only_their_signalling(
    digital, resident_a, meeting_world
):
    meeting = propose(digital, meeting_world.visit)
    resident_cookie = cookie_of(resident_identity(resident_a))
    doctor_cookie = cookie_of(staff_identity(digital.specialist, unit=digital.unit, role="handler"))

    async def call() -> tuple[dict[str, Any], dict[str, Any], bool]:
        resident, resident_in = await _connect(resident_cookie, meeting.pk, "http://testserver")
        doctor, doctor_in = await _connect(doctor_cookie, meeting.pk, "http://testserver")
        assert resident_in and doctor_in
        await doctor.send_to(text_data=json.dumps({"type": "offer", "negotiation": 7, "sdp": "v=0 offer"}))
        offer = json.loads(await resident.receive_from())
        # The resident never makes offers, and unknown kinds are dropped: the practitioner hears nothing of them.
        await resident.send_to(text_data=json.dumps({"type": "offer", "negotiation": 8, "sdp": "v=0 forged"}))
        await resident.send_to(text_data=json.dumps({"type": "chat", "text": "hej"}))
        await resident.send_to(text_data=json.dumps({"type": "answer", "negotiation": 7, "sdp": "v=0 answer"}))
        answer = json.loads(await doctor.receive_from())
        nothing_else = await doctor.receive_nothing(timeout=0.2)
        await resident.disconnect()
        bye = json.loads(await doctor.receive_from())
        await doctor.disconnect()
        assert bye == {"type": "bye", "from": "resident"}
        return offer, answer, nothing_else

    offer, answer, nothing_else = async_to_sync(call)()
    assert offer == {"type": "offer", "negotiation": 7, "sdp": "v=0 offer", "from": "practitioner"}
    assert answer == {"type": "answer", "negotiation": 7, "sdp": "v=0 answer", "from": "resident"}
    assert nothing_else
    joins = AuditEntry.objects.filter(action=AuditEvent.VISIT_MEETING_JOIN, object_id=str(meeting.pk))
    assert joins.count() == 2


@pytest.mark.rule("VISIT-8")
def test_no_one_else_joins_and_the_room_exists_only_around_the_agreed_time(
    digital, resident_a, resident_b, meeting_world
):
    meeting = propose(digital, meeting_world.visit, minutes_ahead=60)

    def resident() -> dict[str, Any]:  # logged in just now, whenever now is
        return resident_identity(resident_a)

    def doctor() -> dict[str, Any]:
        return staff_identity(digital.specialist, unit=digital.unit, role="handler")

    with time_machine.travel(meeting.starts_at, tick=False):
        assert may_connect(resident(), meeting.pk) and may_connect(doctor(), meeting.pk)
        # Someone else's visit, another practitioner of the same unit, nobody logged in, another site's page.
        assert not may_connect(resident_identity(resident_b), meeting.pk)
        assert not may_connect(staff_identity(digital.st_doctor, unit=digital.unit, role="handler"), meeting.pk)
        assert not may_connect(None, meeting.pk)
        assert not may_connect(resident(), meeting.pk, origin="https://elsewhere.example")
    with time_machine.travel(meeting.opens_at - dt.timedelta(minutes=1), tick=False):
        assert not may_connect(resident(), meeting.pk)
    with time_machine.travel(meeting.opens_at, tick=False):
        assert may_connect(resident(), meeting.pk)
    with time_machine.travel(meeting.ends_at, tick=False):
        assert not may_connect(resident(), meeting.pk) and not may_connect(doctor(), meeting.pk)
    refused = AuditEntry.objects.filter(action=AuditEvent.VISIT_MEETING_JOIN, object_id=str(meeting.pk))
    assert refused.count() == 3


@pytest.mark.rule("VISIT-8")
def test_a_guardian_acting_for_the_child_joins_the_childs_meeting(digital, guardian, guardian_2, child_8):
    digital.on_duty(digital.specialist)
    started = start(digital, guardian, acting_for=child_8)
    meeting = propose(digital, started.visit)
    assert may_connect(resident_identity(guardian, acting_for=child_8), meeting.pk)
    # Acting for oneself the guardian is not the visit's resident.
    assert not may_connect(resident_identity(guardian), meeting.pk)
    client = log_in_client(Client(), resident_identity(guardian, acting_for=child_8))
    assert client.get(f"/digitalt-vardbesok/besok/{started.case.pk}/videomote/").status_code == 200


def test_the_meeting_page_before_the_time_says_when_it_opens(digital, resident_a, resident_b, meeting_world):
    propose(digital, meeting_world.visit, minutes_ahead=120)
    client = log_in_client(Client(), resident_identity(resident_a))
    page = client.get(f"/digitalt-vardbesok/besok/{meeting_world.case.pk}/videomote/").content.decode()
    assert "Mötet öppnar 10 minuter före den avtalade tiden" in page
    assert 'id="meeting-join"' not in page
    other = log_in_client(Client(), resident_identity(resident_b))
    assert other.get(f"/digitalt-vardbesok/besok/{meeting_world.case.pk}/videomote/").status_code == 404
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"


@pytest.mark.rule("VISIT-8")
def test_a_newer_window_of_the_same_participant_takes_over_from_the_older(digital, resident_a, meeting_world):
    meeting = propose(digital, meeting_world.visit)
    first_cookie = cookie_of(resident_identity(resident_a))
    second_cookie = cookie_of(resident_identity(resident_a))
    doctor_cookie = cookie_of(staff_identity(digital.specialist, unit=digital.unit, role="handler"))

    async def two_windows() -> tuple[dict[str, Any], dict[str, Any], bool]:
        doctor, _ = await _connect(doctor_cookie, meeting.pk, "http://testserver")
        first, _ = await _connect(first_cookie, meeting.pk, "http://testserver")
        second, _ = await _connect(second_cookie, meeting.pk, "http://testserver")
        replaced = json.loads(await first.receive_from())
        closed = await first.receive_output(2)
        await doctor.send_to(text_data=json.dumps({"type": "offer", "negotiation": 1, "sdp": "v=0"}))
        offer = json.loads(await second.receive_from())
        # The practitioner heard no "bye" from the window that was taken over.
        quiet = await doctor.receive_nothing(timeout=0.2)
        await second.disconnect()
        await doctor.disconnect()
        return replaced, closed, quiet and offer["type"] == "offer"

    replaced, closed, quiet = async_to_sync(two_windows)()
    assert replaced == {"type": "replaced"}
    assert closed == {"type": "websocket.close", "code": 4001}
    assert quiet
