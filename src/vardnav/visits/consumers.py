"""The signalling of video meetings (VISIT-8): a WebSocket per participant, relayed through the channel layer.

The server only passes the two browsers' offers, answers and ICE candidates
between them; the media go directly between the browsers (or through the
provider's TURN server) and nothing of the call is stored. Who may connect is
decided on connect, from the login session, by visits.access.access_meeting_room
(the visit's resident or a guardian acting for the child, and the practitioner
who handles it, only while the room is open); each join is audited. Anyone
else's handshake is refused. The practitioner makes offers and the resident
answers, so a message of the wrong kind for the sender is dropped; each
participant has one connection (a newer window takes over from an older one),
and the room closes itself at the meeting's end.

A call is not idleness: while it is connected the page sends "alive" now and
then, and the server restarts the login session's idle clock (keep_session_alive)
and answers "alive", on which the page restarts its own clock and hides the
idle-logout warning (WCAG 2.2.1). The absolute timeout still ends the session.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from importlib import import_module
from types import SimpleNamespace
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from vardnav.core import clock
from vardnav.core.errors import DomainError, NotFound
from vardnav.identity.access import access_child_for_guardian
from vardnav.identity.session import expired_reason, get_actor, get_identity, update_session
from vardnav.visits.access import PARTICIPANT_PRACTITIONER, PARTICIPANT_RESIDENT, access_meeting_room
from vardnav.visits.actions import do_record_meeting_join
from vardnav.visits.errors import VisitError

MAX_MESSAGE_CHARS = 64 * 1024
MAX_MESSAGES = 2000
MAY_SEND = {
    PARTICIPANT_PRACTITIONER: {"ready", "offer", "candidate", "bye", "alive"},
    PARTICIPANT_RESIDENT: {"ready", "answer", "candidate", "bye", "alive"},
}
CLOSE_REFUSED = 4403
CLOSE_ENDED = 4000
CLOSE_MISUSE = 4400
CLOSE_REPLACED = 4001


def join_room(session: Any, meeting_id: int) -> tuple[int, str, dt.datetime]:
    """The meeting, the participant's role and when the room closes; DomainError if they may not join now."""
    request = SimpleNamespace(session=session) if session is not None else SimpleNamespace()
    identity = get_identity(request)  # type: ignore[arg-type]
    if not identity or expired_reason(identity, clock.now().timestamp()):
        raise NotFound(VisitError.MEETING_NOT_FOUND)
    actor = get_actor(request)  # type: ignore[arg-type]
    if actor.acting_for_id is not None:
        access_child_for_guardian(actor, actor.acting_for_id)
    meeting, role = access_meeting_room(actor, meeting_id)
    do_record_meeting_join(actor, meeting)
    return meeting.pk, role, meeting.ends_at


def keep_session_alive(session: Any, meeting_id: int) -> bool:
    """Restart the idle clock of a participant's login session during a connected call; False if it has ended.

    The session is read afresh from the store (the connection's copy is from
    when it connected: the person may have logged out in another tab since), and
    touched only while it is live and its person may still be in the room.
    """
    key = getattr(session, "session_key", None)
    if not key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    request = SimpleNamespace(session=store)
    identity = get_identity(request)  # type: ignore[arg-type]
    now = clock.now().timestamp()
    if not identity or expired_reason(identity, now):
        return False
    try:
        access_meeting_room(get_actor(request), meeting_id)  # type: ignore[arg-type]
    except DomainError:
        return False
    update_session(request, last_seen_at=now)  # type: ignore[arg-type]
    store.save()
    return True


def clean_signal(role: str, raw: str) -> dict[str, Any] | None:
    """A browser's signalling message reduced to its known fields, or None if it is not one this role sends."""
    if len(raw) > MAX_MESSAGE_CHARS:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("type") not in MAY_SEND[role]:
        return None
    clean: dict[str, Any] = {"type": data["type"]}
    if isinstance(data.get("negotiation"), int):
        clean["negotiation"] = data["negotiation"]
    if data["type"] in ("offer", "answer"):
        if not isinstance(data.get("sdp"), str):
            return None
        clean["sdp"] = data["sdp"]
    if data["type"] == "candidate":
        candidate = data.get("candidate")
        if not isinstance(candidate, dict) or not isinstance(candidate.get("candidate"), str):
            return None
        mid, index = candidate.get("sdpMid"), candidate.get("sdpMLineIndex")
        clean["candidate"] = {
            "candidate": candidate["candidate"],
            "sdpMid": mid if isinstance(mid, str) else None,
            "sdpMLineIndex": index if isinstance(index, int) else None,
        }
    return clean


class MeetingConsumer(AsyncWebsocketConsumer):
    group = ""
    role = ""
    meeting_id = 0
    received = 0
    said_bye = False
    closer: asyncio.TimerHandle | None = None

    async def connect(self) -> None:
        meeting_id = int(self.scope["url_route"]["kwargs"]["meeting_id"])
        try:
            meeting_pk, self.role, ends_at = await database_sync_to_async(join_room)(
                self.scope.get("session"), meeting_id
            )
        except DomainError:
            await self.close(code=CLOSE_REFUSED)
            return
        self.meeting_id = meeting_pk
        self.group = f"video-meeting-{meeting_pk}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        # One connection per participant: a newer window (or a restarted browser) takes over from an older one.
        await self.channel_layer.group_send(
            self.group, {"type": "signal.takeover", "sender": self.channel_name, "role": self.role}
        )
        seconds_left = max((ends_at - clock.now()).total_seconds(), 0)
        self.closer = asyncio.get_running_loop().call_later(seconds_left, lambda: asyncio.ensure_future(self._end()))

    async def _end(self) -> None:
        await self.send(text_data=json.dumps({"type": "ended"}))
        await self.close(code=CLOSE_ENDED)

    async def disconnect(self, code: int) -> None:
        if self.closer is not None:
            self.closer.cancel()
        if self.group and not self.said_bye:
            # A browser that left says so itself; this is for one that vanished. A second, late "bye" could
            # otherwise reach the other side after this participant had already joined again.
            await self._relay({"type": "bye"})
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        self.received += 1
        if self.received > MAX_MESSAGES:
            await self.close(code=CLOSE_MISUSE)
            return
        clean = clean_signal(self.role, text_data or "") if self.group else None
        if clean is not None and clean["type"] == "alive":
            if await database_sync_to_async(keep_session_alive)(self.scope.get("session"), self.meeting_id):
                await self.send(text_data=json.dumps({"type": "alive"}))
            else:
                await self.close(code=CLOSE_REFUSED)
        elif clean is not None:
            self.said_bye = self.said_bye or clean["type"] == "bye"
            await self._relay(clean)

    async def _relay(self, data: dict[str, Any]) -> None:
        await self.channel_layer.group_send(
            self.group, {"type": "signal.relay", "sender": self.channel_name, "role": self.role, "data": data}
        )

    async def signal_takeover(self, event: dict[str, Any]) -> None:
        if event["role"] == self.role and event["sender"] != self.channel_name:
            group, self.group = self.group, ""
            await self.channel_layer.group_discard(group, self.channel_name)
            await self.send(text_data=json.dumps({"type": "replaced"}))
            await self.close(code=CLOSE_REPLACED)

    async def signal_relay(self, event: dict[str, Any]) -> None:
        if event["sender"] == self.channel_name:
            return
        await self.send(text_data=json.dumps({**event["data"], "from": event["role"]}))
