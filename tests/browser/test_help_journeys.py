"""The help centre as a visitor uses it: from the footer to search, a bad search, an answer, and on to support."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, log_in, on_path


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


@pytest.mark.rule("HELP-1")
@pytest.mark.rule("HELP-2")
def test_a_provider_admin_writes_an_entry_and_a_listed_resident_reads_and_finds_it(
    page, browser_context, live_server, demo, demo_provider_admin_other, demo_resident_b, help_articles
):
    """Region Västerå's administrator writes a question with the rich-text editor and saves a second version;
    Resident B, listed at Västerå, finds it on /hjalp/, opens it by keyboard, searches for it and reads it
    to the end, where Västerå's own contact details stand."""
    from tests.sessions import resident_identity, staff_identity

    log_in(browser_context, live_server.url, staff_identity(demo_provider_admin_other))
    page.goto("/personal/installningar/")
    page.get_by_role("link", name="Frågor och svar").click()
    page.wait_for_url(on_path("/personal/installningar/hjalp/"))
    check_page(page, h1="Frågor och svar", screenshot_name="help-settings-entries")
    page.get_by_role("link", name="Ny fråga").click()
    check_page(page, h1="Ny fråga")
    page.get_by_label("Fråga", exact=True).fill("Var lämnar jag provrör till labbet?")
    editor = page.get_by_role("textbox", name="Svar", exact=True)
    editor.click()
    page.keyboard.type("Lämna provröret i ")
    page.keyboard.press("Control+b")
    page.keyboard.type("luckan vid entrén")
    page.keyboard.press("Control+b")
    page.keyboard.type(" före klockan 15.")
    page.get_by_label("Ämne").select_option("bookings")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("version 1")
    check_page(page, h1="Ändra fråga och svar", screenshot_name="help-settings-entry")

    # A second version: the answer changes, the first one is kept.
    editor = page.get_by_role("textbox", name="Svar", exact=True)
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" Fredagar före klockan 12.")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("version 2")
    page.get_by_role("link", name="Tidigare versioner").click()
    check_page(page, h1="Tidigare versioner: Var lämnar jag provrör till labbet?")
    expect(page.get_by_role("heading", name="Version 2 (gällande)")).to_be_visible()
    expect(page.get_by_role("heading", name="Version 1", exact=True)).to_be_visible()

    log_in(browser_context, live_server.url, resident_identity(demo_resident_b))
    page.goto("/hjalp/")
    summary = page.locator("summary", has_text="Var lämnar jag provrör till labbet?")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("details[open]").locator("strong", has_text="luckan vid entrén")).to_be_visible()
    expect(page.locator("details[open]").get_by_text("Senast uppdaterat")).to_be_visible()

    page.get_by_label("Sök i hjälpen").fill("provröret")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.wait_for_url(on_path("/hjalp/sok/"))
    page.get_by_role("link", name="Var lämnar jag provrör till labbet?").click()
    check_page(page, h1="Var lämnar jag provrör till labbet?", screenshot_name="help-provider-article")
    support = page.locator(".help-support")
    expect(support.get_by_role("link", name="e-tjanster@vastera.example")).to_be_visible()
    expect(support.get_by_role("link", name="skriv till supporten")).to_be_visible()
