"""Liveness and platform information."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema

router = Router(tags=["platform"])


class HealthOut(Schema):
    status: str
    database: str


@router.get("/health", response=HealthOut, auth=None, summary="Is the service up and its database reachable?")
def health(request: HttpRequest) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": connection.vendor}
