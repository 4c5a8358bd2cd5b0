"""The typed request every view and API route receives.

Why: identity's session middleware puts the Actor on every request
(`request.actor`), and ninja's session authentication hands routes the same
Actor as `request.auth`. Annotating views with ActorRequest and routes with
ApiRequest says so to the type checker, instead of each module reading an
attribute Django's HttpRequest does not declare.
"""

from __future__ import annotations

from django.http import HttpRequest

from vardnav.core.actor import Actor


class ActorRequest(HttpRequest):
    """A page request: `actor` is set by identity.middleware.IdentitySessionMiddleware (anonymous if nobody)."""

    actor: Actor


class ApiRequest(HttpRequest):
    """An API request that passed session or token authentication: `auth` is the acting Actor."""

    actor: Actor
    auth: Actor
