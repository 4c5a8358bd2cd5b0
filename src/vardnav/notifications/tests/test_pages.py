"""The notice list, the unread count, and the demo outbox page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.notifications.actions import notify_staff
from vardnav.notifications.context_processors import notices
from vardnav.notifications.models import Notice, NoticeKind

from .conftest import give_confirmed_email, tell

ANSWERED_LINK = "/arenden/17/"


@pytest.fixture
def answered(world):
    """A resident with a confirmed address got a counter-question and then an answer."""
    give_confirmed_email(world.resident_a, "karin.berg@example.se")
    tell(world.resident_a, NoticeKind.QUESTION, link=ANSWERED_LINK)
    return tell(world.resident_a, NoticeKind.REPLY, link=ANSWERED_LINK)


@pytest.mark.rule("CASE-9")
def test_the_resident_sees_their_notices_and_they_are_marked_read(client, world, answered):
    tell(world.resident_b, NoticeKind.PARTIAL_REPLY)
    log_in_client(client, resident_identity(world.resident_a))

    page = client.get("/mina-sidor/notiser/")

    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="card card--highlight"') == 2
    assert "Du har fått svar i ett ärende." in html and f'href="{ANSWERED_LINK}"' in html
    assert "ett delsvar" not in html, "another resident's notice"
    assert not Notice.objects.filter(person=world.resident_a, read_at__isnull=True).exists()
    assert Notice.objects.filter(person=world.resident_b, read_at__isnull=True).count() == 1
    again = client.get("/mina-sidor/notiser/").content.decode()
    assert "card--highlight" not in again


def test_the_notice_page_needs_a_logged_in_resident(client, world):
    response = client.get("/mina-sidor/notiser/")
    assert response.status_code == 302 and response.url.startswith("/logga-in/")


def test_staff_see_their_own_notices(client, world):
    text = "Ärende ABCD-1234 har passerat sin svarstid."
    notify_staff([world.receiver_x.pk], NoticeKind.OVERDUE, text=text, link="/personal/arenden/1/")
    log_in_client(client, staff_identity(world.receiver_x))
    page = client.get("/personal/notiser/")
    assert page.status_code == 200 and text in page.content.decode()
    log_in_client(client, staff_identity(world.handler_y))
    assert "ABCD-1234" not in client.get("/personal/notiser/").content.decode()


def test_the_unread_count_costs_at_most_one_query(world, answered):
    request = RequestFactory().get("/")
    request.actor = world.resident(world.resident_a)
    template = engines["django"].from_string("{% if notice_count %}{{ notice_count }} olästa{% endif %}")

    with CaptureQueriesContext(connection) as queries:
        context = notices(request)
        assert len(queries) == 0, "nothing runs until a template reads it"
        assert template.render(context).strip() == "2 olästa"
    assert len(queries) == 1

    request.actor = world.resident(world.resident_b)
    assert template.render(notices(request)).strip() == ""


def test_a_guardian_acting_for_a_child_counts_their_own_notices(world):
    give_confirmed_email(world.guardian, "anna@example.se")
    tell(world.guardian, NoticeKind.PARTIAL_REPLY, for_child=True)
    request = RequestFactory().get("/")
    request.actor = world.resident(world.guardian, acting_for=world.child_8)
    assert int(str(notices(request)["notice_count"])) == 1


def test_the_notice_list_costs_the_same_with_one_notice_as_with_five(client, world):
    """Notices of different kinds, some about a child the guardian acts for."""
    give_confirmed_email(world.guardian, "anna@example.se")
    tell(world.guardian, NoticeKind.REPLY)
    log_in_client(client, resident_identity(world.guardian))

    def get_list():
        response = client.get("/mina-sidor/notiser/")
        assert response.status_code == 200

    def more_notices():
        for number in range(4):
            kind = NoticeKind.QUESTION if number % 2 else NoticeKind.PARTIAL_REPLY
            tell(world.guardian, kind, link=f"/arenden/{number + 1}/", for_child=bool(number % 2))

    assert_same_query_count(get_list, more_notices)
    assert Notice.objects.filter(person=world.guardian).count() == 5
