"""A small world for notification tests, a real SMTP server, and a way to run the queued tasks.

The world is built through actions (as in cases/tests/conftest.py, copied so the
apps' tests stay independent). E-mail goes over real SMTP to an aiosmtpd server
on a free port of 127.0.0.1; tasks run through django_tasks_db's own worker
(Worker.run_task), so what is tested is what `manage.py db_worker` does.
"""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from vardnav.cases.actions import do_distribute_case, do_submit_case
from vardnav.catalog.actions import do_create_service, do_publish_questionnaire, do_save_questionnaire
from vardnav.catalog.models import ServiceKind
from vardnav.core.actor import Actor, ActorKind
from vardnav.demo import identities as ids
from vardnav.identity.actions import do_confirm_email, make_email_confirmation_token
from vardnav.organizations.actions import (
    do_activate_eservices,
    do_create_provider,
    do_create_staff,
    do_create_unit,
    do_grant_role,
    do_list_person,
)
from vardnav.people.actions import do_sync_person_from_register, do_update_contact

SYSTEM = Actor.system()
ITEMS = [
    {"linkId": "subject", "type": "string", "text": "Vad gäller ditt ärende?", "required": True},
    {"linkId": "details", "type": "text", "text": "Beskriv", "required": True, "maxLength": 2000},
]
ANSWERS = {"subject": "Läckage från stomipåsen", "details": "Jag behöver fler påsar av den större storleken."}
# A service whose name alone is health data: it must never appear in an e-mail or SMS.
REVEALING_SERVICE_NAME = "Förnya stomihjälpmedel"


@dataclass
class World:
    provider: Any
    unit_x: Any
    unit_y: Any
    service: Any
    receiver_x: Any
    receiver_x2: Any
    handler_x: Any
    handler_y: Any
    resident_a: Any
    resident_b: Any
    guardian: Any
    child_8: Any
    protected: Any

    def resident(self, person, acting_for=None) -> Actor:
        return Actor(kind=ActorKind.RESIDENT, person_id=person.pk, acting_for_id=acting_for.pk if acting_for else None)

    def staff(self, staff, unit, role) -> Actor:
        return Actor(kind=ActorKind.STAFF, staff_id=staff.pk, unit_id=unit.pk, role=role, provider_id=staff.provider_id)

    def submit(self, person=None, *, acting_for=None):
        actor = self.resident(person or self.resident_a, acting_for)
        return do_submit_case(actor, service=self.service, unit=self.unit_x, answers=dict(ANSWERS))

    def distribute(self, case, partial_reply: str = ""):
        receiver = self.staff(self.receiver_x, self.unit_x, "receiver")
        return do_distribute_case(receiver, case, handler=self.handler_x, partial_reply=partial_reply)

    @property
    def handler(self) -> Actor:
        return self.staff(self.handler_x, self.unit_x, "handler")


def give_confirmed_email(person, address: str, phone: str = ""):
    """The resident enters an address in the profile and opens the confirmation link."""
    do_update_contact(Actor(kind=ActorKind.RESIDENT, person_id=person.pk), person, email=address, phone=phone)
    return do_confirm_email(make_email_confirmation_token(person))


def _staff(provider, hsa, given, profession):
    return do_create_staff(
        SYSTEM, provider=provider, hsa_id=hsa, given_name=given, surname="Testsson", profession=profession
    )


@pytest.fixture
def world(db) -> World:
    provider = do_create_provider(
        SYSTEM, name="Region Testlän", slug="testlan", service_offering="provider_wide", support_email=""
    )
    units = []
    for number in (1, 2):
        unit = do_create_unit(
            SYSTEM,
            provider=provider,
            name=f"Testcentralen {number}",
            slug=f"testcentralen-{number}",
            hsa_id=f"SE2321000016-TC{number}",
            kind="primary_care",
        )
        units.append(do_activate_eservices(SYSTEM, unit))
    unit_x, unit_y = units
    service = do_create_service(SYSTEM, provider, kind=ServiceKind.AIDS_STOMA, name=REVEALING_SERVICE_NAME)
    do_publish_questionnaire(SYSTEM, do_save_questionnaire(SYSTEM, service, title=service.name, items=ITEMS))
    receiver_x = _staff(provider, "SE2321000016-RX1", "Rebecka", "nurse")
    receiver_x2 = _staff(provider, "SE2321000016-RX2", "Rut", "nurse")
    handler_x = _staff(provider, "SE2321000016-HX1", "Hugo", "doctor")
    handler_y = _staff(provider, "SE2321000016-HY1", "Yusuf", "doctor")
    do_grant_role(SYSTEM, staff=receiver_x, unit=unit_x, role="receiver")
    do_grant_role(SYSTEM, staff=receiver_x2, unit=unit_x, role="receiver")
    do_grant_role(SYSTEM, staff=handler_x, unit=unit_x, role="handler")
    do_grant_role(SYSTEM, staff=handler_y, unit=unit_y, role="handler")
    people = {
        name: do_sync_person_from_register(number)
        for name, number in [
            ("resident_a", ids.RESIDENT_A),
            ("resident_b", ids.RESIDENT_B),
            ("guardian", ids.GUARDIAN),
            ("child_8", ids.CHILD_8),
            ("protected", ids.PROTECTED),
        ]
    }
    do_list_person(SYSTEM, people["resident_b"], unit_y)
    return World(
        provider=provider,
        unit_x=unit_x,
        unit_y=unit_y,
        service=service,
        receiver_x=receiver_x,
        receiver_x2=receiver_x2,
        handler_x=handler_x,
        handler_y=handler_y,
        **people,
    )


# --- a real SMTP server ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Recorder:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 that can be stopped and started again on the same port."""

    port: int
    recorder: _Recorder = field(default_factory=_Recorder)
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
            for envelope in self.recorder.envelopes
        ]

    def recipients(self) -> list[str]:
        return [address for envelope in self.recorder.envelopes for address in envelope.rcpt_tos]


@pytest.fixture
def smtp_server(settings):
    server = SmtpServer(port=_free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture
def sms_outbox(settings, tmp_path):
    path = tmp_path / "sms" / "outbox.jsonl"
    settings.SMS_OUTBOX_FILE = path
    settings.SMS_GATEWAY = "vardnav.notifications.channels.FileSmsGateway"
    return path


# --- running the queued tasks ------------------------------------------------------------------


def run_tasks(limit: int = 100) -> int:
    """Run every task that is due, as db_worker does, one at a time; returns how many ran.

    Why not call_command("db_worker"): the command closes "obsolete" database
    connections between tasks, which inside a test's transaction marks it for
    rollback. The claim-and-run below is the worker's own loop body; one
    transactional test runs the real command too.
    """
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="pytest",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
        if result is None:
            return ran
        result.claim("pytest")
        worker.run_task(result)
        ran += 1
    raise AssertionError(f"more than {limit} tasks: a task keeps re-enqueueing itself")
