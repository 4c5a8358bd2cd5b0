"""Every page each persona reaches passes axe-core's WCAG 2.2 A/AA rules, wide and at 320 px, in Swedish and English.

Issue 11, item 16. One browser walks the product as each persona (anonymous,
resident, guardian, receiver, handler, unit head, provider admin): it follows
every same-site link from where the persona starts, as tests/test_navigation.py
does with the test client, and on each page it runs axe-core at 1280 px and
again at 320 px wide (WCAG 1.4.10 Reflow: at 320 CSS px the page itself must not
scroll sideways), and checks that the page links to the accessibility statement. Then it visits the same pages with English chosen and does the
same. Every violation of every page is collected and the test fails listing
them all, so one run shows everything to fix.

Why one instance per route and persona: a second case page has the same
template as the first; checking both doubles the time and finds nothing new.
The viewport is resized on the loaded page instead of loading it twice.
Files (pictures, PDFs) are not pages and are skipped.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import resolve
from django.urls.exceptions import Resolver404

from tests.accessibility import WCAG22_TAGS, format_violations, run_axe
from tests.browser.helpers import log_in
from tests.sessions import resident_identity, staff_identity
from tests.test_navigation import SKIP_PREFIXES, attachment_folder, lived_in, not_linked

__all__ = ["attachment_folder", "lived_in"]  # fixtures used below

pytestmark = pytest.mark.browser

STATEMENT_PATH = "/tillganglighet/"  # DOS-lagen: the accessibility statement, linked from every page
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}
# Routes that answer with a file, not a page.
FILES = {
    "cases:attachment_inline",
    "cases:attachment_download",
    "cases:staff_attachment_inline",
    "cases:staff_attachment_download",
    "records:journal_copy",
    "audit:log-extract-pdf",
    "certificates:download",
    "billing:finance_export",
    "billing:incoming_export",
    "billing:invoice_pdf",
    "billing:staff_invoice_pdf",
    "billing:staff_collection_export",
    "billing:letter_batch_pdf",
    "bookings:staff_summons_letters_pdf",
    "labs:referral_pdf",
    "labs:care_referral_pdf",
    "quality:stats_continuity_csv",
    "quality:stats_prescribing_csv",
}
PERSONAS = [
    ("anonymous", "/"),
    ("resident_a", "/"),
    ("guardian", "/"),
    ("receiver_x", "/personal/"),
    ("handler_x", "/personal/"),
    ("unit_admin_x", "/personal/"),
    ("provider_admin_other", "/personal/"),
]
STAFF_ROLES = {"receiver_x": "receiver", "handler_x": "handler", "unit_admin_x": "unit_admin"}


def _identity(request: Any, persona: str) -> dict[str, Any] | None:
    if persona == "anonymous":
        return None
    subject = request.getfixturevalue(f"demo_{persona}")
    if persona in {"resident_a", "guardian"}:
        return resident_identity(subject)
    role = STAFF_ROLES.get(persona)
    unit = request.getfixturevalue("demo_unit_x") if role else None
    return staff_identity(subject, unit=unit, role=role)


def _route(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _problems_here(page: Any, label: str) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations at 1280 px and at 320 px, and sideways scrolling at 320 px."""
    problems = []
    for size in (WIDE, NARROW):
        page.set_viewport_size(size)
        violations = run_axe(page, tags=WCAG22_TAGS)["violations"]
        if violations:
            problems.append(f"{label} at {size['width']} px:\n{format_violations(violations)}")
    overflow = page.evaluate(
        r"""() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return null;
            const over = el => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-wrapper');
            // The innermost elements that stick out: what to fix, not every box around them.
            const wide = [...document.querySelectorAll('body *')]
                .filter(el => over(el) && ![...el.children].some(over))
                .slice(0, 5)
                .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                    + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '')
                    + ' "' + (el.textContent || '').trim().slice(0, 40) + '"');
            return {scroll: document.documentElement.scrollWidth, width, wide};
        }"""
    )
    if overflow:
        problems.append(
            f"{label} at 320 px scrolls sideways (WCAG 1.4.10): {overflow['scroll']} px wide in a "
            f"{overflow['width']} px window; too wide: {overflow['wide']}"
        )
    page.set_viewport_size(WIDE)
    return problems


def _walk(page: Any, start: str) -> tuple[list[str], list[str]]:
    """Follow every same-site link from `start` (one page per route); return the URLs checked and the problems."""
    origin = urlsplit(page.url or start)
    checked: list[str] = []
    problems: list[str] = []
    routes_done: set[str] = set()
    seen: set[str] = set()
    queue = deque([start])
    while queue:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or path.startswith(SKIP_PREFIXES):
            continue
        seen.add(url)
        name = _route(path)
        if name is None or not_linked(name) or name in FILES or name in routes_done:
            continue
        routes_done.add(name)
        response = page.goto(url)
        if response is None or not response.headers.get("content-type", "").startswith("text/html"):
            continue
        landed = urlsplit(page.url)
        landed_name = _route(landed.path)
        if landed_name and landed_name != name:
            if landed_name in routes_done:
                continue
            routes_done.add(landed_name)
        checked.append(landed.path + (f"?{landed.query}" if landed.query else ""))
        problems += _problems_here(page, f"{checked[-1]} ({landed_name})")
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        if not any(urlsplit(href).path == STATEMENT_PATH for href in hrefs):
            problems.append(f"{checked[-1]} does not link to the accessibility statement ({STATEMENT_PATH})")
        for href in hrefs:
            target = urlsplit(href)
            if target.scheme in ("http", "https") and target.netloc == (landed.netloc or origin.netloc):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return checked, problems


@pytest.mark.parametrize(("persona", "start"), PERSONAS, ids=[p for p, _ in PERSONAS])
def test_every_page_a_persona_reaches_passes_wcag_22_aa_wide_and_at_320_px_in_swedish_and_english(
    request, page, browser_context, live_server, lived_in, persona, start
):
    began = time.monotonic()
    identity = _identity(request, persona)
    if identity is not None:
        log_in(browser_context, live_server.url, identity)
    page.goto(start)
    checked, problems = _walk(page, start)
    assert len(checked) >= 3, f"the crawl as {persona} reached only {checked}"

    browser_context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    for url in checked:
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "en", f"{url} is not in English"
        problems += _problems_here(page, f"{url} (English)")

    elapsed = time.monotonic() - began
    print(f"\n{persona}: {len(checked)} pages × 2 widths × 2 languages in {elapsed:.0f} s")
    assert not problems, f"{len(problems)} accessibility problem(s) as {persona}:\n" + "\n".join(problems)
