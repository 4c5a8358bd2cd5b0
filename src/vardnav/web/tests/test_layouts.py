"""The base layout: language, landmarks, skip link, CSP-safe markup, language switch."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.templatetags.static import static

from vardnav.core.actor import Actor, ActorKind
from vardnav.identity.context_processors import ActingFor

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def render_layout(rf, name: str, path: str = "/", **context) -> str:
    request = rf.get(path)
    return render_to_string(name, context, request=request)


def assert_csp_safe(html: str) -> None:
    assert 'style="' not in html
    assert "<style" not in html
    assert INLINE_SCRIPT.search(html) is None
    assert EVENT_HANDLER.search(html) is None


def test_pages_are_swedish_by_default(client):
    html = client.get("/").content.decode()

    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="sv">' in html


def test_every_page_has_the_landmarks_and_a_skip_link_to_main(client):
    html = client.get("/").content.decode()

    assert '<a class="skip-link" href="#main">Hoppa till innehållet</a>' in html
    assert html.count('id="main"') == 1
    assert '<main id="main"' in html
    assert '<header class="site-header">' in html
    assert '<footer class="site-footer">' in html
    assert '<nav aria-label="Huvudmeny">' in html
    assert 'tabindex="1' not in html


def test_the_stylesheet_is_linked_and_served(client):
    url = static("vardnav/css/vardnav.css")
    assert f'<link rel="stylesheet" href="{url}">' in client.get("/").content.decode()

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b":focus-visible" in body
    assert b"prefers-reduced-motion" in body


def test_the_shared_script_is_served(client):
    response = client.get(static("vardnav/js/vardnav.js"))

    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/", "/finns-inte/"])
def test_rendered_pages_have_no_inline_styles_or_scripts(client, path):
    assert_csp_safe(client.get(path).content.decode())


def test_the_staff_layout_has_no_inline_styles_or_scripts(rf):
    html = render_layout(
        rf, "layouts/staff.html", "/personal/", vardnav_identity={"kind": "staff"}, staff_label="Sara Nyström"
    )

    assert_csp_safe(html)


def test_switching_to_english_shows_the_start_page_in_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302

    html = client.get("/").content.decode()

    assert '<html lang="en">' in html
    assert "<h1>Contact your care unit online with Vårdnav</h1>" in html
    assert "Skip to content" in html
    assert 'lang="sv">Svenska</button>' in html


def test_the_footer_offers_english_in_english(client):
    html = client.get("/").content.decode()

    assert 'action="/i18n/setlang/"' in html
    assert 'name="language" value="en" lang="en">English</button>' in html


def test_the_resident_layout_offers_log_in_to_visitors(rf):
    html = render_layout(rf, "layouts/resident.html", resident_logged_in=False, acting_for=None)

    assert "/logga-in/" in html
    assert "Logga ut" not in html
    assert "Mina ärenden" not in html
    assert "Du agerar för" not in html


def test_the_resident_layout_logs_out_with_a_post_form(rf):
    html = render_layout(
        rf, "layouts/resident.html", "/arenden/", resident_logged_in=True, logout_url="/logga-ut/", acting_for=None
    )

    assert '<form class="account-logout" method="post" action="/logga-ut/">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<a href="/arenden/" aria-current="page">Mina ärenden</a>' in html
    assert '<a href="/mina-sidor/">Mina sidor</a>' in html


def test_a_guardian_sees_whom_they_act_for(rf):
    acting_for = ActingFor(is_self=False, name="Elsa", can_switch=True, switch_url="/valj-person/")

    html = render_layout(
        rf, "layouts/resident.html", resident_logged_in=True, logout_url="/logga-ut/", acting_for=acting_for
    )

    assert "Du agerar för <strong>Elsa</strong>" in html
    assert 'href="/valj-person/"' in html
    assert "acting-for--child" in html


def test_the_staff_layout_shows_who_works_where_and_how(rf):
    html = render_layout(
        rf,
        "layouts/staff.html",
        "/personal/inkorg/",
        vardnav_identity={"kind": "staff"},
        current_actor=Actor(kind=ActorKind.STAFF, staff_id=1, unit_id=1, role="receiver"),
        staff_label="Sara Nyström",
        unit_label="Hälsocentralen Brynäs",
        role_label="Ärendemottagare",
    )

    assert 'Vårdnav <span class="brand__suffix">personal</span>' in html
    assert "<strong>Sara Nyström</strong>" in html
    assert "<strong>Hälsocentralen Brynäs</strong>" in html
    assert "<strong>Ärendemottagare</strong>" in html
    assert '<a href="/personal/inkorg/" aria-current="page">Inkorg</a>' in html
    assert '<a href="/personal/valj-enhet/">Byt enhet</a>' in html
    assert '<form method="post" action="/personal/logga-ut/">' in html
    assert "layout-wide" in html


def test_the_staff_layout_knows_a_logged_in_staff_member_from_the_actor(rf):
    html = render_layout(rf, "layouts/staff.html", "/personal/", current_actor=Actor(kind=ActorKind.STAFF, staff_id=1))

    assert '<form method="post" action="/personal/logga-ut/">' in html


def test_the_staff_layout_offers_staff_log_in_when_nobody_is_logged_in(rf):
    html = render_layout(rf, "layouts/staff.html", "/personal/logga-in/", vardnav_identity=None)

    assert "/personal/logga-in/" in html
    assert "Logga ut" not in html


def test_messages_become_notices_that_screen_readers_announce(rf):
    messages = [
        Message(message_levels.SUCCESS, "Ditt ärende är skickat."),
        Message(message_levels.ERROR, "Något gick fel."),
    ]

    html = render_to_string("includes/_messages.html", {"messages": messages})

    assert '<div class="notice notice--success" role="status">' in html
    assert '<div class="notice notice--error" role="alert">' in html
    assert "Ditt ärende är skickat." in html


def test_the_favicon_is_served_where_browsers_look_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content if icon.streaming else [icon.content])[:4] == b"\x00\x00\x01\x00"
    assert 'rel="icon"' in client.get("/").content.decode()
