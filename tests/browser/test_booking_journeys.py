"""Booking in the browser: a unit's free time → BankID login → confirmation with the code → "Avboka tid".

Every page visited passes check_page (one h1, skip link, axe-core WCAG 2.1 AA).
The login itself is the session cookie (tests/sessions.py); the BankID flow
has its own journeys in test_login_journeys.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.helpers import check_page, focused_element, log_in, on_path
from tests.sessions import resident_identity

pytestmark = pytest.mark.browser


@pytest.fixture
def free_time(demo, demo_unit_x):
    """A nurse visit at unit X five days ahead, 10:00 Swedish time, and no other free time of that type."""
    from vardnav.bookings.models import Slot, VisitType
    from vardnav.core import clock
    from vardnav.core.clock import STOCKHOLM

    visit_type = VisitType.objects.get(unit=demo_unit_x, name="Sjuksköterskebesök")
    Slot.objects.filter(visit_type=visit_type).delete()
    starts = dt.datetime.combine(clock.today() + dt.timedelta(days=5), dt.time(10, 0), tzinfo=STOCKHOLM)
    return Slot.objects.create(
        unit=demo_unit_x,
        visit_type=visit_type,
        resource="Rum 2",
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=20),
        created_at=clock.now(),
    )


def test_book_a_time_see_the_code_once_and_cancel_with_it_without_logging_in(
    page, browser_context, live_server, demo_unit_x, demo_resident_a, free_time
):
    from vardnav.bookings.models import Booking, BookingStatus

    # The unit page says how the unit takes visits (BOOK-1) and leads to booking.
    page.goto(f"/mottagningar/{demo_unit_x.slug}/")
    check_page(page, h1=demo_unit_x.name)
    page.get_by_role("link", name="Boka tid", exact=True).click()
    page.wait_for_url(on_path(f"/mottagningar/{demo_unit_x.slug}/boka/"))
    check_page(page, h1="Boka tid")

    page.get_by_role("link", name="Sjuksköterskebesök").click()
    check_page(page, h1="Boka tid", screenshot_name="booking-free-times")
    page.get_by_role("link", name="10.00").click()

    # BOOK-2: booking needs a BankID login, which comes back to the chosen time.
    page.wait_for_url(on_path("/logga-in/"))
    next_path = parse_qs(urlsplit(page.url).query)["next"][0]
    assert next_path == f"/boka/tid/{free_time.pk}/"
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto(next_path)
    check_page(page, h1="Bekräfta bokningen")
    assert "kort eller Swish" in page.inner_text("main")
    page.get_by_role("button", name="Boka tiden").click()

    page.wait_for_url(lambda url: "/mina-sidor/bokningar/" in url)
    check_page(page, h1="Din tid är bokad", screenshot_name="booking-confirmation")
    code = page.locator("#cancellation-code").inner_text()
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.BOOKED and booking.person == demo_resident_a

    # The booking is under Mina bokningar.
    page.get_by_role("link", name="Mina bokningar").first.click()
    check_page(page, h1="Mina bokningar")
    assert "Sjuksköterskebesök" in page.inner_text("main")

    # Anyone with the code cancels on "Avboka tid", logged out.
    browser_context.clear_cookies()
    page.goto("/avboka-tid/")
    check_page(page, h1="Avboka tid")
    page.get_by_label("Avbokningskod").fill(code)
    page.get_by_role("button", name="Avboka").click()
    page.get_by_text("Tiden är avbokad").wait_for()
    check_page(page, h1="Avboka tid", screenshot_name="booking-cancelled")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def _tab_to(page, predicate: str, *, limit: int = 80) -> dict:
    """Press Tab until the focused element satisfies the JS `predicate`; fail after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({predicate})(el); }}"):
            return focused_element(page)
    raise AssertionError(f"Tab never reached an element matching {predicate} on {page.url}")


def _named(text: str) -> str:
    """A predicate: a link or button whose visible text is `text` (or starts with it, for links with more)."""
    return "el => (el.textContent || '').trim().replace(/\\s+/g, ' ').startsWith(" + repr(text) + ")"


def test_a_time_is_booked_and_cancelled_with_the_keyboard_alone(
    page, browser_context, live_server, demo_unit_x, demo_resident_a, free_time
):
    """Issue 11, item 16: Tab, Enter and typing only, from the unit page to the confirmation and the cancellation."""
    from vardnav.bookings.models import Booking, BookingStatus

    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto(f"/mottagningar/{demo_unit_x.slug}/")
    check_page(page, h1=demo_unit_x.name)
    page.locator("h1").focus()
    _tab_to(page, "el => el.tagName === 'A' && (el.textContent || '').trim() === 'Boka tid'")
    page.keyboard.press("Enter")
    page.wait_for_url(on_path(f"/mottagningar/{demo_unit_x.slug}/boka/"))
    check_page(page, h1="Boka tid")

    page.locator("h1").focus()
    _tab_to(page, _named("Sjuksköterskebesök"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_page(page, h1="Boka tid")
    page.locator("h1").focus()
    _tab_to(page, "el => el.tagName === 'A' && (el.textContent || '').includes('10.00')")
    page.keyboard.press("Enter")

    page.wait_for_url(on_path(f"/boka/tid/{free_time.pk}/"))
    check_page(page, h1="Bekräfta bokningen")
    page.locator("h1").focus()
    button = _tab_to(page, _named("Boka tiden"))
    assert button["tag"] == "button"
    page.keyboard.press("Enter")

    page.wait_for_url(lambda url: "/mina-sidor/bokningar/" in url)
    check_page(page, h1="Din tid är bokad")
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.BOOKED and booking.person == demo_resident_a
    assert booking.slot_id == free_time.pk

    # Cancelling from the booking's own page, also by keyboard.
    page.locator("h1").focus()
    _tab_to(page, "el => el.tagName === 'BUTTON' && (el.textContent || '').trim().startsWith('Avboka')")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Bokning", exact=True).wait_for()
    check_page(page, h1="Bokning")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_the_booking_admin_adds_an_extra_time_books_it_for_a_resident_who_finds_it_and_the_notice(
    page, browser_context, live_server, demo_unit_x, demo_booking_admin_x, demo_resident_a
):
    """Kallelse: extra time → week view → book for a resident by personal number → the resident's notice."""
    from tests.sessions import staff_identity
    from vardnav.bookings.models import Booking
    from vardnav.core import clock
    from vardnav.demo import identities as ids
    from vardnav.organizations.models import Role

    day = clock.today() + dt.timedelta(days=9)
    log_in(browser_context, live_server.url, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role=Role.RECEIVER))
    page.goto("/personal/tidbok/")
    check_page(page, h1=f"Tidbok: {demo_unit_x.name}")
    page.get_by_role("link", name="Veckovy").click()
    check_page(page, h1=f"Tidbok: {demo_unit_x.name}")
    page.get_by_role("link", name="Lägg till en extra tid").click()
    check_page(page, h1="Lägg till en extra tid")
    page.get_by_label("Besökstyp").select_option(label="Sjuksköterskebesök")
    page.get_by_label("Medarbetare").select_option(value=str(demo_booking_admin_x.pk))
    page.get_by_label("Dag").fill(day.isoformat())
    page.get_by_label("Klockan").fill("07:10")
    page.get_by_role("button", name="Publicera tiden").click()
    page.get_by_text("publicerades").wait_for()
    check_page(page, h1=f"Tidbok: {demo_unit_x.name}", screenshot_name="booking-week-view")

    row = page.locator("tr", has_text="07.10–07.30").filter(has_text="Sjuksköterskebesök")
    row.get_by_role("link", name="Ledig – boka åt invånare").click()
    check_page(page, h1="Boka åt en invånare (kallelse)")
    page.get_by_label("Invånarens personnummer").fill("19121212-121")
    page.get_by_role("button", name="Boka tiden").click()
    check_page(page, h1="Boka åt en invånare (kallelse)")
    assert not Booking.objects.exists()
    page.get_by_label("Invånarens personnummer").fill(ids.RESIDENT_A)
    page.get_by_role("button", name="Boka tiden").click()
    page.get_by_text("Invånaren har fått en kallelse").wait_for()
    booking = Booking.objects.get()
    assert booking.person_id == demo_resident_a.pk

    browser_context.clear_cookies()
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto("/mina-sidor/notiser/")
    page.get_by_role("link", name="Mottagningen har bokat en tid åt dig.").click()
    page.wait_for_url(on_path(f"/mina-sidor/bokningar/{booking.pk}/"))
    check_page(page, h1="Bokning")
    assert page.get_by_role("link", name="Boka om").count() >= 1


# --- issue 14, item 6: the "Avboka tid" and "Boka om tid" e-services act on the booking --------------------


def _book_for(person, slot):
    from tests.personas import actor_for
    from vardnav.bookings.actions import do_book

    return do_book(actor_for(person), time_id=slot.pk).booking


def _another_time(slot, *, days: int):
    from vardnav.bookings.models import Slot
    from vardnav.core import clock

    starts = slot.starts_at + dt.timedelta(days=days)
    return Slot.objects.create(
        unit=slot.unit,
        visit_type=slot.visit_type,
        resource="Rum 2",
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=20),
        created_at=clock.now(),
    )


def _moment(slot) -> str:
    from vardnav.bookings.texts import format_moment

    return format_moment(slot.starts_at)


def _open_e_service(page, unit, name: str) -> None:
    """From the menu's e-service list to the unit's e-service `name` (the resident is listed at unit X)."""
    page.goto("/mina-sidor/")
    page.get_by_role("link", name="Skicka ärende", exact=True).first.click()
    page.wait_for_url(on_path("/e-tjanster/"))
    page.get_by_role("link", name=name).first.click()
    page.wait_for_url(lambda url: f"/e-tjanster/{unit.slug}/" in url)
    check_page(page, h1=name)


@pytest.mark.rule("BOOK-3")
def test_avboka_tid_from_the_e_service_list_cancels_the_chosen_booking(
    page, browser_context, live_server, demo_unit_x, demo_resident_a, free_time
):
    from vardnav.bookings.models import BookingStatus
    from vardnav.cases.models import Case

    booking = _book_for(demo_resident_a, free_time)
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    _open_e_service(page, demo_unit_x, "Avboka tid")
    choice = page.get_by_label("Sjuksköterskebesök")
    assert choice.is_checked()  # the only booking at the unit is chosen already
    page.get_by_role("button", name="Avboka vald tid").click()

    page.wait_for_url(on_path(f"/mina-sidor/bokningar/{booking.pk}/"))
    check_page(page, h1="Bokning", screenshot_name="eservice-cancelled")
    assert f"Din tid {_moment(free_time)} är avbokad." in page.inner_text("body")
    page.get_by_role("link", name="Mina bokningar").last.click()
    check_page(page, h1="Mina bokningar")
    upcoming = page.locator("h2", has_text="Kommande").locator("xpath=following-sibling::*[1]")
    assert "Du har inga kommande bokningar." in upcoming.inner_text()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and not Case.objects.exists()


@pytest.mark.rule("BOOK-3")
def test_boka_om_tid_from_the_e_service_list_moves_the_booking_to_a_chosen_free_time(
    page, browser_context, live_server, demo_unit_x, demo_resident_a, free_time, expected_console_errors
):
    from vardnav.bookings.models import Booking, BookingStatus

    expected_console_errors.append("the server responded with a status of 422")  # the form sent without a time

    booking = _book_for(demo_resident_a, free_time)
    later = _another_time(free_time, days=2)
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    _open_e_service(page, demo_unit_x, "Boka om tid")
    page.get_by_role("button", name="Välj ny tid").click()
    check_page(page, h1="Boka om tid")
    # Sending without a time: the error stands at the field.
    page.get_by_role("button", name="Boka om till vald tid").click()
    check_page(page, h1="Boka om tid")
    assert "Välj en ny tid." in page.locator(".field--error").inner_text()
    page.get_by_label("kl. 10.00").check()
    page.get_by_role("button", name="Boka om till vald tid").click()

    page.wait_for_url(lambda url: "/mina-sidor/bokningar/" in url)
    check_page(page, h1="Din tid är bokad")
    assert "Din tid är ombokad." in page.inner_text("main")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    new = Booking.objects.get(status=BookingStatus.BOOKED)
    assert new.slot_id == later.pk and booking.rebooked_as_id == new.pk


def test_a_resident_on_the_waiting_list_sees_the_offer_and_books_the_freed_time(
    page, browser_context, live_server, demo_unit_x, demo_resident_a, demo_resident_b, free_time
):
    from tests.personas import actor_for
    from vardnav.bookings.actions import do_cancel
    from vardnav.bookings.models import Booking, BookingStatus

    taken = _book_for(demo_resident_b, free_time)  # the only time of the visit type is taken
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto(f"/mottagningar/{demo_unit_x.slug}/boka/")
    page.get_by_role("link", name="Sjuksköterskebesök").click()
    check_page(page, h1="Boka tid")
    assert "Det finns inga lediga tider" in page.inner_text("main")
    page.get_by_role("button", name="Ställ mig i kö").click()
    page.wait_for_url(on_path("/mina-sidor/bokningar/"))
    check_page(page, h1="Mina bokningar")
    assert "Du står i kö." in page.inner_text("main")

    do_cancel(actor_for(demo_resident_b), taken)  # another resident cancels: the time is offered to the first

    page.goto("/mina-sidor/notiser/")
    check_page(page, h1="Notiser")
    page.get_by_role("link", name="En tid har blivit ledig. Boka den innan någon annan gör det.").click()
    page.wait_for_url(on_path(f"/boka/tid/{free_time.pk}/"))
    check_page(page, h1="Bekräfta bokningen")
    page.get_by_role("button", name="Boka tiden").click()
    page.wait_for_url(lambda url: "/mina-sidor/bokningar/" in url)
    check_page(page, h1="Din tid är bokad")
    page.get_by_role("link", name="Mina bokningar").last.click()
    check_page(page, h1="Mina bokningar")
    assert "Väntelista" not in page.inner_text("main")  # booking ends the place in line
    assert Booking.objects.get(status=BookingStatus.BOOKED).person_id == demo_resident_a.pk
