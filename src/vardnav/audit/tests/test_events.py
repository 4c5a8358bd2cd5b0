"""The audit vocabulary: every event has a label a resident can read, in Swedish and in English."""

from __future__ import annotations

import pytest
import time_machine
from django.utils import translation

from vardnav.audit.access import access_log_extract
from vardnav.audit.actions import chain_hash, do_record
from vardnav.audit.events import AuditEvent, event_label
from vardnav.audit.models import GENESIS_HASH, AuditEntry
from vardnav.audit.tests.helpers import FROZEN_NOW, RESIDENT_ID, make_organization, resident_actor
from vardnav.audit.tests.test_api import _log_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(FROZEN_NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _language_restored():
    """A request in English leaves English active in the thread (LocaleMiddleware); later tests expect Swedish."""
    with translation.override("sv"):
        yield


def _legacy_entry(action: str) -> AuditEntry:
    """A staff read stored under a value no AuditEvent has, as a renamed or retired event would be.

    do_record refuses such a value, so the entry is written as do_record wrote
    them before the vocabulary existed, on a shard of its own.
    """
    org = make_organization()
    entry = AuditEntry(
        occurred_at=FROZEN_NOW,
        actor_kind="staff",
        actor_staff_id=org.handler.pk,
        unit_id=org.unit.pk,
        action=action,
        object_type="cases.case",
        object_id="1",
        subject_person_id=RESIDENT_ID,
        shard=999,
        seq=1,
        prev_hash=GENESIS_HASH,
    )
    entry.hash = chain_hash(entry.prev_hash, entry.chain_payload())
    entry.save()
    return entry


@pytest.mark.parametrize("event", list(AuditEvent), ids=str)
def test_every_event_has_a_swedish_label_and_an_english_translation(event):
    with translation.override("sv"):
        swedish = str(event.label)
    with translation.override("en"):
        english = str(event.label)
    assert swedish and swedish != event.value
    assert english and english not in (swedish, event.value)


def test_no_two_events_read_the_same_to_a_resident():
    labels = [str(event.label) for event in AuditEvent]
    assert len(set(labels)) == len(labels)


def test_a_value_outside_the_vocabulary_cannot_be_recorded():
    with pytest.raises(TypeError, match="not an AuditEvent"):
        do_record(resident_actor(), "case.submit", object_type="cases.case", object_id=1)
    assert not AuditEntry.objects.exists()


@pytest.mark.rule("REC-1")
def test_the_extract_shows_every_event_by_its_label_never_its_code():
    org = make_organization()
    for event in AuditEvent:
        do_record(org.handler_actor, event, object_type="cases.case", object_id=1, subject_person_id=RESIDENT_ID)
    for language in ("sv", "en"):
        with translation.override(language):
            items, after = [], None
            while True:  # more events than one page holds: read every page
                page = access_log_extract(resident_actor(), RESIDENT_ID, limit=200, after=after)
                items += page.items
                if not (after := page.next_cursor):
                    break
            assert {item.action for item in items} == set(AuditEvent.values)
            assert all(item.action_label == str(AuditEvent(item.action).label) for item in items)
    assert not [item for item in items if item.action_label == item.action]


@pytest.mark.rule("REC-1")
def test_an_unknown_stored_event_is_shown_with_a_generic_label(client):
    _legacy_entry("case.escalate")
    [item] = access_log_extract(resident_actor(), RESIDENT_ID).items
    assert (item.action, item.action_label) == ("case.escalate", "Annan händelse i Vårdnav")
    with translation.override("en"):
        assert event_label("case.escalate") == "Another event in Vårdnav"
    _log_in(client, person_id=RESIDENT_ID)
    html = client.get("/mina-sidor/loggutdrag/").content.decode()
    assert "Annan händelse i Vårdnav" in html
    assert "case.escalate" not in html


@pytest.mark.rule("REC-1")
def test_the_extract_page_and_api_show_the_label_of_a_case_event(client):
    org = make_organization()
    do_record(
        org.handler_actor,
        AuditEvent.CASE_DISTRIBUTE,
        object_type="cases.case",
        object_id=1,
        subject_person_id=RESIDENT_ID,
    )
    _log_in(client, person_id=RESIDENT_ID)
    assert "Fördelade ärendet till en handläggare" in client.get("/mina-sidor/loggutdrag/").content.decode()
    [item] = client.get("/api/v1/me/access-log", HTTP_ACCEPT_LANGUAGE="en").json()["items"]
    assert (item["action"], item["action_label"]) == ("case.distribute", "Assigned the case to a case officer")
