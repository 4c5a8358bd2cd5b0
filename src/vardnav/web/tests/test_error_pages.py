"""Error pages: Swedish, helpful, and the 500 page independent of the database."""

from __future__ import annotations

import pytest

from vardnav.web.views import server_error

pytestmark = pytest.mark.django_db


def test_an_unknown_page_answers_in_swedish_with_a_way_home(client):
    response = client.get("/finns-inte/")

    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="sv">' in html
    assert "<h1>Sidan finns inte</h1>" in html
    assert '<a class="button" href="/">Till startsidan</a>' in html


def test_the_server_error_page_needs_no_database(rf, django_assert_num_queries, settings):
    settings.SUPPORT_EMAIL = "hjalp@vardnav.example"
    request = rf.get("/")
    request.request_id = "abcdef0123456789"

    with django_assert_num_queries(0):
        response = server_error(request)

    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Ett tekniskt fel har uppstått</h1>" in html
    assert "abcdef0123456789" in html
    assert "hjalp@vardnav.example" in html
    assert 'style="' not in html


def test_the_server_error_handler_is_ours():
    from vardnav import urls

    assert urls.handler500 == "vardnav.web.views.server_error"


def test_the_forbidden_page_is_swedish(rf):
    from django.template.loader import render_to_string

    html = render_to_string("403.html", {}, request=rf.get("/"))

    assert "<h1>Du har inte behörighet till sidan</h1>" in html
