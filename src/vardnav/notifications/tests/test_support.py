"""Residents and visitors write to a care provider's support (ORG-6)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.models import AuditEntry
from vardnav.core.actor import Actor
from vardnav.notifications.actions import do_send_support_request
from vardnav.notifications.models import OutgoingMessage, SupportRequest
from vardnav.organizations.actions.providers import do_update_provider

from .conftest import run_tasks

SYSTEM = Actor.system()
TEXT = "Jag kommer inte åt mina provsvar för min diabetes i appen. Vad ska jag göra?"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def support_world(world):
    """The shared world, with a support address for `provider` and none for `other_provider`."""
    do_update_provider(SYSTEM, world.provider, support_email="support@testlan.example")
    return world


def _post(client, to, **overrides):
    data = {"provider": to.pk, "category": "question", "text": TEXT, "reply_to": "", **overrides}
    return client.post("/support/", data)


@pytest.mark.rule("ORG-6")
def test_a_visitor_sends_a_question_to_the_providers_support_which_gets_an_email_without_the_text(
    client, support_world, smtp_server
):
    page = client.get("/support/")
    assert page.status_code == 200 and "Region Testlän" in page.content.decode()

    response = _post(client, support_world.provider, reply_to="besokare@example.se")

    assert response.status_code == 302 and response.url == "/support/skickat/"
    request = SupportRequest.objects.get()
    assert (request.provider, request.category, request.text) == (support_world.provider, "question", TEXT)
    assert request.sender is None and request.reply_to == "besokare@example.se"
    assert run_tasks() == 1
    [message] = smtp_server.messages
    assert smtp_server.recipients() == ["support@testlan.example"]
    assert message["Subject"] == "Ny supportförfrågan i Vårdnav"
    body = message.get_content()
    assert "diabetes" not in body and "provsvar" not in body and "besokare" not in body
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM notifications_supportrequest")
        assert "diabetes" not in cursor.fetchone()[0]


@pytest.mark.rule("ORG-6")
def test_a_logged_in_resident_is_the_sender_and_is_not_asked_for_an_address(client, support_world):
    log_in_client(client, resident_identity(support_world.resident_a))
    assert 'name="reply_to"' not in client.get("/support/").content.decode()

    assert _post(client, support_world.other_provider, category="feedback").status_code == 302

    request = SupportRequest.objects.get()
    assert request.sender == support_world.resident_a and request.provider == support_world.other_provider
    assert not OutgoingMessage.objects.exists(), "a provider without a support address gets no e-mail"
    assert AuditEntry.objects.filter(action="support.request", object_id=str(request.pk)).exists()


@pytest.mark.rule("ORG-6")
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"text": "   "}, "text", "Skriv din fråga eller synpunkt."),
        ({"text": "x" * 2001}, "text", "högst 2000 tecken"),
        ({"category": "spam"}, "category", "Välj vad det gäller."),
        ({"provider": ""}, "provider", "Välj en vårdgivare."),
        ({"reply_to": "inte-en-adress"}, "reply_to", "giltig e-postadress"),
    ],
)
def test_a_faulty_request_is_refused_in_swedish_and_saves_nothing(client, support_world, overrides, field, message):
    response = _post(client, support_world.provider, **overrides)

    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert not SupportRequest.objects.exists()


@pytest.mark.rule("ORG-6")
def test_anonymous_sending_is_rate_limited(client, support_world, settings):
    settings.VARDNAV_SUPPORT_ANONYMOUS_RATE = "3/h"
    for _ in range(3):
        assert _post(client, support_world.provider).status_code == 302

    refused = _post(client, support_world.provider)

    assert refused.status_code == 429
    assert "för många gånger" in refused.content.decode()
    assert SupportRequest.objects.count() == 3


@pytest.mark.rule("ORG-6")
def test_a_provider_admin_sees_and_handles_only_their_own_providers_queue(client, support_world):
    _post(client, support_world.provider, text="Fråga till Testlän")
    _post(client, support_world.other_provider, text="Fråga till Annanlän")
    own, other = SupportRequest.objects.order_by("pk")
    admin = log_in_client(Client(), staff_identity(support_world.provider_admin))
    assert "/personal/installningar/support/" in admin.get("/personal/installningar/").content.decode()

    queue = admin.get("/personal/installningar/support/").content.decode()
    assert f"/personal/installningar/support/{own.pk}/" in queue and "Fråga till Testlän" not in queue
    assert f"/personal/installningar/support/{other.pk}/" not in queue
    detail = admin.get(f"/personal/installningar/support/{own.pk}/")
    assert "Fråga till Testlän" in detail.content.decode()
    assert AuditEntry.objects.filter(action="read", object_id=str(own.pk)).count() == 1
    assert admin.get(f"/personal/installningar/support/{other.pk}/").status_code == 404

    assert admin.post(f"/personal/installningar/support/{own.pk}/hanterad/").status_code == 302
    assert admin.post(f"/personal/installningar/support/{other.pk}/hanterad/").status_code == 404
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.handled_at is not None and other.handled_at is None
    assert AuditEntry.objects.filter(action="support.handled", object_id=str(own.pk)).count() == 1


def test_the_support_queue_runs_a_fixed_number_of_queries(client, support_world):
    _post(client, support_world.provider, text="Den första")
    admin = log_in_client(Client(), staff_identity(support_world.provider_admin))

    def add_rows() -> None:
        for number in range(3):
            do_send_support_request(
                Actor.anonymous(), provider=support_world.provider, category="question", text=f"Fråga {number}"
            )

    assert_same_query_count(lambda: admin.get("/personal/installningar/support/"), add_rows)
