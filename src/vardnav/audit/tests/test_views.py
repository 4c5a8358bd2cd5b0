"""The resident's log extract page, /mina-sidor/loggutdrag/."""

from __future__ import annotations

import pytest
import time_machine

from vardnav.audit.actions import record_staff_read
from vardnav.audit.tests.helpers import FROZEN_NOW, OTHER_RESIDENT_ID, RESIDENT_ID, make_organization
from vardnav.audit.tests.test_api import _log_in

pytestmark = pytest.mark.django_db

URL = "/mina-sidor/loggutdrag/"


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield


@pytest.fixture
def org():
    org = make_organization()
    record_staff_read(org.handler_actor, subject_person_id=RESIDENT_ID, object_type="case", object_id=1, purpose="")
    record_staff_read(
        org.other_handler_actor, subject_person_id=OTHER_RESIDENT_ID, object_type="case", object_id=2, purpose=""
    )
    return org


@pytest.mark.rule("REC-1")
def test_the_page_shows_the_unit_the_staff_member_and_the_time_of_each_access(client, org):
    _log_in(client, person_id=RESIDENT_ID)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vårdcentralen Norra" in html
    assert "SE2321000016-15CQ" in html
    assert "Eva Ström" in html
    assert "09:30" in html  # shown in Swedish time
    assert "Omar Nilsson" not in html


def test_someone_not_logged_in_is_sent_to_the_login(client, org):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")


def test_a_broken_page_link_shows_the_first_page_with_a_swedish_notice(client, org):
    _log_in(client, person_id=RESIDENT_ID)
    response = client.get(URL, {"after": "trasig"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sidmarkören är ogiltig" in html
    assert "Eva Ström" in html
