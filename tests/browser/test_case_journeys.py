"""A case from request to answer, in the browser: issue 7's journeys 1, 2, 3 and 5.

(1) A resident logs in with the BankID QR flow (the simulator plays the app)
    and renews a prescription from the medication list; the receipt shows.
(2) Staff log in through the demo IdP: the receiver distributes the renewal to
    a doctor, and the doctor approves it with the reply form and closes it.
(3) The resident reads the doctor's answer under Mina ärenden.
(5) A questionnaire ("Förnya hjälpmedel vid diabetes") filled in and sent
    with the keyboard alone: a choice that reveals a follow-up question, and
    the error summary on the way.

(2+3 with a PDF) The doctor uploads a PDF to the case, previews it (the page
    rendered to an image), sends it with the answer; the resident opens the
    file's preview from the answer and downloads it (ATT-5, ATT-6, ATT-7).

Every page visited passes check_page (one h1, skip link, axe-core WCAG 2.1 AA).
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings

from tests.browser.helpers import check_page, focused_element, log_in, on_path
from tests.personas import actor_for
from tests.sessions import resident_identity
from vardnav.core.clock import STOCKHOLM
from vardnav.demo import data
from vardnav.demo import identities as ids

# The demo identities' ages are as of this day (demo/identities.py).
DEMO_DAY = dt.datetime(2026, 11, 22, 10, 0, tzinfo=STOCKHOLM)
LEVAXIN = "Levaxin 50 mikrog tablett"


@pytest.fixture
def demo_day():
    # Ticking: the simulator's and the live server's threads need time to pass.
    with time_machine.travel(DEMO_DAY, tick=True) as traveller:
        yield traveller


@pytest.fixture
def medication_history(demo, demo_day):
    """The demo residents' past prescriptions (load_demo_prescriptions, as `manage.py load_demo` does)."""
    from vardnav.demo.prescriptions import load_demo_prescriptions

    assert load_demo_prescriptions() > 0


@pytest.fixture
def renewal_case(medication_history, demo_resident_a, demo_unit_x):
    """Resident A's renewal of Levaxin, sent to unit X (as journey 1 sends it) and not yet distributed."""
    from vardnav.cases.actions import do_submit_case
    from vardnav.catalog.models import Service, ServiceKind
    from vardnav.core.actor import Actor, ActorKind

    service = Service.objects.get(provider_id=demo_unit_x.provider_id, kind=ServiceKind.PRESCRIPTION_RENEWAL)
    return do_submit_case(
        Actor(kind=ActorKind.RESIDENT, person_id=demo_resident_a.pk),
        service=service,
        unit=demo_unit_x,
        answers={"medicine": LEVAXIN, "dosage": "1 tablett på morgonen", "addictive": "no", "effect": True},
    )


@pytest.fixture
def attachment_folder(settings, tmp_path):
    """Files stored by the live server go to this test's own folder."""
    folder = tmp_path / "attachments"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "vardnav.attachments.storage.DurableFileSystemStorage",
            "OPTIONS": {"location": folder},
        },
    }
    return folder


def _server_session(browser_context: Any) -> dict:
    cookie = next(c for c in browser_context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"]).load()


def _staff_log_in(page: Any, hsa_id: str) -> None:
    """Log in through /personal/logga-in/ and the demo IdP as `hsa_id` (one role: straight to the start page)."""
    page.context.clear_cookies()
    page.goto("/personal/logga-in/")
    page.get_by_role("link", name="Logga in med e-tjänstekort").click()
    page.wait_for_url(on_path("/demo-idp/authorize"))
    page.locator(f'button[name="hsa_id"][value="{hsa_id}"]').first.click()
    page.wait_for_url(on_path("/personal/"))


def _open_from_inbox(page: Any, case: Any, *, screenshot_name: str | None = None) -> None:
    page.get_by_role("link", name="Gå till inkorgen").click()
    page.wait_for_url(on_path("/personal/inkorg/"))
    check_page(page, h1="Inkorg", screenshot_name=screenshot_name)
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(on_path(f"/personal/arenden/{case.pk}/"))


@pytest.mark.rule("ID-1")
def test_a_resident_logs_in_with_the_bankid_qr_and_renews_a_prescription(
    page, browser_context, bankid_simulator, demo_resident_a, demo_unit_x, medication_history
):
    from vardnav.cases.models import Case

    # The medication list asks for a login and comes back after it.
    page.goto("/recept/")
    page.wait_for_url(on_path("/logga-in/"))
    check_page(page, h1="Logga in")
    page.get_by_role("button", name="Logga in med BankID").click()
    page.locator("#bankid-qr svg").wait_for(state="visible")
    bankid_simulator.approve(_server_session(browser_context)["bankid_order"]["order_ref"], ids.RESIDENT_A)

    page.wait_for_url(on_path("/recept/"))
    check_page(page, h1="Mina läkemedel", screenshot_name="medication-list")
    page.get_by_role("link", name=f"Förnya {LEVAXIN}").click()

    page.wait_for_url(lambda url: urlsplit(url).path.endswith("/fornya/"))
    check_page(page, h1="Förnya recept", screenshot_name="prescription-renewal-form")
    assert page.get_by_label("Vilket läkemedel vill du förnya?").input_value() == LEVAXIN
    assert page.get_by_label("Hur tar du läkemedlet?").input_value() == "1 tablett på morgonen"
    addictive = page.get_by_role("group", name="Är läkemedlet beroendeframkallande?")
    addictive.get_by_label("Nej").check()
    page.get_by_role("group", name="Fungerar läkemedlet bra för dig?").get_by_label("Ja").check()
    page.get_by_role("button", name="Skicka ärendet").click()

    page.wait_for_url(lambda url: urlsplit(url).path.endswith("/kvitto/"))
    check_page(page, h1="Ärendet är skickat", screenshot_name="receipt")
    number = page.locator(".notice strong.mono").inner_text()
    case = Case.objects.select_related("service").get(number=number)
    assert case.subject_id == demo_resident_a.pk and case.unit_id == demo_unit_x.pk
    assert case.service.kind == "prescription_renewal"
    assert case.answers["medicine"] == LEVAXIN and case.answers["addictive"] == "no"
    assert page.get_by_text(demo_unit_x.name).first.is_visible()


@pytest.mark.rule("CASE-3")
def test_a_receiver_distributes_the_renewal_a_doctor_approves_it_and_the_resident_reads_the_answer(
    page, browser_context, live_server, settings, renewal_case, demo_resident_a, demo_receiver_x, demo_handler_x
):
    from vardnav.cases.models import CaseStatus
    from vardnav.prescriptions.models import Prescription

    settings.STAFF_OIDC_ISSUER = f"{live_server.url}/demo-idp"
    case = renewal_case

    # (2a) The receiver (an assistant nurse) hands the case to the unit's doctor.
    _staff_log_in(page, data.RECEIVER_X_HSA)
    check_page(page, h1=f"Välkommen, {demo_receiver_x.given_name}", screenshot_name="staff-home")
    _open_from_inbox(page, case, screenshot_name="staff-inbox")
    check_page(page, h1="Förnya recept", screenshot_name="staff-case-receiver")
    distribute = page.locator("section", has=page.get_by_role("heading", name="Fördela"))
    distribute.get_by_label("Ärendehanterare").select_option(str(demo_handler_x.pk))
    distribute.get_by_role("button", name="Fördela ärendet").click()
    page.get_by_text("Ärendet är fördelat.").wait_for()
    check_page(page, h1="Förnya recept")
    case.refresh_from_db()
    assert case.assigned_to_id == demo_handler_x.pk

    # (2b) The doctor approves the renewal with the reply form and closes the case with the answer.
    _staff_log_in(page, data.HANDLER_X_HSA)
    _open_from_inbox(page, case)
    check_page(page, h1="Förnya recept")
    reply = page.locator("section", has=page.get_by_role("heading", name="Svara invånaren"))
    reply.get_by_role("group", name="Beslut").get_by_label("Förskriv", exact=True).check()
    reply.get_by_label("Dosering").fill("1 tablett på morgonen")
    reply.get_by_label("Mängd").fill("100 tabletter")
    reply.get_by_label("Giltighetstid i dagar").fill("92")  # a renewal is valid three months at most
    answer = "Receptet är förnyat och skickat till apoteket. Det gäller i tre månader."
    reply.get_by_label("Svar till invånaren").fill(answer)
    reply.get_by_label("Avsluta ärendet med svaret").check()
    reply.get_by_label("Utfall om ärendet avslutas").select_option(label="Recept förnyat")
    check_page(page, h1="Förnya recept", screenshot_name="staff-case-reply")
    reply.get_by_role("button", name="Skicka svar").click()
    page.get_by_text("Svaret är skickat till invånaren.").wait_for()
    check_page(page, h1="Förnya recept")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == "prescribed"
    renewed = Prescription.objects.select_related("product").get(source_case=case)
    assert renewed.person_id == demo_resident_a.pk and renewed.prescriber_id == demo_handler_x.pk
    assert renewed.product.label == LEVAXIN and renewed.duration_days == 92

    # (3) The resident finds the answer under Mina ärenden.
    page.context.clear_cookies()
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto("/arenden/")
    check_page(page, h1="Mina ärenden", screenshot_name="my-cases")
    card = page.locator(".card", has=page.get_by_text(case.number))
    assert "Nytt" in card.inner_text()
    card.get_by_role("link", name="Förnya recept").click()
    page.wait_for_url(on_path(f"/arenden/{case.pk}/"))
    check_page(page, h1="Förnya recept", screenshot_name="case-answered")
    answered = page.locator(".dialogue li", has=page.get_by_text(answer))
    assert answered.count() == 1
    assert f"{demo_handler_x.given_name} {demo_handler_x.surname}" in answered.inner_text()
    assert page.get_by_text("Ärendet är avslutat.").is_visible()


def _assert_preview_images_shown(page: Any, count: int) -> None:
    """The preview shows `count` images, each loaded and decoded (a broken image has naturalWidth 0)."""
    images = page.locator(".attachment-preview img")
    assert images.count() == count
    for index in range(count):
        images.nth(index).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.attachment-preview img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )


@pytest.mark.rule("ATT-7")
@pytest.mark.rule("ATT-6")
def test_a_doctor_answers_with_a_pdf_and_the_resident_previews_and_downloads_it(
    page,
    browser_context,
    live_server,
    settings,
    tmp_path,
    attachment_folder,
    renewal_case,
    demo_resident_a,
    demo_receiver_x,
    demo_handler_x,
    demo_unit_x,
):
    from vardnav.attachments.corpus import valid_pdf
    from vardnav.attachments.models import Attachment, AttachmentState
    from vardnav.cases.actions import do_distribute_case
    from vardnav.cases.models import CaseStatus, Message
    from vardnav.organizations.models import Role

    settings.STAFF_OIDC_ISSUER = f"{live_server.url}/demo-idp"
    case = renewal_case
    # The receiver's distribution in the browser is the journey above; here it is done directly.
    do_distribute_case(actor_for(demo_receiver_x, unit=demo_unit_x, role=Role.RECEIVER), case, handler=demo_handler_x)
    file_name = "Provsvar från läkaren.pdf"
    pdf_bytes = valid_pdf()
    pdf_file = tmp_path / file_name
    pdf_file.write_bytes(pdf_bytes)

    # (2) The doctor uploads the PDF to the case; it is staged, seen only by the doctor until sent.
    _staff_log_in(page, data.HANDLER_X_HSA)
    _open_from_inbox(page, case)
    attach = page.locator("section", has=page.get_by_role("heading", name="Bifoga filer"))
    attach.get_by_label("Filer (PDF").set_input_files(str(pdf_file))
    attach.get_by_role("button", name="Ladda upp för förhandsgranskning").click()
    page.get_by_text("1 fil uppladdad").wait_for()
    check_page(page, h1="Förnya recept", screenshot_name="staff-case-attachment-staged")
    staged = Attachment.objects.get(folder_id=case.pk)
    assert staged.state == AttachmentState.STAGED and staged.file_name == file_name and staged.is_pdf
    # Each staged file's discard button names the file, so a screen reader can tell several apart.
    assert attach.get_by_role("button", name=f"Ta bort {file_name}").is_visible()

    # The doctor previews it before sending: the PDF's page, rendered to an image on the server.
    attach.get_by_role("link", name=f"Förhandsgranska {file_name}").click()
    page.wait_for_url(on_path(f"/personal/arenden/{case.pk}/bilagor/{staged.pk}/"))
    check_page(page, h1="Förhandsgranska fil", screenshot_name="staff-attachment-preview")
    assert page.get_by_text("Inte skickad ännu").is_visible()
    _assert_preview_images_shown(page, 1)
    page.get_by_role("link", name="Tillbaka till ärendet").click()
    page.wait_for_url(on_path(f"/personal/arenden/{case.pk}/"))

    # The doctor approves the renewal and sends the PDF with the answer.
    reply = page.locator("section", has=page.get_by_role("heading", name="Svara invånaren"))
    reply.get_by_role("group", name="Beslut").get_by_label("Förskriv", exact=True).check()
    reply.get_by_label("Dosering").fill("1 tablett på morgonen")
    reply.get_by_label("Mängd").fill("100 tabletter")
    reply.get_by_label("Giltighetstid i dagar").fill("92")
    answer = "Receptet är förnyat. Provsvaret bifogas som PDF."
    reply.get_by_label("Svar till invånaren").fill(answer)
    attached = reply.get_by_role("group", name="Skicka med filer").get_by_label(file_name)
    assert attached.is_checked(), "a staged file is ticked to go with the answer"
    reply.get_by_label("Avsluta ärendet med svaret").check()
    reply.get_by_label("Utfall om ärendet avslutas").select_option(label="Recept förnyat")
    reply.get_by_role("button", name="Skicka svar").click()
    page.get_by_text("Svaret är skickat till invånaren.").wait_for()
    check_page(page, h1="Förnya recept", screenshot_name="staff-case-answered-with-attachment")
    case.refresh_from_db()
    staged.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert staged.state == AttachmentState.SENT and Message.objects.get(pk=staged.owner_id).body == answer

    # (3) The resident reads the answer under Mina ärenden and opens the file: the preview comes first.
    page.context.clear_cookies()
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto("/arenden/")
    check_page(page, h1="Mina ärenden")
    page.locator(".card", has=page.get_by_text(case.number)).get_by_role("link", name="Förnya recept").click()
    page.wait_for_url(on_path(f"/arenden/{case.pk}/"))
    check_page(page, h1="Förnya recept", screenshot_name="case-answered-with-attachment")
    answered = page.locator(".dialogue li", has=page.get_by_text(answer))
    answered.get_by_role("link", name=file_name).click()
    page.wait_for_url(on_path(f"/arenden/{case.pk}/bilagor/{staged.pk}/"))
    check_page(page, h1="Förhandsgranska fil", screenshot_name="attachment-preview")
    assert page.get_by_text("Inte skickad ännu").count() == 0
    _assert_preview_images_shown(page, 1)

    # Then the download: the same bytes, under the name the doctor gave the file.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner filen").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename == file_name
    with open(download.path(), "rb") as downloaded:
        content = downloaded.read()
    assert content.startswith(b"%PDF-") and content == pdf_bytes


def _tab_to(page: Any, predicate: str, *, limit: int = 80) -> dict[str, Any]:
    """Press Tab until the focused element satisfies the JS `predicate` (given the element); fails after `limit`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({predicate})(el); }}"):
            return focused_element(page)
    raise AssertionError(f"Tab never reached an element matching {predicate} on {page.url}")


def _is(label: str) -> str:
    """A predicate: a link or button whose text is `label`, or a field labelled `label` (start of the label)."""
    return (
        "el => (el.textContent || '').trim() === " + repr(label) + " || "
        "[...(el.labels || [])].some(l => l.textContent.trim().startsWith(" + repr(label) + "))"
    )


def test_a_questionnaire_is_completed_and_sent_with_the_keyboard_alone(
    page, browser_context, live_server, demo_resident_a, expected_console_errors
):
    """Tab, typing, Enter and Space only: no clicks. A choice that reveals a question and the error path included."""
    from vardnav.cases.models import Case

    # The form with errors comes back as 422, which Chromium logs as a failed resource.
    expected_console_errors.append("the server responded with a status of 422")
    log_in(browser_context, live_server.url, resident_identity(demo_resident_a))
    page.goto("/e-tjanster/")
    check_page(page, h1="Skicka ett ärende", screenshot_name="services")
    _tab_to(page, _is("Förnya hjälpmedel vid diabetes"))
    page.keyboard.press("Enter")

    page.wait_for_url(lambda url: urlsplit(url).path.startswith("/e-tjanster/") and urlsplit(url).path.count("/") == 4)
    check_page(page, h1="Förnya hjälpmedel vid diabetes", screenshot_name="questionnaire")
    details = page.get_by_label("Beskriv hur behovet har förändrats")
    assert details.is_hidden(), "the follow-up question waits for its answer"
    _tab_to(page, _is("Vilka hjälpmedel vill du förnya?"))
    page.keyboard.type("Teststickor och lansetter")
    page.keyboard.press("Tab")
    assert focused_element(page)["id"] == "id_amount", "Tab goes on to the next question"
    page.keyboard.type("2 förpackningar")
    # Enter in a text field sends the form: whether the need has changed is still unanswered.
    page.keyboard.press("Enter")

    # The keyboard lands on the error summary (vardnav.js), and the page passes the checks in this state too.
    page.locator("[data-error-summary]").wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('[data-error-summary]')")
    check_page(page, h1="Förnya hjälpmedel vid diabetes", screenshot_name="questionnaire-errors")
    page.locator("[data-error-summary]").focus()  # back where the page put the keyboard (check_page moved it)
    assert page.get_by_label("Vilka hjälpmedel vill du förnya?").input_value() == "Teststickor och lansetter"
    # The summary's link takes the keyboard to the question to answer; Space picks "Ja".
    _tab_to(page, "el => el.closest('[data-error-summary]') && el.tagName === 'A'")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.type === 'radio'")
    assert focused_element(page)["id"] == "id_changed_need_0"
    page.keyboard.press("Space")
    assert page.get_by_role("radio", name="Ja").is_checked()
    details.wait_for(state="visible")
    page.keyboard.press("Tab")
    assert focused_element(page)["id"] == details.get_attribute("id"), "Tab reaches the question that appeared"
    page.keyboard.type("Jag mäter oftare nu.")
    page.keyboard.press("Enter")
    page.keyboard.type("Tre gånger om dagen.")
    sent = _tab_to(page, _is("Skicka ärendet"))
    assert sent["tag"] == "button"
    page.keyboard.press("Space")

    page.wait_for_url(lambda url: urlsplit(url).path.endswith("/kvitto/"))
    check_page(page, h1="Ärendet är skickat")
    case = Case.objects.select_related("service").get(number=page.locator(".notice strong.mono").inner_text())
    assert case.subject_id == demo_resident_a.pk and case.service.kind == "aids_diabetes"
    assert case.answers["product"] == "Teststickor och lansetter" and case.answers["amount"] == "2 förpackningar"
    assert case.answers["changed_need"] is True
    # A browser sends a textarea's line breaks as CRLF.
    assert case.answers["change_details"].splitlines() == ["Jag mäter oftare nu.", "Tre gånger om dagen."]
