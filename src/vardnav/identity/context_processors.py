"""Who is logged in and for whom they act, for every template."""

from __future__ import annotations

from django.http import HttpRequest


def identity(request: HttpRequest) -> dict:
    return {}
