"""Session authentication for the JSON API: the Actor of the cookie session.

Why our own class rather than ninja's django_auth: residents are not Django
users (ID-1), so "authenticated" means an identity in the session, with the
idle and absolute timeouts already enforced by IdentitySessionMiddleware.
`request.auth` is the Actor.

CSRF: cookie-authenticated requests with an unsafe method (POST, PATCH, PUT,
DELETE) must carry the CSRF token in the X-CSRFToken header (Django's
standard check; the token comes from GET /api/v1/auth/csrf or the page's
form). A request that fails the check gets 403 problem+json.

Use:
    from vardnav.identity.api_auth import session_auth, resident_auth, staff_auth
    @router.get("/thing", auth=resident_auth)
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf

from vardnav.core.actor import Actor, ActorKind
from vardnav.identity.errors import IdentityError
from vardnav.identity.session import get_actor


def require_csrf(request: HttpRequest) -> None:
    """Django's CSRF check for an API request with an unsafe method; 403 problem+json when it fails."""
    if check_csrf(request) is not None:
        raise IdentityError.CSRF.error()


class SessionActorAuth(APIKeyCookie):
    """Accepts a live session whose identity is one of `kinds`."""

    def __init__(self, *kinds: ActorKind, csrf: bool = True) -> None:
        self.kinds = kinds or (ActorKind.RESIDENT, ActorKind.STAFF)
        # The OpenAPI security scheme names the cookie, so it is read when the
        # API module loads; the name is fixed per environment at start-up.
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=csrf)

    def _get_key(self, request: HttpRequest) -> str | None:
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False):
            require_csrf(request)
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        if getattr(request, "session_expired", None):
            raise IdentityError.SESSION_EXPIRED.error()
        actor = getattr(request, "actor", None) or get_actor(request)
        if actor.kind not in self.kinds:
            return None
        return actor


session_auth = SessionActorAuth()
resident_auth = SessionActorAuth(ActorKind.RESIDENT)
staff_auth = SessionActorAuth(ActorKind.STAFF)
