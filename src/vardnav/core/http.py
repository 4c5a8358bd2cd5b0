"""The typed request every view and API route receives.

Why: identity's session middleware puts the Actor on every request
(`request.actor`), and ninja's session authentication hands routes the same
Actor as `request.auth`. Annotating views with ActorRequest and routes with
ApiRequest says so to the type checker, instead of each module reading an
attribute Django's HttpRequest does not declare.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise

from vardnav.core.actor import Actor


class ActorRequest(HttpRequest):
    """A page request: `actor` is set by identity.middleware.IdentitySessionMiddleware (anonymous if nobody)."""

    actor: Actor


class ApiRequest(HttpRequest):
    """An API request that passed session or token authentication: `auth` is the acting Actor."""

    actor: Actor
    auth: Actor


def _text(value: Any) -> str:
    """A choice (a str subclass, passed through to here) or a lazily translated label, as its text;
    anything else is a programming error, not something to render by its repr."""
    if isinstance(value, str | Promise):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_response(data: Any, *, status: int = 200) -> HttpResponse:
    """Plain dicts, lists, strings, numbers and datetimes as JSON, rendered by orjson.

    For the hot read endpoints: the route keeps its ninja response schema for the
    OpenAPI document, but returns values its access function already shaped, so no
    per-row Schema is built and validated. Datetimes come out as ninja writes them
    (ISO 8601, UTC as "Z").
    """
    return HttpResponse(
        orjson.dumps(data, default=_text, option=orjson.OPT_UTC_Z | orjson.OPT_PASSTHROUGH_SUBCLASS),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def pdf_download(content: bytes, filename: str) -> HttpResponse:
    """A printed batch (letters) as a download that no cache keeps: it carries names and addresses."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
