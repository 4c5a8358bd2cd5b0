"""The notices cases send: the shared world (tests/personas.py) with a second receiver and a revealing service.

The SMTP server, the SMS outbox and the task runner are notifications' own test
fixtures, so what is tested is what the worker really sends.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.personas import World, actor_for, build_world, grant, make_service, make_staff
from vardnav.cases.actions import do_distribute_case, do_submit_case
from vardnav.catalog.models import Service, ServiceKind
from vardnav.core.actor import Actor
from vardnav.notifications.tests.conftest import (  # noqa: F401 - fixtures shared with notifications' tests
    give_confirmed_email,
    run_tasks,
    sms_outbox,
    smtp_server,
)
from vardnav.organizations.models import Staff

ANSWERS = {"subject": "Läckage från stomipåsen", "details": "Jag behöver fler påsar av den större storleken."}
# A service whose name alone is health data: it must never appear in an e-mail or SMS.
REVEALING_SERVICE_NAME = "Förnya stomihjälpmedel"


@dataclass
class NoticesWorld(World):
    """The shared world, a second receiver at unit X and a service whose name reveals health data."""

    receiver_x2: Staff | None = None
    service: Service | None = None

    def submit(self, person=None, *, acting_for=None):
        actor = actor_for(person or self.resident_a, acting_for=acting_for)
        return do_submit_case(actor, service=self.service, unit=self.unit_x, answers=dict(ANSWERS))

    def distribute(self, case, partial_reply: str = ""):
        receiver = actor_for(self.receiver_x, unit=self.unit_x, role="receiver")
        return do_distribute_case(receiver, case, handler=self.handler_x, partial_reply=partial_reply)

    @property
    def handler(self) -> Actor:
        return actor_for(self.handler_x, unit=self.unit_x, role="handler")


@pytest.fixture
def world(db) -> NoticesWorld:
    base = build_world()
    receiver_x2 = make_staff(base.provider, "SE2321000016-RX2", "Rut", "nurse")
    grant(receiver_x2, base.unit_x, "receiver")
    service = make_service(base.provider, ServiceKind.AIDS_STOMA, name=REVEALING_SERVICE_NAME)
    return NoticesWorld(**vars(base), receiver_x2=receiver_x2, service=service)
