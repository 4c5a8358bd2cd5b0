"""A WebSocket client for ASGI applications in tests, without a server.

Why not channels.testing.WebsocketCommunicator: importing channels.testing
imports its live-server test case, which needs daphne, a server this project
does not use (uvicorn serves the ASGI entry). This is the same few calls on
asgiref's ApplicationCommunicator.
"""

from __future__ import annotations

from typing import Any

from asgiref.testing import ApplicationCommunicator


class WebsocketClient(ApplicationCommunicator):
    def __init__(self, application: Any, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
        scope = {"type": "websocket", "path": path, "query_string": b"", "headers": headers or [], "subprotocols": []}
        super().__init__(application, scope)

    async def connect(self, timeout: float = 2) -> tuple[bool, Any]:
        """(True, None) when the application accepts, (False, close code) when it refuses the handshake."""
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        assert response["type"] == "websocket.accept", response
        return True, None

    async def send_to(self, text_data: str) -> None:
        await self.send_input({"type": "websocket.receive", "text": text_data})

    async def receive_from(self, timeout: float = 2) -> str:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return str(response["text"])

    async def disconnect(self, code: int = 1000, timeout: float = 2) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)
