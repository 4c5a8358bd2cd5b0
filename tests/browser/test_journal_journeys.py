"""The journal in the browser (issue 16): a doctor ends a contact with a shared summary, the resident reads it.

The doctor opens the case, follows the link to its record notes, first types a
code that is not in the ICD-10-SE list (the error summary and the message next
to the field), then signs a summary shared with the resident and closes the
case with it (VISIT-10). The resident
finds "Min journal" in the menu and reads the summary with its diagnosis.
Every page visited passes check_page (one h1, skip link, axe-core WCAG 2.1 AA).
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import check_page, log_in, on_path
from tests.sessions import resident_identity, staff_identity

SUMMARY = "Förkylning utan tecken på bakteriell infektion. Vila och drick mycket. Hör av dig vid feber över tre dagar."


def _answers(items: list[dict]) -> dict:
    """Plausible answers to any questionnaire: text for text, yes for yes/no, the first option of a choice."""
    answers: dict = {}
    for item in items:
        if item["type"] in ("string", "text"):
            answers[item["linkId"]] = "Ont i halsen sedan tre dagar."
        elif item["type"] == "boolean":
            answers[item["linkId"]] = True
        elif item["type"] == "choice":
            answers[item["linkId"]] = item["answerOption"][0]["code"]
    return answers


@pytest.fixture
def contact_case(demo, demo_resident_a, demo_unit_x, demo_receiver_x, demo_handler_x):
    """Resident A's message to unit X, distributed to the unit's doctor (demo_handler_x)."""
    from vardnav.cases.actions import do_distribute_case, do_submit_case
    from vardnav.catalog.access import current_questionnaire
    from vardnav.catalog.models import Service, ServiceKind
    from vardnav.core.actor import Actor, ActorKind

    service = Service.objects.get(provider_id=demo_unit_x.provider_id, kind=ServiceKind.CONTACT_UNIT)
    questionnaire = current_questionnaire(service)
    assert questionnaire is not None
    case = do_submit_case(
        Actor(kind=ActorKind.RESIDENT, person_id=demo_resident_a.pk),
        service=service,
        unit=demo_unit_x,
        answers=_answers(questionnaire.items),
    )
    receiver = Actor(
        kind=ActorKind.STAFF,
        staff_id=demo_receiver_x.pk,
        provider_id=demo_receiver_x.provider_id,
        unit_id=demo_unit_x.pk,
        role="receiver",
    )
    return do_distribute_case(receiver, case, handler=demo_handler_x)


@pytest.mark.rule("VISIT-10")
@pytest.mark.rule("REC-2")
def test_a_doctor_signs_a_shared_summary_and_the_resident_reads_it_in_min_journal(
    page,
    browser_context,
    live_server,
    contact_case,
    demo_resident_a,
    demo_handler_x,
    demo_unit_x,
    expected_console_errors,
):
    from vardnav.records.models import RecordNote

    expected_console_errors.append("the server responded with a status of 422")  # the refused code, on purpose

    case = contact_case
    log_in(browser_context, live_server.url, staff_identity(demo_handler_x, unit=demo_unit_x, role="handler"))
    page.goto(f"/personal/arenden/{case.pk}/")
    page.get_by_role("link", name="Journalanteckningar i ärendet").click()
    page.wait_for_url(on_path(f"/personal/arenden/{case.pk}/journal/"))
    check_page(page, h1="Journalanteckningar")
    assert page.get_by_text("Det finns inga journalanteckningar i ärendet ännu.").is_visible()

    form = page.locator("section#signera")
    form.get_by_role("radio", name="Sammanfattning").check()
    form.get_by_label("Anteckning:", exact=True).fill(SUMMARY)
    form.get_by_label("Diagnoskoder enligt ICD-10-SE (frivilligt)").fill("J06.9, X12.3")
    form.get_by_label("Dela sammanfattningen med invånaren (visas i Min journal)").check()
    form.get_by_role("button", name="Signera anteckningen").click()
    page.get_by_role("heading", name="Något behöver rättas").wait_for()
    assert "X12.3 finns inte i kodlistan för ICD-10-SE" in page.locator(".error-summary").inner_text()
    check_page(page, h1="Journalanteckningar")
    assert not RecordNote.objects.exists()

    form.get_by_label("Diagnoskoder enligt ICD-10-SE (frivilligt)").fill("J06.9")
    form.get_by_label("Avsluta ärendet med sammanfattningen").check()
    form.get_by_role("button", name="Signera anteckningen").click()
    page.get_by_text("Anteckningen är signerad.").wait_for()
    assert page.get_by_text("Ärendet är avslutat").is_visible()
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome == "answered"
    check_page(page, h1="Journalanteckningar", screenshot_name="staff-record-notes")
    signed = page.locator(".record-notes li").first
    assert SUMMARY in signed.inner_text() and "Delad med invånaren" in signed.inner_text()
    assert "J06.9 Akut övre luftvägsinfektion, ospecificerad" in signed.inner_text()

    page.context.clear_cookies()
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto("/arenden/")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Min journal").click()
    page.wait_for_url(on_path("/mina-sidor/journal/"))
    check_page(page, h1="Min journal", screenshot_name="my-journal")
    item = page.locator(".journal li", has=page.get_by_text(SUMMARY))
    assert item.count() == 1
    text = item.inner_text()
    assert "Sammanfattning" in text and demo_unit_x.name in text and case.number in text
    assert "J06.9 Akut övre luftvägsinfektion, ospecificerad" in text
    assert f"Signerad av {demo_handler_x.given_name} {demo_handler_x.surname}" in text
