"""The video meeting (VISIT-8) as the two people see it: the practitioner proposes a time on the visit, the
resident finds it in the case, both join, and each receives the other's camera and microphone.

WebSockets need the ASGI entry, so these tests run their own uvicorn server (in a thread of the test process,
on the same test database) instead of pytest-django's WSGI live server. Chromium gets a fake camera and
microphone. ICE candidates other than loopback are dropped on arrival (an init script of the test, not the
product), so the media never go to any address but 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.accessibility import assert_accessible, serve_axe
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, DEFAULT_TIMEOUT_MS
from tests.browser.helpers import log_in, screenshot
from tests.personas import actor_for
from tests.sessions import resident_identity, staff_identity
from vardnav.core import clock
from vardnav.visits.access import current_triage
from vardnav.visits.actions import do_start_visit
from vardnav.visits.tests.conftest import Digital, build_digital, valid_answers

MEDIA_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--autoplay-policy=no-user-gesture-required",
]
LOOPBACK_ONLY = """
(() => {
  const add = RTCPeerConnection.prototype.addIceCandidate;
  RTCPeerConnection.prototype.addIceCandidate = function (candidate, ...rest) {
    const text = (candidate && candidate.candidate) || "";
    if (text && !/ (127\\.0\\.0\\.1|::1) /.test(text)) { return Promise.resolve(); }
    return add.call(this, candidate, ...rest);
  };
})();
"""
REMOTE_MEDIA = """
() => {
  const video = document.getElementById("remote-video");
  const stream = video.srcObject;
  return video.videoWidth > 0 && stream !== null && stream.getAudioTracks().length > 0
    && stream.getVideoTracks().length > 0 && video.currentTime > 0;
}
"""


@pytest.fixture
def digital(world: Any) -> Digital:
    """The digital provider of the visits tests (with its practitioners and complaint areas)."""
    return build_digital()


@pytest.fixture
def asgi_server(transactional_db: Any) -> Iterator[str]:
    """The ASGI application (pages and WebSockets) served by uvicorn on a free loopback port."""
    import uvicorn
    from django.db import connections

    from vardnav.asgi import application

    # The server's threads open their own database connections: closed after each request and socket
    # (no persistent connections), so none is left open when the test database is dropped.
    database = connections.settings["default"]
    persistent = database.get("CONN_MAX_AGE", 0)
    database["CONN_MAX_AGE"] = 0
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(application, log_level="warning", lifespan="off", ws="websockets-sansio")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
        database["CONN_MAX_AGE"] = persistent


@pytest.fixture
def media_browser(playwright_session: Any) -> Iterator[Any]:
    """Chromium with a fake camera and microphone, granted without asking (from the session's Playwright)."""
    browser = playwright_session.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS + MEDIA_ARGS
    )
    try:
        yield browser
    finally:
        browser.close()


def open_page(browser: Any, base_url: str, identity: dict[str, Any], problems: list[str]) -> Any:
    context = browser.new_context(base_url=base_url, locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.add_init_script(LOOPBACK_ONLY)
    serve_axe(context)
    log_in(context, base_url, identity)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    return page


@pytest.mark.rule("VISIT-8")
def test_the_practitioner_and_the_resident_see_and_hear_each_other(
    asgi_server: str, media_browser: Any, digital: Digital, resident_a: Any
) -> None:
    digital.on_duty(digital.specialist)
    area = digital.areas["urinvagsinfektion"]
    triage = current_triage(area)
    started = do_start_visit(actor_for(resident_a), area, triage, answers=valid_answers(triage.items), abroad=False)
    case = started.case
    problems: list[str] = []

    doctor = open_page(
        media_browser, asgi_server, staff_identity(digital.specialist, unit=digital.unit, role="handler"), problems
    )
    doctor.goto(f"/personal/digitala-besok/{case.pk}/")
    doctor.get_by_role("link", name="Videomöte").click()
    soon = (clock.now() + dt.timedelta(minutes=5)).astimezone(clock.STOCKHOLM)
    doctor.get_by_label("Dag").fill(soon.date().isoformat())
    doctor.get_by_label("Klockslag").fill(soon.strftime("%H:%M"))
    doctor.get_by_role("button", name="Föreslå tiden").click()
    doctor.get_by_text("Tiden för videomötet är föreslagen i chatten.").wait_for()
    assert_accessible(doctor)

    resident = open_page(media_browser, asgi_server, resident_identity(resident_a), problems)
    resident.goto(f"/arenden/{case.pk}/")
    resident.get_by_text("Jag föreslår ett videomöte").first.wait_for()
    resident.get_by_role("link", name="Videomöte:").click()
    resident.get_by_text("Om något inte fungerar").wait_for()
    assert_accessible(resident)
    resident.get_by_role("button", name="Anslut till mötet").click()
    resident.get_by_text("Väntar på behandlaren.").wait_for()

    doctor.get_by_role("button", name="Anslut till mötet").click()
    for page in (doctor, resident):
        page.wait_for_function(REMOTE_MEDIA, timeout=20_000)
        page.get_by_text("Ni är anslutna.").wait_for()
    screenshot(resident, "video-meeting-resident")
    assert_accessible(resident)
    # WCAG 1.4.10 Reflow: at 320 px the call fits the page, one column, nothing scrolls sideways.
    resident.set_viewport_size({"width": 320, "height": 640})
    assert resident.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert_accessible(resident)
    resident.set_viewport_size({"width": 1280, "height": 900})

    # The resident restarts the call (the first advice of the troubleshooting text): both get media again.
    resident.get_by_role("button", name="Starta om samtalet").click()
    for page in (doctor, resident):
        page.wait_for_function(REMOTE_MEDIA, timeout=20_000)
    resident.get_by_role("button", name="Lämna mötet").click()
    doctor.get_by_text("Den andra deltagaren har lämnat mötet.").wait_for(timeout=20_000)
    assert not problems, "the browser reported errors:\n" + "\n".join(problems)


@pytest.mark.rule("VISIT-8")
def test_edge_gets_a_clear_message_instead_of_the_call(
    asgi_server: str, media_browser: Any, digital: Digital, resident_a: Any
) -> None:
    from vardnav.visits.actions import do_propose_meeting

    digital.on_duty(digital.specialist)
    area = digital.areas["urinvagsinfektion"]
    triage = current_triage(area)
    started = do_start_visit(actor_for(resident_a), area, triage, answers=valid_answers(triage.items), abroad=False)
    soon = (clock.now() + dt.timedelta(minutes=5)).astimezone(clock.STOCKHOLM)
    do_propose_meeting(
        digital.practitioner(digital.specialist), started.visit, day=soon.date().isoformat(), time=f"{soon:%H:%M}"
    )
    edge = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0"
    )
    context = media_browser.new_context(base_url=asgi_server, locale="sv-SE", user_agent=edge)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    log_in(context, asgi_server, resident_identity(resident_a))
    page = context.new_page()
    page.goto(f"/digitalt-vardbesok/besok/{started.case.pk}/videomote/")
    status = page.locator("#meeting-status")
    status.filter(has_text="Microsoft Edge stöds inte för videomöten").wait_for()
    assert "Chrome, Safari eller Firefox" in status.inner_text()
    assert not page.get_by_role("button", name="Anslut till mötet").is_visible()
