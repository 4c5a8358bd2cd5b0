"""Guardians acting for their children under 16 (ID-2, ID-3, ID-4)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from tests.personas import make_person
from vardnav.audit.models import AuditEntry
from vardnav.core.clock import STOCKHOLM
from vardnav.demo import identities as ids
from vardnav.identity.session import SESSION_KEY
from vardnav.identity.tests.resident_helpers import log_in_with_bankid, logged_in
from vardnav.people.access import get_person_by_personal_number
from vardnav.people.models import GuardianRelation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_rate_limits")]


@pytest.fixture
def family(frozen_today):
    guardian = make_person(ids.GUARDIAN)
    return {
        "guardian": guardian,
        "child_8": get_person_by_personal_number(ids.CHILD_8),
        "child_14": get_person_by_personal_number(ids.CHILD_14),
        "child_17": get_person_by_personal_number(ids.CHILD_17),
    }


def acting_for_id(client):
    return client.session[SESSION_KEY]["acting_for_id"]


@pytest.mark.rule("ID-2")
def test_after_login_a_guardian_chooses_a_child_and_acts_for_them(client, bankid_simulator, ticking_today):
    body = log_in_with_bankid(client, bankid_simulator, ids.GUARDIAN).json()
    child_8 = get_person_by_personal_number(ids.CHILD_8)

    page = client.get(body["redirect"]).content.decode()
    response = client.post("/valj-person/", {"person": child_8.pk})

    assert "Mig själv" in page
    assert "Elsa" in page
    assert response.status_code == 302
    assert acting_for_id(client) == child_8.pk


@pytest.mark.rule("ID-3")
def test_a_child_of_17_is_shown_but_cannot_be_chosen(client, family):
    logged_in(client, family["guardian"])

    page = client.get("/valj-person/").content.decode()

    assert "Maja (17 år)</strong> kan inte väljas" in page
    assert "Från 16 år loggar man in med eget BankID" in page
    assert f'value="{family["child_17"].pk}"' not in page
    assert f'value="{family["child_8"].pk}"' in page


@pytest.mark.rule("ID-3")
def test_posting_a_child_of_17_gives_404_and_changes_nothing(client, family):
    logged_in(client, family["guardian"])

    response = client.post("/valj-person/", {"person": family["child_17"].pk})

    assert response.status_code == 404
    assert acting_for_id(client) is None


def test_a_strangers_id_gives_the_same_404_as_a_missing_one(client, family):
    stranger = make_person(ids.RESIDENT_B)
    logged_in(client, family["guardian"])

    for person_id in (stranger.pk, 987654321, "abc"):
        response = client.post("/valj-person/", {"person": person_id})
        assert response.status_code == 404
    assert acting_for_id(client) is None


def test_a_child_cannot_be_chosen_by_someone_elses_guardian(client, family):
    other = make_person(ids.RESIDENT_A)
    logged_in(client, other)
    assert client.post("/valj-person/", {"person": family["child_8"].pk}).status_code == 404


@pytest.mark.rule("ID-2")
def test_acting_for_is_recorded_with_both_guardian_and_child(client, family):
    logged_in(client, family["guardian"])

    client.post("/valj-person/", {"person": family["child_8"].pk})

    entry = AuditEntry.objects.get(action="acting_for.child")
    assert entry.actor_person_id == family["guardian"].pk
    assert entry.acting_for_person_id == family["child_8"].pk
    assert entry.subject_person_id == family["child_8"].pk


def test_a_guardian_switches_back_to_acting_for_themself(client, family):
    logged_in(client, family["guardian"], acting_for=family["child_8"])

    page = client.get("/valj-person/").content.decode()
    response = client.post("/valj-person/", {"person": "self"})

    assert f'value="{family["child_8"].pk}" class="button button--current"' in page
    assert response.status_code == 302
    assert acting_for_id(client) is None
    assert AuditEntry.objects.filter(action="acting_for.self", acting_for_person_id=None).count() == 1


def test_the_banner_include_renders_the_childs_name_and_switch_link(client, family, rf):
    from django.template.loader import render_to_string

    from vardnav.identity.context_processors import identity
    from vardnav.identity.session import get_actor

    logged_in(client, family["guardian"], acting_for=family["child_8"])
    request = rf.get("/")
    request.session = client.session
    request.actor = get_actor(request)

    html = render_to_string("identity/_acting_for.html", identity(request))

    assert "Du agerar för <strong>Elsa</strong>" in html
    assert 'href="/valj-person/"' in html


@pytest.mark.rule("ID-4")
def test_a_relation_the_register_no_longer_confirms_is_refused_with_a_clear_error(client, family, settings, tmp_path):
    """Our copy says guardian; folkbokföringen now does not (e.g. custody moved): refuse and resync."""
    register = json.loads(settings.POPULATION_REGISTER_FILE.read_text(encoding="utf-8"))
    register["guardianships"] = [g for g in register["guardianships"] if g["guardian"] != ids.GUARDIAN]
    changed = tmp_path / "register.json"
    changed.write_text(json.dumps(register), encoding="utf-8")
    settings.POPULATION_REGISTER_FILE = changed
    logged_in(client, family["guardian"])

    response = client.post("/valj-person/", {"person": family["child_8"].pk})

    assert response.status_code == 400
    assert "Enligt folkbokföringen är du inte vårdnadshavare" in response.content.decode()
    assert acting_for_id(client) is None
    assert not GuardianRelation.objects.filter(guardian=family["guardian"]).exists()
    assert not AuditEntry.objects.filter(action="acting_for.child").exists()


@pytest.mark.rule("ID-3")
def test_acting_for_is_allowed_the_day_before_the_16th_birthday_and_refused_on_it(client, db):
    """CHILD_14 (born 2012-01-01) turns 16 on 2028-01-01."""
    with time_machine.travel(dt.datetime(2027, 12, 31, 12, 0, tzinfo=STOCKHOLM), tick=False):
        guardian = make_person(ids.GUARDIAN)
        child = get_person_by_personal_number(ids.CHILD_14)
        logged_in(client, guardian)
        assert client.post("/valj-person/", {"person": child.pk}).status_code == 302
        assert acting_for_id(client) == child.pk

    with time_machine.travel(dt.datetime(2028, 1, 1, 0, 30, tzinfo=STOCKHOLM), tick=False):
        fresh = client.__class__()
        logged_in(fresh, guardian)
        assert fresh.post("/valj-person/", {"person": child.pk}).status_code == 404
        assert acting_for_id(fresh) is None


@pytest.mark.rule("ID-3")
def test_a_session_acting_for_a_child_stops_when_the_child_turns_16(client, db):
    with time_machine.travel(dt.datetime(2027, 12, 31, 23, 50, tzinfo=STOCKHOLM), tick=False) as traveller:
        guardian = make_person(ids.GUARDIAN)
        child = get_person_by_personal_number(ids.CHILD_14)
        logged_in(client, guardian, acting_for=child)
        assert client.get("/mina-sidor/profil/").status_code == 200
        assert acting_for_id(client) == child.pk

        traveller.shift(dt.timedelta(minutes=15))  # 00:05 on the birthday, still inside the idle timeout
        client.get("/mina-sidor/profil/")

        assert acting_for_id(client) is None


def test_only_residents_reach_the_choice(client, db):
    response = client.get("/valj-person/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/?next=")
