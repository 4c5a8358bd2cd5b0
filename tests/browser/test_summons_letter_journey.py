"""PRIV-4 in the browser: the booking admin finds the summons letters from the tidbok, sees the time only
("Skyddade personuppgifter", never the address or the visit type) and marks the letter posted.

Every page visited passes check_page (one h1, skip link, axe-core).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.helpers import check_page, log_in

pytestmark = pytest.mark.browser


@pytest.mark.rule("PRIV-4")
def test_the_booking_admin_finds_prints_and_marks_a_summons_letter_posted(
    page, browser_context, live_server, demo_unit_x, demo_booking_admin_x, protected_resident
):
    from tests.personas import actor_for
    from tests.sessions import staff_identity
    from vardnav.bookings.actions import do_summon
    from vardnav.bookings.models import Slot, SummonsLetter, VisitType
    from vardnav.core import clock
    from vardnav.core.clock import STOCKHOLM
    from vardnav.demo import identities as ids
    from vardnav.organizations.models import Role

    visit_type = VisitType.objects.get(unit=demo_unit_x, name="Sjuksköterskebesök")
    starts = dt.datetime.combine(clock.today() + dt.timedelta(days=6), dt.time(7, 40), tzinfo=STOCKHOLM)
    slot = Slot.objects.create(
        unit=demo_unit_x,
        visit_type=visit_type,
        resource="Rum 2",
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=20),
        created_at=clock.now(),
    )
    admin = actor_for(demo_booking_admin_x, unit=demo_unit_x, role=Role.BOOKING_ADMIN)
    do_summon(admin, time_id=slot.pk, personal_number=ids.PROTECTED)
    letter = SummonsLetter.objects.get()

    log_in(browser_context, live_server.url, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role=Role.RECEIVER))
    page.goto("/personal/tidbok/")
    check_page(page, h1=f"Tidbok: {demo_unit_x.name}")
    page.get_by_role("link", name="Kallelsebrev att skicka").click()
    check_page(page, h1="Kallelsebrev att skicka")
    row = page.locator("tr", has_text="07.40")
    assert row.get_by_text("Skyddade personuppgifter").count() == 1
    assert "Sjuksköterskebesök" not in page.content() and "Box 1000" not in page.content()
    assert page.get_by_role("link", name="Ladda ner kallelsebreven att skriva ut (PDF, 1 st.)").count() == 1
    page.get_by_role("button", name="Markera valda kallelsebrev som skickade").click()
    page.get_by_text("1 kallelsebrev är markerade som skickade.").wait_for()
    check_page(page, h1="Kallelsebrev att skicka")
    assert page.get_by_text("Inga kallelsebrev väntar på att skickas.").count() == 1
    letter.refresh_from_db()
    assert letter.posted_at is not None
