"""The ASGI entry: the same pages as vardnav.wsgi, plus WebSockets (the video meetings' signalling, VISIT-8).

`make run` serves it with uvicorn; production runs it for /ws/ (docs/operations.md).
A WebSocket's Origin must be one of ALLOWED_HOSTS (a page elsewhere cannot use a
visitor's session cookie), and the login session is read as pages read it.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vardnav.settings")
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402

from vardnav.visits.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(SessionMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
