"""GET /api/v1/me/access-log: the logged-in resident's log extract over the API."""

from __future__ import annotations

import pytest
import time_machine

from tests.personas import make_person
from vardnav.audit.actions import record_staff_read
from vardnav.audit.tests.helpers import FROZEN_NOW, OTHER_RESIDENT_ID, RESIDENT_ID, make_organization
from vardnav.core import clock
from vardnav.demo import identities as demo_identities
from vardnav.identity.session import SESSION_KEY

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/access-log"


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield


def _log_in(client, kind: str = "resident", **identity) -> None:
    session = client.session
    stamp = clock.now().timestamp()
    session[SESSION_KEY] = {
        "kind": kind,
        "person_id": None,
        "acting_for_id": None,
        "staff_id": None,
        "unit_id": None,
        "role": None,
        "provider_id": None,
        "auth_method": "bankid" if kind == "resident" else "oidc",
        "authenticated_at": stamp,
        "last_seen_at": stamp,
        **identity,
    }
    session.save()


@pytest.fixture
def org():
    org = make_organization()
    record_staff_read(org.handler_actor, subject_person_id=RESIDENT_ID, object_type="case", object_id=1, purpose="vård")
    record_staff_read(
        org.other_handler_actor, subject_person_id=OTHER_RESIDENT_ID, object_type="case", object_id=2, purpose=""
    )
    return org


@pytest.mark.rule("REC-1")
def test_a_resident_gets_the_unit_staff_member_and_time_of_each_access(client, org):
    _log_in(client, person_id=RESIDENT_ID)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    [item] = body["items"]
    assert item["unit"] == {"id": org.unit.pk, "name": "Vårdcentralen Norra", "hsa_id": "SE2321000016-15CQ"}
    assert item["staff"] == {"id": org.handler.pk, "name": "Eva Ström", "hsa_id": "SE2321000016-A1B2"}
    assert item["occurred_at"].startswith("2026-11-22T08:30:00")
    assert (item["action"], item["action_label"]) == ("read", "Läste uppgifter")


def test_a_guardian_acting_for_a_child_gets_the_childs_extract_not_their_own(client, org):
    guardian = make_person(demo_identities.GUARDIAN)
    child = guardian.child_relations.order_by("child__birth_date").last().child
    record_staff_read(org.other_handler_actor, subject_person_id=child.pk, object_type="case", object_id=3, purpose="")
    record_staff_read(org.handler_actor, subject_person_id=guardian.pk, object_type="case", object_id=4, purpose="")
    _log_in(client, person_id=guardian.pk, acting_for_id=child.pk)
    [item] = client.get(URL).json()["items"]
    assert item["staff"]["name"] == "Omar Nilsson"


def test_an_anonymous_caller_gets_401_problem_json(client, org):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "unauthenticated"


def test_staff_cannot_read_an_extract_as_if_it_were_theirs(client, org):
    _log_in(client, kind="staff", staff_id=org.handler.pk, unit_id=org.unit.pk, role="handler")
    response = client.get(URL)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_a_malformed_cursor_is_a_400_problem_not_a_500(client, org):
    _log_in(client, person_id=RESIDENT_ID)
    response = client.get(URL, {"after": "not-a-cursor"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid-cursor"


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "x"}, {"since": "igår"}, {"since": "2026-11-01T00:00"}])
def test_bad_query_parameters_are_problems_not_500s(client, org, query):
    _log_in(client, person_id=RESIDENT_ID)
    response = client.get(URL, query)
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"


def test_pages_follow_the_cursor(client, org):
    for i in range(3):
        record_staff_read(org.handler_actor, subject_person_id=RESIDENT_ID, object_type="case", object_id=i, purpose="")
    _log_in(client, person_id=RESIDENT_ID)
    first = client.get(URL, {"limit": 3}).json()
    second = client.get(URL, {"limit": 3, "after": first["next_cursor"]}).json()
    assert (len(first["items"]), len(second["items"]), second["next_cursor"]) == (3, 1, None)
