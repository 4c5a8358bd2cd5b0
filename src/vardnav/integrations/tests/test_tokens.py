"""Integration tokens (CASE-7): stored only as a hash, shown once, scoped to a provider, revocable."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from vardnav.core.actor import Actor
from vardnav.integrations.actions import do_create_integration_token, hash_token
from vardnav.integrations.models import IntegrationToken
from vardnav.organizations.models import CareProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, provider_admin_other):
    client.force_login(provider_admin_other.user)
    return client


def _authenticates(secret: str) -> bool:
    response = Client().post(
        "/api/v1/integrations/cases",
        data=json.dumps({}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    return response.status_code != 401


@pytest.mark.rule("CASE-7")
def test_case_7_the_operator_command_prints_a_secret_that_is_stored_only_as_a_hash(provider):
    out = io.StringIO()
    call_command("create_integration_token", provider=provider.slug, name="1177", stdout=out, stderr=io.StringIO())
    secret = out.getvalue().strip()

    token = IntegrationToken.objects.get(provider=provider, name="1177")
    assert token.token_hash == hash_token(secret) != secret
    assert secret not in json.dumps(list(IntegrationToken.objects.values()), default=str)
    assert token.scopes == ["cases:register"]
    assert _authenticates(secret)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_two_active_tokens_of_a_provider_cannot_share_a_name(provider):
    do_create_integration_token(Actor.system(), provider, name="1177")
    with pytest.raises(Exception, match="redan"):
        do_create_integration_token(Actor.system(), provider, name="1177")


@pytest.mark.rule("CASE-7")
def test_case_7_a_provider_admin_makes_a_token_and_sees_the_secret_once(admin_client, provider_admin_other):
    response = admin_client.post(
        reverse("admin:integrations_integrationtoken_add"),
        {"provider": provider_admin_other.provider_id, "name": "Journalsystemet", "scopes": ["cases:register"]},
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    token = IntegrationToken.objects.get(name="Journalsystemet")
    assert token.provider_id == provider_admin_other.provider_id
    assert token.created_by_staff_id == provider_admin_other.pk
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    secrets = [word for text in texts for word in text.split() if word.startswith("vnv_")]
    assert len(secrets) == 1 and hash_token(secrets[0]) == token.token_hash
    change_url = reverse("admin:integrations_integrationtoken_change", args=[token.pk])
    admin_client.get(change_url)  # the page after saving shows the message, and with it the secret
    page = admin_client.get(change_url).content.decode()
    assert secrets[0] not in page and token.prefix in page


@pytest.mark.rule("CASE-7")
def test_case_7_a_provider_admin_revokes_a_token_and_it_stops_working(admin_client, provider_admin_other):
    token, secret = do_create_integration_token(
        Actor.system(), CareProvider.objects.get(pk=provider_admin_other.provider_id), name="Gammalt"
    )
    assert _authenticates(secret)
    response = admin_client.post(
        reverse("admin:integrations_integrationtoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not _authenticates(secret)


def test_another_providers_token_does_not_exist_for_the_provider_admin(admin_client, provider):
    token, _ = do_create_integration_token(Actor.system(), provider, name="1177")
    response = admin_client.get(reverse("admin:integrations_integrationtoken_change", args=[token.pk]))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    admin_client.post(
        reverse("admin:integrations_integrationtoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is None
    page = admin_client.get(reverse("admin:integrations_integrationtoken_add")).content.decode()
    assert provider.name not in page


def test_a_provider_admin_cannot_make_a_token_for_another_provider(admin_client, provider):
    response = admin_client.post(
        reverse("admin:integrations_integrationtoken_add"),
        {"provider": provider.pk, "name": "Kapad", "scopes": ["cases:register"]},
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not IntegrationToken.objects.exists()
