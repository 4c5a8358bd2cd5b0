"""The staff case page as a workspace, in the browser (issue 11, item 12).

Each test would have caught one of the problems staff met: a handler chosen
for them, a default outcome that closed a case "Besvarat" by mistake, an error
shown away from its field, a picture they had to open to see, and an action
panel the keyboard could not use.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import check_page, focused_element, log_in, on_path
from tests.personas import actor_for
from tests.sessions import staff_identity

pytestmark = pytest.mark.browser


@pytest.fixture
def attachment_folder(settings, tmp_path, page):
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "vardnav.attachments.storage.DurableFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "attachments"},
        },
    }
    yield
    # The last page may still be loading the picture: let it finish before the storage setting is restored.
    page.wait_for_load_state("networkidle")


@pytest.fixture
def case_with_picture(demo, attachment_folder, demo_resident_a, demo_unit_x):
    """Resident A asks unit X about a rash and sends a photo of it; not yet distributed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from vardnav.attachments import corpus
    from vardnav.attachments.validation import check_uploads
    from vardnav.cases.actions import do_submit_case
    from vardnav.catalog.models import Service, ServiceKind

    service = Service.objects.get(provider_id=demo_unit_x.provider_id, kind=ServiceKind.CONTACT_UNIT)
    picture = SimpleUploadedFile("utslag.png", corpus.png_with_gps(), content_type="image/png")
    return do_submit_case(
        actor_for(demo_resident_a),
        service=service,
        unit=demo_unit_x,
        answers={"subject": "Utslag", "question": "Ett utslag på armen som inte går över."},
        files=check_uploads([picture], max_files=5),
    )


def _open_as(page: Any, browser_context: Any, live_server: Any, staff: Any, unit: Any, role: str, case: Any) -> None:
    browser_context.clear_cookies()
    log_in(browser_context, live_server.url, staff_identity(staff, unit=unit, role=role))
    page.goto(f"/personal/arenden/{case.pk}/")
    check_page(page, h1=case.service.name)


def _error_at(page: Any, control_id: str) -> str:
    """The visible error text inside the field block of the control, or '' when none is shown there."""
    return page.evaluate(
        """id => {
            const control = document.getElementById(id);
            const field = control && control.closest('.field');
            const error = field && field.querySelector('.errorlist');
            return error && error.offsetParent !== null ? error.textContent.trim() : '';
        }""",
        control_id,
    )


def test_the_receiver_sees_the_picture_chooses_the_handler_and_is_told_at_the_list(
    page, browser_context, live_server, expected_console_errors, case_with_picture, demo_receiver_x, demo_unit_x
):
    from vardnav.cases.models import CaseStatus

    expected_console_errors.append("the server responded with a status of 422")
    case = case_with_picture
    _open_as(page, browser_context, live_server, demo_receiver_x, demo_unit_x, "receiver", case)

    # Inline image preview: the photo is on the case page, loaded, without opening it.
    picture = page.locator(".dialogue .inline-preview img")
    assert picture.count() == 1
    picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const img = document.querySelector('.dialogue .inline-preview img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    assert picture.is_visible()

    # No pre-selected handler: the list starts on "Välj ärendehanterare".
    panel = page.get_by_role("tabpanel", name="Fördela")
    handler_list = panel.get_by_label("Ärendehanterare")
    assert handler_list.input_value() == ""
    assert handler_list.locator("option:checked").inner_text() == "Välj ärendehanterare"

    # Sending it anyway is refused at the list itself, with the summary first for the keyboard.
    panel.get_by_role("button", name="Fördela ärendet").click()
    page.locator("[data-error-summary]").wait_for()
    assert "Välj en ärendehanterare" in _error_at(page, "distribute-handler")
    assert page.get_by_role("tab", name="Fördela").get_attribute("aria-selected") == "true"
    check_page(page, h1=case.service.name, screenshot_name="staff-workspace-error-at-field")
    case.refresh_from_db()
    assert case.assigned_to_id is None and case.status == CaseStatus.NEW


def test_closing_with_an_answer_needs_an_outcome_the_handler_chose(
    page,
    browser_context,
    live_server,
    expected_console_errors,
    case_with_picture,
    demo_receiver_x,
    demo_handler_x,
    demo_unit_x,
):
    from vardnav.cases.actions import do_distribute_case
    from vardnav.cases.models import CaseStatus, Message, MessageKind

    expected_console_errors.append("the server responded with a status of 422")
    case = case_with_picture
    do_distribute_case(actor_for(demo_receiver_x, unit=demo_unit_x, role="receiver"), case, handler=demo_handler_x)
    _open_as(page, browser_context, live_server, demo_handler_x, demo_unit_x, "handler", case)
    check_page(page, h1=case.service.name, screenshot_name="staff-workspace")

    reply = page.get_by_role("tabpanel", name="Svara")
    reply.get_by_label("Svar till invånaren").fill("Det ser ut som eksem. Smörj med mjukgörande kräm.")
    reply.get_by_label("Avsluta ärendet med svaret").check()
    outcome = reply.get_by_label("Utfall om ärendet avslutas")
    assert outcome.input_value() == "", "no outcome is chosen for the handler"
    reply.get_by_role("button", name="Skicka svar").click()

    page.locator("[data-error-summary]").wait_for()
    assert "Välj ett utfall" in _error_at(page, "id_outcome")
    # What was written is still there, and nothing was sent or closed.
    assert "eksem" in page.get_by_role("tabpanel", name="Svara").get_by_label("Svar till invånaren").input_value()
    case.refresh_from_db()
    assert case.status != CaseStatus.CLOSED
    assert not Message.objects.filter(case=case, kind=MessageKind.REPLY).exists()

    page.get_by_role("tabpanel", name="Svara").get_by_label("Utfall om ärendet avslutas").select_option(
        label="Besvarat"
    )
    page.get_by_role("tabpanel", name="Svara").get_by_role("button", name="Skicka svar").click()
    page.get_by_text("Svaret är skickat till invånaren.").wait_for()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == "answered"


def test_the_action_panel_is_used_with_the_keyboard_alone(
    page, browser_context, live_server, case_with_picture, demo_receiver_x, demo_handler_x, demo_unit_x
):
    from vardnav.cases.actions import do_distribute_case
    from vardnav.records.models import RecordNote

    case = case_with_picture
    do_distribute_case(actor_for(demo_receiver_x, unit=demo_unit_x, role="receiver"), case, handler=demo_handler_x)
    _open_as(page, browser_context, live_server, demo_handler_x, demo_unit_x, "handler", case)
    tabs = page.get_by_role("tablist", name="Åtgärder").get_by_role("tab")
    assert [tabs.nth(i).inner_text() for i in range(tabs.count())] == ["Svara", "Motfråga", "Avsluta", "Anteckning"]

    # Tab reaches the selected tab (only it is in the Tab order), arrows move between tabs and show their panel.
    page.locator("h1").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if focused_element(page)["text"] == "Svara" and page.evaluate("document.activeElement.role === 'tab'"):
            break
    else:
        raise AssertionError("Tab never reached the selected tab")
    page.keyboard.press("ArrowRight")
    assert focused_element(page)["text"] == "Motfråga"
    assert page.get_by_role("tabpanel", name="Motfråga").is_visible()
    assert page.locator("#svara").is_hidden()
    page.keyboard.press("End")
    assert focused_element(page)["text"] == "Anteckning"
    page.keyboard.press("ArrowRight")  # wraps to the first
    assert focused_element(page)["text"] == "Svara"
    page.keyboard.press("ArrowLeft")
    assert focused_element(page)["text"] == "Anteckning"
    note_panel = page.get_by_role("tabpanel", name="Anteckning")
    assert note_panel.is_visible()
    check_page(page, h1=case.service.name, screenshot_name="staff-workspace-note-tab")

    # Into the panel with Tab: sign a record note with the keyboard; the page comes back on the same tab.
    note_panel.locator("#record-body").focus()
    page.keyboard.type("Eksem på underarmen. Råd om mjukgörande.")
    note_panel.get_by_role("button", name="Signera anteckningen").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Anteckningen är signerad.").wait_for()
    page.wait_for_url(on_path(f"/personal/arenden/{case.pk}/"))
    assert page.get_by_role("tab", name="Anteckning").get_attribute("aria-selected") == "true"
    note = RecordNote.objects.get(case=case)
    assert note.author_id == demo_handler_x.pk and note.body.startswith("Eksem på underarmen")
