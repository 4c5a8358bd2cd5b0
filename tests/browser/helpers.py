"""What browser journeys do on every page: log in by cookie, check keyboard use, take screenshots."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.accessibility import assert_accessible
from tests.sessions import session_cookie

SCREENSHOT_DIR = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"


def log_in(context: Any, base_url: str, identity: dict[str, Any] | None) -> None:
    """Give the browser the session cookie of `identity` (see tests/sessions.py for why not a real login)."""
    for name, value in session_cookie(identity).items():
        context.add_cookies([{"name": name, "value": value, "url": base_url, "httpOnly": True, "sameSite": "Lax"}])


def screenshot(page: Any, name: str) -> Path | None:
    """Save docs/screenshots/<name>.png of the whole page, only when VARDNAV_SCREENSHOTS=1."""
    if os.environ.get("VARDNAV_SCREENSHOTS") != "1":
        return None
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
    return path


def on_path(path: str):
    """A wait_for_url matcher for exactly this path, whatever the query or #fragment."""
    return lambda url: urlsplit(url).path == path


def focused_element(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const main = document.querySelector('main');
            return {
                tag: el ? el.tagName.toLowerCase() : null,
                id: el ? el.id : null,
                href: el ? el.getAttribute('href') : null,
                text: el ? (el.textContent || '').trim() : '',
                in_main: !!(el && main && (el === main || main.contains(el))),
            };
        }"""
    )


def assert_skip_link_moves_focus_to_main(page: Any) -> None:
    """From the top of the page, Tab reaches the skip link first and Enter moves keyboard focus into <main>."""
    # Start where a keyboard user starts on a freshly loaded page, even if this page
    # was reached with a #fragment: focus a throw-away element at the top of <body>.
    # Wait until the page's deferred scripts have run: one that runs later could move focus.
    page.wait_for_load_state("networkidle")
    page.evaluate(
        """() => {
            const start = document.createElement('span');
            start.id = '__test_focus_start__';
            start.tabIndex = -1;
            document.body.prepend(start);
            start.focus();
        }"""
    )
    page.keyboard.press("Tab")
    page.evaluate("() => document.getElementById('__test_focus_start__').remove()")
    first = focused_element(page)
    assert first["tag"] == "a" and first["href"] and first["href"].startswith("#"), (
        f"the first Tab stop should be the skip link, got {first}"
    )
    page.keyboard.press("Enter")
    # Following the in-page link moves focus after the keypress is handled; give it a moment.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            "() => { const m = document.querySelector('main'); return !!m && m.contains(document.activeElement); }",
            timeout=2000,
        )
    landed = focused_element(page)
    assert landed["in_main"], (
        f'Enter on the skip link should move focus into <main> (give <main> tabindex="-1"), got {landed}'
    )


def check_page(page: Any, *, h1: str, screenshot_name: str | None = None) -> None:
    """The checks every journey runs on every page it visits: one h1 with the text, keyboard, axe, screenshot."""
    # A click that navigates returns once the new document is committed, possibly before it is parsed.
    page.wait_for_load_state("domcontentloaded")
    headings = page.locator("h1")
    assert headings.count() == 1, f"{page.url} should have exactly one h1, has {headings.count()}"
    assert h1 in headings.inner_text(), f"h1 on {page.url} is {headings.inner_text()!r}, expected {h1!r}"
    assert page.locator("html").get_attribute("lang") == settings.LANGUAGE_CODE
    assert_skip_link_moves_focus_to_main(page)
    assert_accessible(page)
    if screenshot_name:
        screenshot(page, screenshot_name)
