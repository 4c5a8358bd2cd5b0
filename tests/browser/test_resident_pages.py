"""A resident finding their way and filling in forms, as a person sees it (issue 11).

Errors stand next to their fields and are read with them (aria-describedby to an
element that exists), and focus goes to the error summary after a failed save.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.accessibility import assert_accessible
from tests.browser.helpers import check_page, log_in
from tests.sessions import resident_identity


def describedby_texts(page: Any, selector: str) -> list[str]:
    """The texts a screen reader reads with the control: every id in its aria-describedby, which must exist."""
    return page.evaluate(
        """(selector) => {
            const control = document.querySelector(selector);
            const ids = (control.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
            return ids.map((id) => {
                const el = document.getElementById(id);
                return el === null ? `MISSING #${id}` : el.textContent.trim();
            });
        }""",
        selector,
    )


@pytest.mark.rule("ID-6")
def test_profile_errors_are_linked_to_their_fields_styled_and_focused_in_the_summary(
    page, browser_context, live_server, demo_resident_a, expected_console_errors
):
    expected_console_errors.append("the server responded with a status of 400")  # the refused save
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto("/mina-sidor/profil/")
    check_page(page, h1="Min profil")

    page.get_by_label("E-postadress").fill("inte-en-adress")
    page.get_by_label("Mobilnummer").fill("12")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_load_state()

    # Focus lands on the summary of what to fix, and each line links to its field.
    focused = page.evaluate("() => document.activeElement.getAttribute('data-error-summary')")
    assert focused is not None, "focus should move to the error summary after a failed save"
    summary = page.locator("[data-error-summary]")
    assert "Skriv en giltig e-postadress" in summary.inner_text()
    summary.get_by_role("link", name="E-postadress").click()
    assert page.evaluate("() => document.activeElement.id") == "id_email"

    # Each error is read with its field: aria-describedby names elements that exist and hold the message.
    email_texts = describedby_texts(page, "#id_email")
    phone_texts = describedby_texts(page, "#id_phone")
    assert not any(text.startswith("MISSING") for text in email_texts + phone_texts), (email_texts, phone_texts)
    assert any("Skriv en giltig e-postadress" in text for text in email_texts)
    assert any("Skriv ett giltigt telefonnummer" in text for text in phone_texts)
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"

    # The error is styled as an error: the design system's danger colour, and the field marked.
    error = page.locator("#id_email_error")
    assert error.evaluate("(el) => getComputedStyle(el).fontWeight") == "700"
    assert error.evaluate("(el) => getComputedStyle(el).color") != page.locator("body").evaluate(
        "(el) => getComputedStyle(el).color"
    )
    assert page.locator(".field--error").count() == 2
    check_page(page, h1="Min profil", screenshot_name="profile-errors")


@pytest.fixture
def answered_case(demo_resident_a, demo_unit_x, demo_receiver_x, demo_handler_x):
    """Resident A's question, distributed to handler X, who asked something back: one unread answer."""
    from vardnav.cases.actions import do_ask_question, do_distribute_case, do_submit_case
    from vardnav.catalog.models import Service, ServiceKind
    from vardnav.core.actor import Actor, ActorKind

    service = Service.objects.get(provider_id=demo_unit_x.provider_id, kind=ServiceKind.CONTACT_UNIT)
    case = do_submit_case(
        Actor(kind=ActorKind.RESIDENT, person_id=demo_resident_a.pk),
        service=service,
        unit=demo_unit_x,
        answers={"subject": "Utslag", "question": "Ett utslag som inte går över."},
    )

    def staff(member, role):
        return Actor(
            kind=ActorKind.STAFF,
            staff_id=member.pk,
            provider_id=demo_unit_x.provider_id,
            unit_id=demo_unit_x.pk,
            role=role,
        )

    do_distribute_case(staff(demo_receiver_x, "receiver"), case, handler=demo_handler_x)
    case.refresh_from_db()
    do_ask_question(staff(demo_handler_x, "handler"), case, body="Hur länge har du haft utslaget?")
    return case


@pytest.mark.rule("ORG-6")
def test_a_resident_finds_every_page_from_the_menu_and_the_start_page_shows_the_new_answer(
    page, browser_context, live_server, demo_resident_a, demo_unit_x, answered_case
):
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto("/")
    check_page(page, h1="Välkommen till Vårdnav", screenshot_name="start-logged-in")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    for entry in ("Start", "Skicka ärende", "Läkemedel", "Mina sidor"):
        assert menu.get_by_role("link", name=entry, exact=True).is_visible(), entry
    assert menu.get_by_role("link", name="Mina ärenden 1 oläst").is_visible()
    new_answers = page.get_by_role("region", name="Nya svar")
    assert new_answers.get_by_role("link", name=answered_case.service.name).is_visible()
    common = page.get_by_role("region", name="Vanliga ärenden")
    assert common.get_by_role("link", name="Förnya ett recept").is_visible()

    # Mina sidor is a hub of the resident's own pages; the log extract is "Vem har läst min journal".
    menu.get_by_role("link", name="Mina sidor").click()
    check_page(page, h1="Mina sidor", screenshot_name="my-pages")
    assert (
        page.get_by_role("navigation", name="Huvudmeny")
        .get_by_role("link", name="Mina sidor")
        .get_attribute("aria-current")
        == "page"
    )
    for title in ("Min profil", "Notiser", "Inställningar"):
        assert page.get_by_role("link", name=title, exact=True).first.is_visible(), title
    page.get_by_role("link", name="Vem har läst min journal").click()
    assert page.url.endswith("/mina-sidor/loggutdrag/")

    # Support is in the footer of every page (ORG-6).
    page.get_by_role("contentinfo").get_by_role("link", name="Support", exact=True).click()
    check_page(page, h1="Support")

    # A unit's page offers to send a case there.
    page.goto(f"/mottagningar/{demo_unit_x.slug}/")
    page.get_by_role("link", name="Skicka ärende hit").click()
    assert page.url.endswith(f"/e-tjanster/{demo_unit_x.slug}/")


def test_the_e_services_of_a_unit_are_grouped_with_common_tasks_first(
    page, browser_context, live_server, demo_resident_a, demo_unit_x
):
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto(f"/e-tjanster/{demo_unit_x.slug}/")
    check_page(page, h1=demo_unit_x.name, screenshot_name="unit-services")
    groups = page.locator(".service-group h2").all_inner_texts()
    assert groups[0] == "Vanliga ärenden", groups
    first = page.locator(".service-group").first.locator(".card").first
    assert first.locator(".card__summary").inner_text().strip()
    assert first.locator(".card__meta").inner_text().startswith("Svar inom ")


@pytest.mark.rule("CASE-6")
def test_the_submit_button_sends_once_and_a_repeated_case_is_shown_before_it_is_sent(
    page, browser_context, live_server, demo_resident_a, demo_unit_x
):
    from vardnav.cases.models import Case
    from vardnav.catalog.models import Service, ServiceKind

    service = Service.objects.get(provider_id=demo_unit_x.provider_id, kind=ServiceKind.CONTACT_UNIT)
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    form_path = f"/e-tjanster/{demo_unit_x.slug}/{service.pk}/"

    def fill_in():
        page.goto(form_path)
        page.get_by_label("Vad gäller ditt ärende?").fill("Utslag på armen")
        page.get_by_label("Skriv din fråga").fill("Ett utslag som inte går över.")

    # A double press: the second submit is swallowed, and the button shows that the case is being sent.
    fill_in()
    with page.expect_navigation():
        state = page.evaluate(
            """() => {
                const form = document.querySelector('form[data-submit-once]');
                const button = form.querySelector('button[type=submit]:not([name])');
                form.requestSubmit(button);
                form.requestSubmit(button);
                return {text: button.textContent.trim(), disabled: button.getAttribute('aria-disabled')};
            }"""
        )
    assert state == {"text": "Skickar …", "disabled": "true"}
    assert page.locator("h1").inner_text() == "Ärendet är skickat"
    assert Case.objects.filter(subject=demo_resident_a).count() == 1

    # The same request again: the resident is shown the first case before anything is sent.
    fill_in()
    page.get_by_role("button", name="Skicka ärendet").click()
    warning = page.get_by_role("alert").filter(has_text="Du har redan skickat ett likadant ärende")
    warning.wait_for()
    # Focus moves to the warning (vardnav.js, once the deferred script has run).
    page.wait_for_function("() => document.activeElement.classList.contains('duplicate-warning')", timeout=5000)
    check_page(page, h1=service.name, screenshot_name="case-duplicate-warning")
    assert Case.objects.filter(subject=demo_resident_a).count() == 1
    first = Case.objects.get(subject=demo_resident_a)
    assert (
        warning.get_by_role("link", name="Visa det tidigare ärendet").get_attribute("href") == f"/arenden/{first.pk}/"
    )

    with page.expect_navigation():
        warning.get_by_role("button", name="Skicka ändå").click()
    assert urlsplit(page.url).path.endswith("/kvitto/")
    assert page.locator("h1").inner_text() == "Ärendet är skickat"
    second = Case.objects.filter(subject=demo_resident_a).exclude(pk=first.pk).get()
    assert second.duplicate_of_id == first.pk


def test_an_idle_resident_is_warned_can_stay_logged_in_and_gets_the_draft_back_after_logging_in_again(
    page, browser_context, live_server, demo_resident_a, demo_unit_x, settings
):
    """WCAG 2.2.1: the idle timeout is announced with "Fortsätt vara inloggad"; text typed when it runs out
    is kept in the tab and put back after the resident logs in again. The timeout is 10 seconds here."""
    from vardnav.catalog.models import Service, ServiceKind

    settings.SESSION_IDLE_SECONDS = 10
    service = Service.objects.get(provider_id=demo_unit_x.provider_id, kind=ServiceKind.CONTACT_UNIT)
    form_path = f"/e-tjanster/{demo_unit_x.slug}/{service.pk}/"
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto(form_path)
    page.get_by_label("Vad gäller ditt ärende?").fill("Utslag på armen")
    page.get_by_label("Skriv din fråga").fill("Ett utslag som inte går över.")

    # The warning comes before the timeout, takes focus, and "Fortsätt vara inloggad" keeps the session.
    warning = page.get_by_role("alertdialog", name="Du loggas snart ut")
    warning.wait_for(state="visible", timeout=9000)
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Fortsätt vara inloggad"
    assert_accessible(page)
    warning.get_by_role("button", name="Fortsätt vara inloggad").click()
    warning.wait_for(state="hidden")
    page.wait_for_timeout(6000)  # past the first timeout: still logged in, because the resident chose to stay
    assert page.get_by_role("button", name="Logga ut").is_visible()
    assert urlsplit(page.url).path == form_path

    # No answer this time: logged out, the text kept in the tab, and back on the form after logging in again.
    warning.wait_for(state="visible", timeout=9000)
    page.wait_for_url(lambda url: urlsplit(url).path == "/logga-in/", timeout=15000)
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto(form_path)
    assert page.get_by_label("Vad gäller ditt ärende?").input_value() == "Utslag på armen"
    assert page.get_by_label("Skriv din fråga").input_value() == "Ett utslag som inte går över."
    assert page.get_by_role("status").filter(has_text="Vi har fyllt i det du skrev").is_visible()


def test_one_bad_file_is_taken_out_of_the_selection_and_the_good_ones_stay(
    page, browser_context, live_server, demo_resident_a, demo_unit_x
):
    from vardnav.attachments import corpus
    from vardnav.catalog.models import Service, ServiceKind

    service = Service.objects.get(provider_id=demo_unit_x.provider_id, kind=ServiceKind.CONTACT_UNIT)
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto(f"/e-tjanster/{demo_unit_x.slug}/{service.pk}/")
    picker = page.get_by_label("Bifoga filer (frivilligt)")
    picker.set_input_files(
        [
            {"name": "utslag.png", "mimeType": "image/png", "buffer": corpus.png_with_gps()},
            {"name": "program.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ not a picture"},
            {"name": "remiss.pdf", "mimeType": "application/pdf", "buffer": corpus.valid_pdf()},
        ]
    )

    kept = picker.evaluate("(input) => Array.from(input.files).map((file) => file.name)")
    assert kept == ["utslag.png", "remiss.pdf"]
    note = page.get_by_role("alert").filter(has_text="program.exe togs bort")
    assert note.is_visible()
    assert "De andra filerna du valde är kvar." in note.inner_text()
    texts = describedby_texts(page, "#id_files")
    assert any("program.exe togs bort" in text for text in texts) and not any(t.startswith("MISSING") for t in texts)

    # Choosing again replaces the note, and aria-describedby points at nothing that is gone.
    picker.set_input_files([{"name": "utslag.png", "mimeType": "image/png", "buffer": corpus.png_with_gps()}])
    assert page.get_by_text("program.exe togs bort").count() == 0
    assert not any(text.startswith("MISSING") for text in describedby_texts(page, "#id_files"))
