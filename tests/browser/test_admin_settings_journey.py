"""Issue 11, item 13: a unit's listed residents, kept in the settings area instead of the Django admin, with
the keyboard alone. Region Västerå's administrator goes from the settings start page to the unit's listed
residents, types a personal number that is not in the population register (the error is at the field, and
the field is named by it), then a right one, and the resident is listed. Every page passes check_page
(one h1, skip link, axe-core)."""

from __future__ import annotations

import pytest

from tests.browser.helpers import check_page, log_in, on_path
from tests.browser.test_settings_keyboard_journey import _follow, _tab_to, _text_is
from tests.sessions import staff_identity


def _submit_number(page, number: str) -> None:
    page.locator("h1").focus()
    _tab_to(page, "el => el.name === 'personal_number'")
    page.keyboard.press("Control+a")
    page.keyboard.type(number)
    _tab_to(page, _text_is("Lista invånaren"))
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.rule("ORG-4")
def test_the_administrator_lists_a_resident_by_keyboard_and_sees_a_wrong_number_at_its_field(
    page, browser_context, live_server, demo, demo_provider_admin_other, demo_other_unit, expected_console_errors
):
    from vardnav.demo import identities as ids
    from vardnav.organizations.models import Listing

    expected_console_errors.append("the server responded with a status of 422")  # the wrong number, on purpose
    log_in(browser_context, live_server.url, staff_identity(demo_provider_admin_other))
    page.goto("/personal/")
    page.wait_for_url(on_path("/personal/installningar/"))
    check_page(page, h1="Inställningar")
    _follow(page, demo_other_unit.name, h1=demo_other_unit.name)
    _follow(page, "Listade invånare", h1="Listade invånare")

    _submit_number(page, "19990101-0000")

    field = page.locator("#listing-personal_number")
    assert field.get_attribute("aria-invalid") == "true"
    described = " ".join(
        page.locator(f"#{ident}").inner_text() for ident in (field.get_attribute("aria-describedby") or "").split()
    )
    assert "folkbokföringen" in described
    check_page(page, h1="Listade invånare")

    _submit_number(page, ids.AGED_85)

    assert "Invånaren är listad på mottagningen." in page.get_by_role("status").inner_text()
    assert "19410101-****" in page.locator("table").inner_text()
    check_page(page, h1="Listade invånare")
    assert Listing.objects.filter(unit=demo_other_unit, ended_at__isnull=True).exists()
