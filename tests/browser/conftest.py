"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Run them with `make test` (they are part of the suite) or only them with
`make test PYTEST_ARGS="-m browser"`. Every test under tests/browser gets the
`browser` marker. Without /usr/bin/chromium they are skipped with a reason,
except in CI (VARDNAV_REQUIRE_BROWSER=1), where a missing browser fails.
Playwright never downloads a browser here: it launches the system Chromium.

Screenshots: `screenshot(page, "name")` from tests/browser/helpers.py writes
docs/screenshots/name.png only when VARDNAV_SCREENSHOTS=1, so an ordinary run
leaves the work tree clean:
    VARDNAV_SCREENSHOTS=1 make test PYTEST_ARGS="-m browser"
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.accessibility import serve_axe

# Playwright's sync API runs an asyncio event loop in the test thread. Django's
# async-safety guard sees that running loop and raises SynchronousOnlyOperation
# on any ORM call from the test (creating personas, checking results), although
# the loop never runs Django code: Playwright only talks to the browser over a
# pipe. Allowing "async-unsafe" calls is the standard workaround; it is set for
# the test process only, never in settings.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("VARDNAV_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Any]:
    """The one Playwright of the session: a second sync_playwright() in the same thread refuses to start."""
    if not CHROMIUM.exists():
        reason = f"Chromium not installed (apt-get install chromium): {CHROMIUM} is missing"
        if os.environ.get("VARDNAV_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + "; VARDNAV_REQUIRE_BROWSER=1 makes that a failure", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_session: Any) -> Iterator[Any]:
    """One headless Chromium for the whole session (each test gets its own context)."""
    browser = playwright_session.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def browser_context(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser profile (no cookies) pointed at the live server, in Swedish."""
    context = chromium.new_context(
        base_url=live_server.url,
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    serve_axe(context)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def expected_console_errors() -> list[str]:
    """Console errors a test expects (substrings), e.g. Chromium's line for a form answered with 422."""
    return []


@pytest.fixture
def page(browser_context: Any, expected_console_errors: list[str]) -> Iterator[Any]:
    """A page that fails the test on any JavaScript error or console error (CSP violations included)."""
    page = browser_context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    yield page
    page.close()
    problems = [p for p in problems if not any(expected in p for expected in expected_console_errors)]
    assert not problems, "the browser reported errors:\n" + "\n".join(problems)
