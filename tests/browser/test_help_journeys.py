"""The help centre as a visitor uses it: from the footer to search, a bad search, an answer, and on to support."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, on_path


@pytest.fixture
def help_articles(transactional_db):
    """The articles help's migration loads: an earlier live-server test's flush emptied the table."""
    from vardnav.help.content import load_articles

    load_articles()


@pytest.mark.rule("HELP-1")
@pytest.mark.rule("HELP-2")
def test_a_visitor_finds_help_from_the_footer_searches_and_reads_an_answer(
    page, help_articles, expected_console_errors
):
    expected_console_errors.append("the server responded with a status of 422")  # the refused search, on purpose
    page.goto("/")
    page.locator("footer").get_by_role("link", name="Hjälp").click()
    page.wait_for_url(on_path("/hjalp/"))
    check_page(page, h1="Hjälp", screenshot_name="help-index")

    # An answer opens in place, by keyboard.
    summary = page.locator("summary", has_text="Hur loggar jag in?")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("QR-koden").first).to_be_visible()

    # A search with only punctuation: the message stands at the field.
    page.get_by_label("Sök i hjälpen").fill("?!")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.wait_for_url(on_path("/hjalp/sok/"))
    check_page(page, h1="Sök i hjälpen", screenshot_name="help-search-error")
    expect(page.locator(".field--error").get_by_text("Skriv ett eller flera ord att söka efter.")).to_be_visible()

    page.get_by_label("Sök i hjälpen").fill("avbokningskod")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.get_by_role("link", name="Hur bokar och avbokar jag en tid?").click()
    page.wait_for_url(on_path("/hjalp/boka-och-avboka/"))
    check_page(page, h1="Hur bokar och avbokar jag en tid?", screenshot_name="help-article")
    expect(page.get_by_text("Senast uppdaterat")).to_be_visible()

    page.locator("main").get_by_role("link", name="skriv till supporten").click()
    page.wait_for_url(on_path("/support/"))
