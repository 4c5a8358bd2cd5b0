"""Logging in as the people do: a guardian with BankID (QR on another device), staff through the IdP.

The BankID app is the simulator of vardnav.bankid_simulator.testing (a real
server over mutual TLS); the staff IdP is the local demo IdP at /demo-idp/,
spoken to over HTTP by the login view like the real one.
"""

from __future__ import annotations

import datetime as dt
import io
from importlib import import_module
from urllib.parse import urlsplit

import pytest
import time_machine
import zxingcpp
from django.conf import settings
from PIL import Image

from tests.browser.helpers import check_page, on_path
from vardnav.core.clock import STOCKHOLM
from vardnav.demo import identities as ids

# The demo identities' ages are as of this day (demo/identities.py).
DEMO_DAY = dt.datetime(2026, 11, 22, 10, 0, tzinfo=STOCKHOLM)
NURSE_AT_UNIT_X_WITH_TWO_ROLES = "SE2321000901-NC02"  # receiver and handler (vardnav/demo/data.py)


@pytest.fixture
def demo_day():
    # Ticking: the simulator's and the live server's threads need time to pass.
    with time_machine.travel(DEMO_DAY, tick=True) as traveller:
        yield traveller


def server_session(browser_context) -> dict:
    """The server-side session of this browser (the cookie holds only its id)."""
    cookie = next(c for c in browser_context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"]).load()


@pytest.mark.rule("ID-2")
def test_a_guardian_logs_in_with_the_bankid_qr_and_acts_for_the_8_year_old_but_not_the_17_year_old(
    page, browser_context, bankid_simulator, demo_guardian, demo_child_8, demo_child_17, demo_day
):
    page.goto("/logga-in/")
    check_page(page, h1="Logga in", screenshot_name="login")
    page.get_by_role("button", name="Logga in med BankID").click()

    qr = page.locator("#bankid-qr svg")
    qr.wait_for(state="visible")
    check_page(page, h1="Logga in", screenshot_name="login-bankid-qr")
    order_ref = server_session(browser_context)["bankid_order"]["order_ref"]
    bankid_simulator.approve(order_ref, ids.GUARDIAN)

    # The page's script polls the status and follows the redirect to the choice of person.
    page.wait_for_url(on_path("/valj-person/"))
    check_page(page, h1="Välj vem du vill agera för", screenshot_name="choose-person")
    refused = page.locator(".person-choice__unavailable")
    assert demo_child_17.given_name in refused.inner_text() and "kan inte väljas" in refused.inner_text()
    assert page.get_by_role("button", name=demo_child_17.given_name).count() == 0

    page.get_by_role("button", name=f"{demo_child_8.given_name} (8 år)").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/valj-person/")
    banner = page.get_by_text("Du agerar för")
    assert banner.is_visible()
    assert demo_child_8.given_name in page.locator(".acting-for__text").inner_text()
    assert server_session(browser_context)["identity"]["acting_for_id"] == demo_child_8.pk
    check_page(page, h1="", screenshot_name="acting-for-child")


def scan_qr(page) -> str:
    """What a phone's camera would read from the QR code on the screen right now."""
    image = Image.open(io.BytesIO(page.locator("#bankid-qr").screenshot()))
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode, "no scannable QR code on the page"
    return found[0].text


@pytest.mark.rule("ID-1")
def test_the_desktop_bankid_qr_code_stays_scannable_as_it_refreshes(
    page, browser_context, bankid_simulator, demo_guardian, demo_day
):
    """The animated code changes every second; each new image must still be a QR code a phone can read."""
    page.goto("/logga-in/")
    page.get_by_role("button", name="Logga in med BankID").click()
    page.locator("#bankid-qr svg").wait_for(state="visible")
    order = server_session(browser_context)["bankid_order"]
    token = order["qr_start_token"]

    seen: list[int] = []
    for _ in range(4):
        # The code on screen is SVG in the SVG namespace, laid out as an image with a size, not text.
        page.wait_for_function(
            """() => {
                const node = document.querySelector("#bankid-qr > *");
                return node && node.namespaceURI === "http://www.w3.org/2000/svg" && node.localName === "svg"
                    && node.getBoundingClientRect().width > 100;
            }""",
            timeout=3000,
        )
        text = scan_qr(page)
        prefix, qr_token, seconds, code = text.split(".")
        assert (prefix, qr_token) == ("bankid", token) and len(code) == 64
        seen.append(int(seconds))
        page.wait_for_timeout(1300)
    assert seen == sorted(seen) and seen[-1] >= seen[0] + 3, f"the code did not refresh every second: {seen}"

    bankid_simulator.approve(order["order_ref"], ids.GUARDIAN)
    page.wait_for_url(on_path("/valj-person/"))


def test_cancelling_in_the_bankid_app_leaves_one_way_forward_and_no_dead_buttons(
    page, browser_context, bankid_simulator, demo_guardian, demo_day
):
    page.goto("/logga-in/")
    page.get_by_role("button", name="Logga in med BankID").click()
    page.locator("#bankid-qr svg").wait_for(state="visible")
    bankid_simulator.user_cancel(server_session(browser_context)["bankid_order"]["order_ref"])

    again = page.get_by_role("link", name="Försök igen")
    again.wait_for(state="visible")
    for dead in ("Öppna BankID", "Avbryt", "Jag har legitimerat mig"):
        assert not page.get_by_role("link", name=dead).is_visible()
        assert not page.get_by_role("button", name=dead).is_visible()
    assert not page.locator("#bankid-qr").is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Försök igen"
    check_page(page, h1="Logga in")

    again.click()
    page.get_by_role("button", name="Logga in med BankID").click()
    page.locator("#bankid-qr svg").wait_for(state="visible")


@pytest.mark.rule("ID-5")
def test_staff_log_in_through_the_local_idp_and_choose_their_unit_and_role(page, live_server, settings, demo_unit_x):
    settings.STAFF_OIDC_ISSUER = f"{live_server.url}/demo-idp"
    page.goto("/personal/logga-in/")
    check_page(page, h1="Logga in som personal", screenshot_name="staff-login")
    page.get_by_role("link", name="Logga in med e-tjänstekort").click()

    page.wait_for_url(on_path("/demo-idp/authorize"))
    check_page(page, h1="Demo-inloggning för personal", screenshot_name="demo-idp")
    page.locator(f'button[name="hsa_id"][value="{NURSE_AT_UNIT_X_WITH_TWO_ROLES}"]').first.click()

    page.wait_for_url(on_path("/personal/valj-enhet/"))
    check_page(page, h1="Välj enhet", screenshot_name="staff-choose-unit")
    card = page.locator(".card", has=page.get_by_role("heading", name=demo_unit_x.name))
    card.get_by_role("button", name="Ärendemottagare").click()

    page.wait_for_url(on_path("/personal/"))
    assert demo_unit_x.name in page.content()
