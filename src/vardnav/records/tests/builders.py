"""A case with its dialogue, built through the case engine's own actions, for the records tests."""

from __future__ import annotations

from vardnav.cases.actions import do_distribute_case, do_reply, do_submit_case
from vardnav.cases.models import Case
from vardnav.records.actions import do_sign_note
from vardnav.records.models import RecordNote

ANSWERS = {"subject": "Halsont", "details": "Ont i halsen sedan tre dagar, ingen feber."}


def submit(world, person=None, *, acting_for=None, service=None, unit=None) -> Case:
    actor = world.resident(person or world.resident_a, acting_for)
    if service is None and acting_for is not None and acting_for != world.child_8:
        service, unit = world.open_service, world.unit_x
    return do_submit_case(actor, service=service or world.contact, unit=unit, answers=dict(ANSWERS))


def handled(world, case: Case, *, reply: str = "Det låter som en förkylning.") -> Case:
    """Distributed to handler_x, who answers."""
    do_distribute_case(world.staff(world.receiver_x, world.unit_x, "receiver"), case, handler=world.handler_x)
    do_reply(world.staff(world.handler_x, world.unit_x, "handler"), case, answers={"reply": reply})
    case.refresh_from_db()
    return case


def handler(world):
    return world.staff(world.handler_x, world.unit_x, "handler")


def summary(world, case: Case, *, codes: str = "J06.9", body: str = "Förkylning. Åter vid feber.") -> RecordNote:
    return do_sign_note(
        handler(world), case, body=body, kind="summary", diagnosis_codes=codes, shared_with_resident=True
    )
