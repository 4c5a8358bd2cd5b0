"""Issue 11, item 13 (and item 16's keyboard bar): a provider administrator creates a new e-service with the
keyboard alone, from the settings start page; a missing kind is refused at its field first. The records
settings reached from the same start page (national sharing periods, staff personal numbers) pass the page
checks too. Every page visited passes check_page (one h1, skip link, axe-core)."""

from __future__ import annotations

from tests.browser.helpers import check_page, log_in, on_path
from tests.browser.test_settings_keyboard_journey import _follow, _tab_to, _text_is
from tests.sessions import staff_identity


def _submit(page, text: str) -> None:
    _tab_to(page, _text_is(text))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_administrator_creates_an_e_service_by_keyboard(
    page, browser_context, live_server, demo, demo_provider_admin_other, expected_console_errors
):
    from vardnav.catalog.access import kinds_not_yet_offered
    from vardnav.catalog.models import Service

    expected_console_errors.append("the server responded with a status of 422")  # no kind chosen, on purpose
    admin = demo_provider_admin_other
    kind, _label = kinds_not_yet_offered(admin.provider_id)[0]
    log_in(browser_context, live_server.url, staff_identity(admin))
    page.goto("/personal/")
    page.wait_for_url(on_path("/personal/installningar/"))
    check_page(page, h1="Inställningar")

    _follow(page, "E-tjänster", h1="E-tjänster")
    _follow(page, "Ny e-tjänst", h1="Ny e-tjänst")

    # Sent without a kind: the error summary takes focus and links to the kind, which says why.
    page.locator("h1").focus()
    _submit(page, "Skapa e-tjänsten")
    check_page(page, h1="Ny e-tjänst")
    assert page.locator("#newservice-kind").get_attribute("aria-invalid") == "true"
    assert page.locator("[data-error-summary] a[href='#newservice-kind']").count() == 1

    page.locator("h1").focus()
    _tab_to(page, "el => el.tagName === 'SELECT' && el.id === 'newservice-kind'")
    while page.evaluate("document.activeElement.value") != kind:
        page.keyboard.press("ArrowDown")
    _tab_to(page, "el => el.id === 'newservice-name'")
    page.keyboard.type("Tangentbordstjänsten")
    _submit(page, "Skapa e-tjänsten")

    service = Service.objects.get(provider_id=admin.provider_id, kind=kind)
    assert service.name == "Tangentbordstjänsten"
    page.wait_for_url(on_path(f"/personal/installningar/vardgivare/e-tjanster/{service.pk}/"))
    assert "E-tjänsten Tangentbordstjänsten är skapad." in page.get_by_role("status").inner_text()
    check_page(page, h1="Tangentbordstjänsten")

    # The records settings from the same start page.
    page.goto("/personal/installningar/")
    check_page(page, h1="Inställningar")
    _follow(page, "Sammanhållen journalföring", h1="Sammanhållen journalföring")
    page.goto("/personal/installningar/")
    _follow(page, "Medarbetarnas personnummer", h1="Medarbetarnas personnummer")
