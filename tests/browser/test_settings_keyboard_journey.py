"""Issue 11: the settings flows with the keyboard alone (item 16), and e-services a child can't use explained
before anything is typed (item 4).

- Region Västerå's administrator, with Tab, Enter, Space, arrow keys and typing only: from the staff start
  page to a unit's roles, gives a colleague a role (ORG-4); writes the unit's "Övrig information" with the
  editor's toolbar (ORG-5); adds a question to an e-service's questionnaire and publishes it as a new version.
- A guardian acting for an 8-year-old sees, on the unit's e-service list and on the form's page, that a
  service from 15 years is not for the child, with no form to fill in and a way back to the unit's services.
Every page visited passes check_page (one h1, skip link, axe-core).
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import check_page, focused_element, log_in, on_path
from tests.sessions import resident_identity, staff_identity


def _tab_to(page, predicate: str, *, limit: int = 120) -> dict:
    """Press Tab until the focused element satisfies the JS `predicate`; fail after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({predicate})(el); }}"):
            return focused_element(page)
    raise AssertionError(f"Tab never reached an element matching {predicate} on {page.url}")


def _text_is(text: str) -> str:
    return "el => (el.textContent || '').trim().replace(/\\s+/g, ' ') === " + repr(text)


def _follow(page, text: str, *, h1: str) -> None:
    """From the page's h1, Tab to the link or button reading `text`, press Enter and check the next page."""
    page.locator("h1").focus()
    _tab_to(page, _text_is(text))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_page(page, h1=h1)


def _toolbar_button(page, action: str) -> None:
    """From the editor's text: Shift+Tab to the toolbar, Home, arrow right to the button, Enter."""
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Home")
    for _ in range(12):
        if page.evaluate("document.activeElement.dataset.action") == action:
            break
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.action") == action
    page.keyboard.press("Enter")


@pytest.mark.rule("ORG-4")
@pytest.mark.rule("ORG-5")
def test_the_administrator_grants_a_role_edits_the_unit_and_publishes_a_questionnaire_by_keyboard(
    page, browser_context, live_server, demo, demo_provider_admin_other, demo_other_unit
):
    from vardnav.catalog.models import Questionnaire, QuestionnaireStatus, Service
    from vardnav.organizations.models import RoleGrant, Staff

    unit = demo_other_unit
    colleague = (
        Staff.objects.filter(provider_id=unit.provider_id, is_active=True)
        .exclude(role_grants__unit=unit, role_grants__role="receiver")
        .exclude(pk=demo_provider_admin_other.pk)
        .order_by("surname", "pk")
        .first()
    )
    assert colleague is not None
    log_in(browser_context, live_server.url, staff_identity(demo_provider_admin_other))
    page.goto("/personal/")
    page.wait_for_url(on_path("/personal/installningar/"))
    check_page(page, h1="Inställningar")

    # 1. A role (ORG-4): the unit, its roles, the colleague chosen by typing, the role with Space.
    _follow(page, unit.name, h1=unit.name)
    _follow(page, "Roller", h1="Roller")
    page.locator("h1").focus()
    _tab_to(page, "el => el.tagName === 'SELECT'")
    page.keyboard.type(colleague.surname)
    assert page.evaluate("document.activeElement.value") == str(colleague.pk)
    _tab_to(page, "el => el.type === 'radio'")
    while page.evaluate("document.activeElement.value") != "receiver":
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    _tab_to(page, _text_is("Ge rollen"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    status = page.get_by_role("status").inner_text()
    assert f"{colleague.given_name} {colleague.surname} har fått rollen ärendemottagare." in status
    check_page(page, h1="Roller")
    assert RoleGrant.objects.filter(staff=colleague, unit=unit, role="receiver").exists()

    # 2. "Övrig information" with the editor (ORG-5): a heading 3 and bold text from the toolbar.
    _follow(page, "Övrig information", h1="Övrig information")
    page.locator("h1").focus()
    _tab_to(page, "el => el.classList.contains('ql-editor')")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    _toolbar_button(page, "h3")
    page.keyboard.type("Tillgänglighet")
    page.keyboard.press("Enter")
    _toolbar_button(page, "bold")
    page.keyboard.type("Hiss")
    page.keyboard.press("Control+b")
    page.keyboard.type(" finns vid entrén.")
    _tab_to(page, _text_is("Spara"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Övrig information är sparad." in page.get_by_role("status").inner_text()
    check_page(page, h1="Övrig information")
    unit.refresh_from_db()
    assert "<h3>Tillgänglighet</h3>" in unit.other_information_html
    assert "<strong>Hiss</strong> finns vid entrén." in unit.other_information_html

    # 3. A questionnaire: a question added and the draft published as a new version.
    service = (
        Service.objects.filter(provider_id=unit.provider_id, questionnaires__status="published")
        .order_by("name")
        .first()
    )
    assert service is not None
    first = Questionnaire.objects.get(service=service, status=QuestionnaireStatus.PUBLISHED)
    _follow(page, "Inställningar", h1="Inställningar")
    _follow(page, "Frågeformulär", h1="Frågeformulär")
    _follow(page, service.name, h1=service.name)
    _follow(page, "Lägg till en fråga", h1="Lägg till en fråga")
    page.locator("h1").focus()
    _tab_to(page, "el => el.tagName === 'SELECT'")
    page.keyboard.type("Ja/nej")
    assert page.evaluate("document.activeElement.value") == "boolean"
    _tab_to(page, "el => el.tagName === 'INPUT' && el.type === 'text'")
    page.keyboard.type("Behöver du tolk?")
    _tab_to(page, _text_is("Lägg till frågan"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Frågan är tillagd i utkastet." in page.get_by_role("status").inner_text()
    check_page(page, h1=service.name)
    page.locator("h1").focus()
    _tab_to(page, _text_is(f"Publicera version {first.version + 1}"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "är publicerad" in page.get_by_role("status").inner_text()
    check_page(page, h1=service.name)
    latest = Questionnaire.objects.get(service=service, status=QuestionnaireStatus.PUBLISHED)
    assert latest.version == first.version + 1
    assert any(item["text"] == "Behöver du tolk?" for item in latest.items)


def test_a_guardian_acting_for_an_8_year_old_sees_why_a_service_is_not_for_the_child_before_typing(
    page, browser_context, live_server, demo, demo_unit_x, demo_guardian, demo_child_8
):
    from vardnav.catalog.access import services_offered_at
    from vardnav.catalog.actions import do_update_service
    from vardnav.core.actor import Actor

    service = next(s for s in services_offered_at(demo_unit_x) if not s.listing_bound)
    do_update_service(Actor.system(), service, min_age=15)
    log_in(browser_context, live_server.url, resident_identity(demo_guardian, acting_for=demo_child_8))

    page.goto(f"/e-tjanster/{demo_unit_x.slug}/")
    check_page(page, h1=f"E-tjänster hos {demo_unit_x.name}")
    card = page.locator(".card", has_text=service.name).first
    assert "Den här e-tjänsten är för den som är 15 år eller äldre." in card.inner_text()
    assert card.get_by_role("link", name=service.name).count() == 0

    page.goto(f"/e-tjanster/{demo_unit_x.slug}/{service.pk}/")
    check_page(page, h1=service.name)
    notice = page.locator(".not-eligible")
    assert "15 år eller äldre" in notice.inner_text()
    assert page.get_by_role("button", name="Skicka ärendet").count() == 0
    assert page.locator("form textarea, form input[type=text]").count() == 0
    notice.get_by_role("link", name="Andra e-tjänster hos mottagningen").click()
    page.wait_for_url(on_path(f"/e-tjanster/{demo_unit_x.slug}/"))
