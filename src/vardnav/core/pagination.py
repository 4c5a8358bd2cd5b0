"""Keyset-pagination cursors shared by every list: opaque to clients, checked on the way in.

A cursor names the last row of a page by its sort moment and primary key, so the
next page starts after it with an index range scan whatever the list's length
(no OFFSET). A cursor that does not decode is the client's mistake: a 400 with
the registered INVALID_CURSOR code on the `after` parameter, never a 500.
"""

from __future__ import annotations

import base64
import datetime as dt

from vardnav.core.errors import CoreError


def encode_cursor(moment: dt.datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{moment.isoformat()}|{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[dt.datetime, int] | None:
    """(moment, pk) of the cursor, or None for the first page."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, pk = raw.split("|")
        parsed = dt.datetime.fromisoformat(moment)
        if parsed.tzinfo is None:
            raise ValueError("naive")
        return parsed, int(pk)
    except (ValueError, UnicodeDecodeError):
        raise CoreError.INVALID_CURSOR.error(field="after") from None
