"""The staff settings area in the browser (issue 11, item 13), keyboard only where it matters.

- The head of unit X finds "Inställningar" in the staff menu and gives a colleague a role (ORG-4).
- The head writes "Övrig information" with the editor's toolbar using only the keyboard:
  a heading, bold text, a bullet list and a link with URL, text, title and "open in new
  window" (ORG-5); the preview shows the text only after it is saved, and the public unit
  page shows it.
- Region Västerå's administrator builds a questionnaire: adds a yes/no question and a
  question shown only for "Ja", moves a question, previews the draft (the conditional
  question appears only after "Ja") and publishes it as a new version; the earlier version
  is kept unchanged.
Every page visited passes check_page (one h1, skip link, axe-core WCAG 2.1 AA).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, log_in, on_path
from tests.sessions import staff_identity


@pytest.mark.rule("ORG-4")
def test_the_head_of_unit_gives_a_colleague_a_role_from_the_settings(
    page, browser_context, live_server, demo, demo_unit_x, demo_unit_admin_x, expected_console_errors
):
    from vardnav.organizations.models import RoleGrant, Staff

    expected_console_errors.append("the server responded with a status of 422")

    colleague = (
        Staff.objects.filter(provider_id=demo_unit_x.provider_id, is_active=True)
        .exclude(role_grants__unit=demo_unit_x)
        .order_by("pk")
        .first()
    )
    assert colleague is not None
    log_in(browser_context, live_server.url, staff_identity(demo_unit_admin_x, unit=demo_unit_x, role="unit_admin"))

    page.goto("/personal/")
    page.get_by_role("navigation", name="Personalmeny").get_by_role("link", name="Inställningar").click()
    page.wait_for_url(on_path("/personal/installningar/"))
    check_page(page, h1="Inställningar")
    page.get_by_role("link", name=demo_unit_x.name, exact=True).click()
    check_page(page, h1=demo_unit_x.name)
    page.get_by_role("link", name="Roller").first.click()
    check_page(page, h1="Roller")

    # A grant without a choice: the summary names both fields.
    page.get_by_role("button", name="Ge rollen").click()
    summary = page.locator("[data-error-summary]")
    assert "Välj vem som ska få rollen." in summary.inner_text()
    page.get_by_label("Medarbetare").select_option(str(colleague.pk))
    page.get_by_label("Ärendemottagare", exact=False).check()
    page.get_by_role("button", name="Ge rollen").click()

    status = page.get_by_role("status")
    assert f"{colleague.given_name} {colleague.surname} har fått rollen ärendemottagare." in status.inner_text()
    check_page(page, h1="Roller")
    assert RoleGrant.objects.filter(staff=colleague, unit=demo_unit_x, role="receiver").exists()


def _press(page, *keys: str) -> None:
    for key in keys:
        page.keyboard.press(key)


def _toolbar_button(page, action: str) -> None:
    """From the text: Shift+Tab to the toolbar, Home, arrow right until the button has focus, and Enter.

    A pressed button hands focus back to the text, where the next keys are typed.
    """
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Home")
    for _ in range(12):
        if page.evaluate("document.activeElement.dataset.action") == action:
            break
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.action") == action
    page.keyboard.press("Enter")


@pytest.mark.rule("ORG-5")
def test_the_head_writes_other_information_with_the_toolbar_using_only_the_keyboard(
    page, browser_context, live_server, demo, demo_unit_x, demo_unit_admin_x
):
    log_in(browser_context, live_server.url, staff_identity(demo_unit_admin_x, unit=demo_unit_x, role="unit_admin"))
    page.goto(f"/personal/installningar/mottagningar/{demo_unit_x.pk}/ovrig-information/")
    check_page(page, h1="Övrig information")
    toolbar = page.get_by_role("toolbar", name="Textformat")
    assert toolbar.get_by_role("button").all_inner_texts() == [
        "Ångra",
        "Gör om",
        "Rubrik 2",
        "Rubrik 3",
        "Klistra in som oformaterad text",
        "Fetstil",
        "Kursiv",
        "Punktlista",
        "Numrerad lista",
        "Länk",
    ]
    editor = page.get_by_role("textbox", name="Övrig information")
    editor.click()
    _press(page, "Control+a", "Delete")

    # The demo's text began with a heading 2, and the emptied first line keeps it: the toolbar says so.
    assert toolbar.get_by_role("button", name="Rubrik 2").get_attribute("aria-pressed") == "true"
    # A heading 3 instead.
    _toolbar_button(page, "h3")
    assert toolbar.get_by_role("button", name="Rubrik 2").get_attribute("aria-pressed") == "false"
    page.keyboard.type("Parkering")
    page.keyboard.press("Enter")
    # Bold text, switched on from the toolbar and off with Ctrl+B.
    _toolbar_button(page, "bold")
    page.keyboard.type("Gratis")
    page.keyboard.press("Control+b")
    page.keyboard.type(" i två timmar.")
    page.keyboard.press("Enter")
    # A bullet list of two items, then out of the list again.
    _toolbar_button(page, "bullet")
    page.keyboard.type("Infart från Storgatan")
    page.keyboard.press("Enter")
    page.keyboard.type("Laddplatser")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    # A heading 2.
    _toolbar_button(page, "h2")
    page.keyboard.type("Mer information")
    page.keyboard.press("Enter")
    # A link with URL, text, title and "open in new window" (a second later: its own step to undo).
    page.wait_for_timeout(1100)
    _toolbar_button(page, "link")
    dialog = page.get_by_role("dialog", name="Länk")
    assert dialog.is_visible()
    page.keyboard.press("Control+a")
    page.keyboard.type("https://www.1177.se")
    page.keyboard.press("Tab")
    page.keyboard.type("Läs mer på 1177")
    page.keyboard.press("Tab")
    page.keyboard.type("1177 Vårdguiden")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    assert not dialog.is_visible()
    # Undo and redo from the toolbar: the link goes away and comes back.
    page.wait_for_timeout(1100)
    _toolbar_button(page, "undo")
    assert "Läs mer på 1177" not in editor.inner_text()
    assert "Laddplatser" in editor.inner_text()
    _toolbar_button(page, "redo")
    assert "Läs mer på 1177" in editor.inner_text()
    assert "Parkering" in editor.inner_text() and "Laddplatser" in editor.inner_text()
    # Paste as plain text is on from the start: formatted text from elsewhere arrives as plain text.
    assert toolbar.get_by_role("button", name="Klistra in som oformaterad text").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.setData("text/html", "<h1>Klistrat</h1><b>med fetstil</b>");
            data.setData("text/plain", "Klistrat med fetstil");
            document.activeElement.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }"""
    )
    assert "Klistrat med fetstil" in editor.inner_text()

    # Not saved yet: the preview still shows the text saved before (the demo's), not the new one.
    before = page.locator("[data-saved-preview]").inner_text()
    assert "Besöksparkering" in before and "Laddplatser" not in before
    page.get_by_role("button", name="Spara", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    assert "Övrig information är sparad." in page.get_by_role("status").inner_text()
    demo_unit_x.refresh_from_db()
    saved = demo_unit_x.other_information_html
    assert "<h3>Parkering</h3>" in saved and "<h2>Mer information</h2>" in saved
    assert "<strong>Gratis</strong> i två timmar." in saved
    assert "<ul><li>Infart från Storgatan</li><li>Laddplatser</li></ul>" in saved
    assert 'href="https://www.1177.se"' in saved and 'title="1177 Vårdguiden"' in saved
    assert 'target="_blank"' in saved
    assert "<p>Klistrat med fetstil</p>" in saved and "<h1>" not in saved
    preview = page.locator("[data-saved-preview]")
    assert preview.get_by_role("heading", name="Mer information", level=2).is_visible()
    assert preview.get_by_role("link", name="Läs mer på 1177").get_attribute("target") == "_blank"
    check_page(page, h1="Övrig information")

    page.goto(f"/mottagningar/{demo_unit_x.slug}/")
    section = page.locator(".other-information")
    assert section.get_by_role("heading", name="Parkering", level=3).is_visible()
    assert section.get_by_role("link", name="Läs mer på 1177").get_attribute("title") == "1177 Vårdguiden"


def test_the_administrator_builds_a_conditional_question_previews_and_publishes_a_new_version(
    page, browser_context, live_server, demo, demo_provider_admin_other
):
    from vardnav.catalog.models import Questionnaire, QuestionnaireStatus, Service

    service = (
        Service.objects.filter(provider_id=demo_provider_admin_other.provider_id, questionnaires__status="published")
        .order_by("name")
        .first()
    )
    assert service is not None
    first = Questionnaire.objects.get(service=service, status=QuestionnaireStatus.PUBLISHED)
    first_items = list(first.items)
    log_in(browser_context, live_server.url, staff_identity(demo_provider_admin_other))

    page.goto("/personal/")
    page.wait_for_url(on_path("/personal/installningar/"))
    check_page(page, h1="Inställningar")
    page.get_by_role("link", name="Frågeformulär").click()
    check_page(page, h1="Frågeformulär")
    page.get_by_role("link", name=service.name, exact=True).click()
    check_page(page, h1=service.name)

    page.get_by_role("link", name="Lägg till en fråga").click()
    check_page(page, h1="Lägg till en fråga")
    page.get_by_label("Sorts fråga").select_option("boolean")
    assert page.get_by_label("Svarsalternativ").is_hidden()
    page.get_by_label("Frågan", exact=True).fill("Har du haft feber?")
    page.get_by_label("Invånaren måste svara").check()
    page.get_by_role("button", name="Lägg till frågan").click()
    assert "Frågan är tillagd i utkastet." in page.get_by_role("status").inner_text()

    page.get_by_role("link", name="Lägg till en fråga").click()
    page.get_by_label("Sorts fråga").select_option("string")
    page.get_by_label("Frågan", exact=True).fill("Hur hög var febern?")
    page.get_by_label("Visa frågan").select_option(label="Bara när Har du haft feber? = Ja")
    page.get_by_role("button", name="Lägg till frågan").click()
    number = len(first_items) + 2
    assert page.get_by_text("Visas bara när ”Har du haft feber?” = Ja").is_visible()
    check_page(page, h1=service.name)

    # Move the fever question up with the keyboard; focus stays on that question.
    move = page.get_by_role("button", name=f"Flytta fråga {number - 1} upp")
    move.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"Fråga {number - 1} är flyttad upp.")
    moved = page.locator("#fraga-" + _link_id(service, "Har du haft feber?"))
    expect(moved.get_by_role("button", name=f"Flytta fråga {number - 2} upp")).to_be_focused()

    page.get_by_role("link", name="Förhandsgranska").click()
    check_page(page, h1="Förhandsgranskning")
    conditional = page.get_by_label("Hur hög var febern? (frivilligt)")
    assert conditional.is_hidden()
    page.get_by_role("group", name="Har du haft feber?").get_by_label("Ja").check()
    assert conditional.is_visible()

    page.get_by_role("link", name="Tillbaka till formuläret").click()
    page.get_by_role("button", name="Publicera version").click()
    assert "är publicerad" in page.get_by_role("status").inner_text()
    check_page(page, h1=service.name)

    first.refresh_from_db()
    latest = Questionnaire.objects.get(service=service, status=QuestionnaireStatus.PUBLISHED)
    assert latest.version == first.version + 1
    assert first.status == QuestionnaireStatus.RETIRED and first.items == first_items
    assert [item["text"] for item in latest.items][-3:-1] == ["Har du haft feber?", first_items[-1]["text"]]


def _link_id(service, text: str) -> str:
    from vardnav.catalog.models import Questionnaire, QuestionnaireStatus

    draft = Questionnaire.objects.get(service=service, status=QuestionnaireStatus.DRAFT)
    return next(item["linkId"] for item in draft.items if item["text"] == text)
