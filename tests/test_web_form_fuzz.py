"""Every web page that takes a POST answers malformed bodies with a 4xx or a form error, never a 5xx.

Which pages: every row of the access matrix (tests/test_access_matrix.py), which
itself must cover every URL pattern of the URL map, so a new page is fuzzed
without a list to keep here. A page is POST-able when an empty POST is not
answered 405. Who: the anonymous visitor, and each persona the matrix lets
reach the page (not sent to a login page). What: bodies no form is built for
(multipart without a boundary, JSON under a boundary, invalid UTF-8, an
oversized body, JSON sent as a form) and the page's own form fields (read
from its HTML) filled with hostile values. The CSRF token is sent, so each
body reaches the view rather than stopping at the CSRF check.

Django's admin (its own forms) and the API (tests/test_api_fuzz.py) are not here.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client

from tests.sessions import log_in_client
from tests.test_access_matrix import ACCESS_TABLE, LOGIN, PERSONAS, Row, World

pytestmark = pytest.mark.django_db

PAGE_ROWS = [row for row in ACCESS_TABLE if not row.is_api() and not row.endpoint.startswith(("admin:", "api-v1:"))]
# One persona per kind of user; the matrix's second resident and second handler exist for "not yours" checks.
FUZZ_PERSONAS = ("resident_a", "guardian", "receiver_x", "handler_x", "provider_admin_other")

# Django's body limit, lowered for this test so "too big" costs 100 KB per request rather than 3 MB.
BODY_LIMIT = 64 * 1024
HOSTILE_VALUES = ["", "x" * 20_000, "\x00\x01", "<script>alert(1)</script>", "-1", "9" * 40, "2026-02-30", "%ff"]
STRUCTURAL_BODIES: list[tuple[str, bytes]] = [
    ("multipart/form-data", b"no boundary at all"),
    ("multipart/form-data; boundary=zz", b'{"json": "under a boundary"}'),
    ("multipart/form-data; boundary=zz", b"--zz\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--zz"),
    ("application/x-www-form-urlencoded", b"a=%ff%fe&%00=\xff\xfe&" + b"&".join(b"k%d=v" % i for i in range(2000))),
    ("application/json", b'{"message": "JSON where a form is expected"}'),
    ("application/x-www-form-urlencoded", b"big=" + b"z" * (BODY_LIMIT + 1024)),
    ("text/plain", b"z" * (BODY_LIMIT + 1024)),
]
_FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"', re.IGNORECASE)
_POST_FORM = re.compile(r'<form\b[^>]*\bmethod="post"[^>]*>', re.IGNORECASE)
_ACTION = re.compile(r'\baction="([^"]*)"', re.IGNORECASE)


def _personas_reaching(row: Row) -> list[str]:
    """Anonymous, and every persona the matrix does not send to a login page (children log in as no one)."""
    reaching = [p for p in FUZZ_PERSONAS if row.expected[p] != LOGIN and PERSONAS[p] is not None]
    return ["anonymous", *reaching]


def _form_fields(client: Client, path: str) -> list[str]:
    page = client.get(path, REMOTE_ADDR="127.0.0.1")
    if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
        return []
    html = page.content.decode(errors="replace")
    # Only a page whose own form posts back to it; the language switcher on every page posts elsewhere.
    actions = [match.group(1) if (match := _ACTION.search(tag)) else "" for tag in _POST_FORM.findall(html)]
    if not any(action in ("", path, path.split("?")[0]) for action in actions):
        return []
    return sorted({name for name in _FIELD.findall(html) if name != "csrfmiddlewaretoken"})


@pytest.mark.parametrize("row", PAGE_ROWS, ids=lambda row: row.endpoint)
def test_every_post_able_page_survives_malformed_bodies_for_each_persona(row, request, settings, bankid_simulator):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = BODY_LIMIT
    world = World(request)
    failures = []
    for persona in _personas_reaching(row):
        client = log_in_client(Client(raise_request_exception=False), world.identity(persona))
        path = row.path(world, persona)
        probe = client.post(path, b"", content_type="application/x-www-form-urlencoded", REMOTE_ADDR="127.0.0.1")
        cache.clear()
        if probe.status_code == 405:
            continue  # not POST-able
        bodies = list(STRUCTURAL_BODIES)
        fields = _form_fields(client, path)
        if fields:
            bodies += [
                ("application/x-www-form-urlencoded", urlencode(dict.fromkeys(fields, value)).encode())
                for value in HOSTILE_VALUES
            ]
        for content_type, body in bodies:
            response = client.generic("POST", path, body, content_type=content_type, REMOTE_ADDR="127.0.0.1")
            cache.clear()  # rate limits must not hide what the view does
            if response.status_code >= 500:
                failures.append(f"{persona} POST {path} [{content_type}, {len(body)} bytes]: {response.status_code}")
    assert not failures, "\n".join(failures)
