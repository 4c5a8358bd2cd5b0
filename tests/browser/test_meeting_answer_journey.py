"""VISIT-8 in the browser: the resident finds the proposed time from the case, asks for another time with a note,
and the practitioner (the colleague the visit was handed to) sees the answer and cancels the meeting.

Plain pages (no call), so pytest-django's live server serves them. Every page visited passes check_page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.helpers import check_page, log_in, on_path
from tests.personas import actor_for
from tests.sessions import resident_identity, staff_identity
from vardnav.core import clock
from vardnav.visits.tests.conftest import Digital, build_digital


@pytest.fixture
def digital(world: Any) -> Digital:
    return build_digital()


@pytest.mark.rule("VISIT-8")
def test_the_resident_asks_for_another_time_and_the_practitioner_sees_it_and_cancels(
    page, browser_context, live_server, digital, resident_a
):
    from vardnav.visits.access import current_triage
    from vardnav.visits.actions import do_propose_meeting, do_start_visit
    from vardnav.visits.models import MeetingAnswer, VideoMeeting
    from vardnav.visits.tests.conftest import valid_answers

    digital.on_duty(digital.specialist)
    area = digital.areas["urinvagsinfektion"]
    triage = current_triage(area)
    started = do_start_visit(actor_for(resident_a), area, triage, answers=valid_answers(triage.items), abroad=False)
    at = (clock.now() + dt.timedelta(days=1)).astimezone(clock.STOCKHOLM)
    do_propose_meeting(digital.practitioner(digital.specialist), started.visit, day=at.date().isoformat(), time="10:00")
    case = started.case

    log_in(browser_context, live_server.url, resident_identity(resident_a))
    page.goto(f"/arenden/{case.pk}/")
    page.get_by_role("link", name="Videomöte").first.click()
    page.wait_for_url(on_path(f"/digitalt-vardbesok/besok/{case.pk}/videomote/"))
    check_page(page, h1="Videomöte")
    assert page.get_by_role("button", name="Bekräfta tiden").is_visible()
    page.get_by_label("Vilka tider passar dig bättre? (frivilligt)").fill("Torsdag eftermiddag passar bättre.")
    page.get_by_role("button", name="Be om en annan tid").click()
    page.get_by_text("Behandlaren har fått besked att du vill ha en annan tid.").wait_for()
    check_page(page, h1="Videomöte")
    assert page.locator("#meeting-answer").inner_text() == "Invånaren vill ha en annan tid"
    assert VideoMeeting.objects.get(visit=started.visit).answer == MeetingAnswer.DECLINED

    page.context.clear_cookies()
    log_in(browser_context, live_server.url, staff_identity(digital.specialist, unit=digital.unit, role="handler"))
    page.goto("/personal/notiser/")
    page.get_by_role("link", name=f"Invånaren vill ha en annan tid för videomötet i ärende {case.number}.").click()
    page.wait_for_url(on_path(f"/personal/digitala-besok/{case.pk}/videomote/"))
    check_page(page, h1="Videomöte")
    page.get_by_role("button", name="Ställ in videomötet").click()
    page.get_by_text("Videomötet är inställt.").wait_for()
    check_page(page, h1="Videomöte")
    assert VideoMeeting.objects.get(visit=started.visit).cancelled_at is not None
