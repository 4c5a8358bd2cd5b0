"""Journeys through the public pages, logged out: the start page and a unit's page."""

from __future__ import annotations

from tests.browser.helpers import check_page, on_path


def test_the_start_page_is_usable_by_keyboard_and_passes_axe(page):
    response = page.goto("/")
    assert response is not None and response.status == 200
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    check_page(page, h1="Vårdnav", screenshot_name="start")


def test_a_unit_page_shows_the_unit_and_passes_axe(page, demo_unit_x):
    response = page.goto(f"/mottagningar/{demo_unit_x.slug}/")
    assert response is not None and response.status == 200
    check_page(page, h1=demo_unit_x.name, screenshot_name="unit-page")
    assert page.get_by_text(demo_unit_x.phone).first.is_visible()


def test_the_list_of_units_links_to_each_unit_page(page, demo_unit_x):
    page.goto("/mottagningar/")
    check_page(page, h1="Mottagningar", screenshot_name="unit-list")
    page.get_by_role("link", name=demo_unit_x.name).first.click()
    page.wait_for_url(on_path(f"/mottagningar/{demo_unit_x.slug}/"))
    assert demo_unit_x.name in page.locator("h1").inner_text()
