"""The ICE servers (STUN and TURN) a meeting page hands its browser (VISIT-8), from settings.

With VIDEO_TURN_SECRET the TURN credentials are time-limited (the TURN REST
API convention coturn implements as use-auth-secret): the username is the
expiry time and an opaque tag, the password an HMAC of it with the shared
secret, so what a browser sees stops working after VIDEO_TURN_TTL_SECONDS.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from django.conf import settings

from vardnav.core import clock


def ice_servers(tag: str) -> list[dict[str, Any]]:
    """The RTCPeerConnection `iceServers` for one participant; `tag` must hold no personal data."""
    servers: list[dict[str, Any]] = []
    if settings.VIDEO_STUN_URLS:
        servers.append({"urls": list(settings.VIDEO_STUN_URLS)})
    if settings.VIDEO_TURN_URLS:
        if settings.VIDEO_TURN_SECRET:
            expires = int(clock.now().timestamp()) + settings.VIDEO_TURN_TTL_SECONDS
            username = f"{expires}:{tag}"
            digest = hmac.new(settings.VIDEO_TURN_SECRET.encode(), username.encode(), hashlib.sha1).digest()
            credential = base64.b64encode(digest).decode()
        else:
            username, credential = settings.VIDEO_TURN_USERNAME or "", settings.VIDEO_TURN_PASSWORD or ""
        servers.append({"urls": list(settings.VIDEO_TURN_URLS), "username": username, "credential": credential})
    return servers
