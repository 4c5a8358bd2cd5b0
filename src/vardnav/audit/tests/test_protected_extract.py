"""PRIV-2: a resident with a protected identity sees every access and action in their data, not only staff's."""

from __future__ import annotations

import pytest

from tests.sessions import log_in_client, resident_identity
from vardnav.audit.access import access_log_extract
from vardnav.audit.actions import do_record, record_staff_read
from vardnav.audit.events import AuditEvent
from vardnav.core.actor import Actor

pytestmark = pytest.mark.django_db


def entries_about(world, person):
    record_staff_read(
        world.staff(world.handler_x, world.unit_x, "handler"),
        subject_person_id=person.pk,
        object_type="case",
        object_id=1,
        purpose="vård",
    )
    do_record(world.resident(person), AuditEvent.JOURNAL_READ, person, subject_person_id=person.pk)
    do_record(Actor.system(), AuditEvent.EXPORT, person, subject_person_id=person.pk)


@pytest.mark.rule("PRIV-2")
def test_a_protected_resident_sees_every_access_and_action_others_see_staff_reads(world):
    entries_about(world, world.protected)
    entries_about(world, world.resident_a)

    protected = access_log_extract(world.resident(world.protected), world.protected.pk).items
    ordinary = access_log_extract(world.resident(world.resident_a), world.resident_a.pk).items

    # Also the register sync that created the person (the platform's own action) is shown.
    assert {"read", "journal.read", "export"} <= {item.action for item in protected}
    assert {"", "Du själv", "Vårdnav (automatiskt)"} <= {item.actor_label for item in protected}
    assert [item.action for item in ordinary] == ["read"] and ordinary[0].actor_label == ""


@pytest.mark.rule("PRIV-2")
def test_the_page_names_who_acted_when_it_was_not_staff(world, client):
    entries_about(world, world.protected)
    log_in_client(client, resident_identity(world.protected))
    page = client.get("/mina-sidor/loggutdrag/").content.decode()
    assert "Du själv" in page and "Vårdnav (automatiskt)" in page and world.handler_x.surname in page
