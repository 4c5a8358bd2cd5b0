"""QA-1 in the browser: a peer reviewer finds the queue from the staff start page, opens a picked case, submits an
assessment with a missing answer and sees the error next to that question, then signs it.

Every page visited passes check_page (one h1, skip link, axe-core WCAG 2.1 AA).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.helpers import check_page, log_in, on_path
from tests.sessions import staff_identity
from vardnav.core.clock import STOCKHOLM
from vardnav.quality.actions import do_select_peer_reviews
from vardnav.quality.tests.builders import appoint, close_cases

DAY = dt.datetime.now(tz=STOCKHOLM).date() + dt.timedelta(days=10)  # ahead of the world, see quality/tests


@pytest.mark.rule("QA-1")
def test_a_reviewer_finds_the_queue_and_signs_an_assessment_after_fixing_a_missing_answer(
    page, browser_context, live_server, world: Any, expected_console_errors
):
    from vardnav.quality.models import PeerReview, PeerReviewPick

    expected_console_errors.append("the server responded with a status of 400")  # the missing answer, on purpose
    appoint(world, world.handler_y)
    close_cases(world, DAY, 20)
    do_select_peer_reviews(world.provider, DAY)
    pick = PeerReviewPick.objects.get()

    log_in(browser_context, live_server.url, staff_identity(world.handler_y, unit=world.unit_y, role="handler"))
    page.goto("/personal/")
    page.get_by_role("link", name="Kvalitetsgranskning", exact=True).click()
    page.wait_for_url(on_path("/personal/kvalitet/granskning/"))
    check_page(page, h1="Kvalitetsgranskning", screenshot_name="staff-peer-review-queue")
    page.get_by_role("link", name=f"Granska {pick.case_number}").click()
    page.wait_for_url(on_path(f"/personal/kvalitet/granskning/{pick.pk}/"))
    check_page(page, h1=f"Granskning av ärende {pick.case_number}")
    assert page.get_by_text("Fråga nummer 19").first.is_visible()  # the resident's answers

    def answer(question: str, choice: str) -> None:
        page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()

    answer("Var den medicinska bedömningen rimlig?", "Ja")
    answer("Var dokumentationen tillräcklig?", "Delvis")
    answer("Skedde förskrivningen enligt riktlinjerna?", "Ja")
    answer("Utfall", "Anmärkning")
    page.get_by_label("Lärdom").fill("Dokumentera bedömningen av feber tydligare.")
    page.get_by_role("button", name="Signera granskningen").click()
    page.get_by_role("heading", name="Något behöver rättas").wait_for()
    missing = page.locator(".field--error")
    assert missing.count() == 1
    assert "Fick invånaren svar i tid?" in missing.inner_text()
    assert "Välj Ja, Delvis eller Nej." in missing.inner_text()
    check_page(page, h1=f"Granskning av ärende {pick.case_number}")
    assert not PeerReview.objects.exists()

    answer("Fick invånaren svar i tid?", "Ja")
    page.get_by_role("button", name="Signera granskningen").click()
    page.wait_for_url(on_path("/personal/kvalitet/granskning/"))
    page.get_by_text(f"Granskningen av ärende {pick.case_number} är signerad.").wait_for()
    check_page(page, h1="Kvalitetsgranskning")
    assert page.get_by_text("Inga ärenden väntar på granskning.").is_visible()
    review = PeerReview.objects.get()
    assert review.reviewer_id == world.handler_y.pk
    assert (review.answered_in_time, review.documentation_sufficient, review.outcome) == ("yes", "partly", "remark")
