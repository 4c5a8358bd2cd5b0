"""Issue 11, item 16 (keyboard journeys cover the settings flows) for the booking settings of issue 14.

The demo's booking admin at Vårdcentralen Norrsund centrum, with Tab, Enter and typing only: from the staff
menu to the settings start page, the unit's visit types, a new visit type; first without a length (the
Swedish message stands at its field), then complete, and follows the link to the unit's booking page, where
residents are offered it (BOOK-1). Every page visited passes check_page (one h1, skip link, axe-core).
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import check_page, log_in, on_path
from tests.browser.test_settings_keyboard_journey import _follow, _tab_to, _text_is
from tests.sessions import staff_identity


def _field(page, name: str) -> None:
    """From the h1, Tab to the form field `name`."""
    page.locator("h1").focus()
    _tab_to(page, f"el => el.name === {name!r}")


def _choose(page, value: str) -> None:
    """In the focused closed list, arrow down to the option `value`."""
    for _ in range(12):
        if page.evaluate("document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == value


@pytest.mark.rule("BOOK-1")
def test_the_booking_admin_publishes_a_visit_type_by_keyboard_and_it_is_offered_on_the_booking_page(
    page, browser_context, live_server, demo, demo_booking_admin_x, demo_unit_x, expected_console_errors
):
    from vardnav.bookings.models import VisitType

    expected_console_errors.append("the server responded with a status of 422")  # the refused form, on purpose

    log_in(
        browser_context, live_server.url, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role="booking_admin")
    )
    page.goto("/personal/")
    _tab_to(page, _text_is("Inställningar"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(on_path("/personal/installningar/"))
    check_page(page, h1="Inställningar")

    _follow(page, f"Besökstyper på {demo_unit_x.name}", h1="Besökstyper")
    _follow(page, "Lägg till en besökstyp", h1="Ny besökstyp")

    _field(page, "name")
    page.keyboard.type("Blodtryckskontroll")
    _field(page, "name_en")
    page.keyboard.type("Blood pressure check")
    _field(page, "kind")
    _choose(page, "nurse_visit")
    _field(page, "profession")  # the length before it is left empty at first
    _choose(page, "nurse")
    _tab_to(page, _text_is("Lägg till besökstypen"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_page(page, h1="Ny besökstyp")
    length = page.locator("#visit-type-duration_minutes")
    assert length.get_attribute("aria-invalid") == "true"
    described = length.get_attribute("aria-describedby") or ""
    messages = " ".join(page.locator(f"#{ident}").inner_text() for ident in described.split())
    assert "Besökets längd ska vara mellan 5 och 240 minuter." in messages
    assert not VisitType.objects.filter(unit=demo_unit_x, name="Blodtryckskontroll").exists()

    _field(page, "duration_minutes")
    page.keyboard.type("15")
    _tab_to(page, _text_is("Lägg till besökstypen"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_page(page, h1="Besökstyper")
    assert "Besökstypen Blodtryckskontroll är tillagd." in page.get_by_role("status").inner_text()
    visit_type = VisitType.objects.get(unit=demo_unit_x, name="Blodtryckskontroll")
    assert (visit_type.name_en, visit_type.duration_minutes, visit_type.profession) == (
        "Blood pressure check",
        15,
        "nurse",
    )

    _follow(page, "Visa mottagningens bokningssida", h1="Boka tid")
    assert page.get_by_role("link", name="Blodtryckskontroll").is_visible()
