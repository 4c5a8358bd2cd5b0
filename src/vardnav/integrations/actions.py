"""Making and revoking integration tokens, and authenticating with one."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import cast

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.integrations.errors import IntegrationError
from vardnav.integrations.models import IntegrationScope, IntegrationToken
from vardnav.organizations.access import require_provider_admin
from vardnav.organizations.checks import check_required_text
from vardnav.organizations.models import CareProvider

TOKEN_PREFIX = "vnv_"
SECRET_BYTES = 32
# Writing last_used_at on every request would turn each read into a write; a
# minute's precision is all an administrator needs to see a token is in use.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_scopes(scopes: Iterable[str] | None) -> list[str]:
    chosen = sorted(set(scopes if scopes is not None else [IntegrationScope.CASES_REGISTER]))
    if not chosen or any(scope not in IntegrationScope.values for scope in chosen):
        raise IntegrationError.INVALID_SCOPES.error(field="scopes")
    return chosen


def do_create_integration_token(
    actor: Actor, provider: CareProvider, *, name: str, scopes: Iterable[str] | None = None
) -> tuple[IntegrationToken, str]:
    """A new token for one of the provider's systems; returns it with the secret, which is never stored."""
    require_provider_admin(actor, provider.pk)
    name = check_required_text(name, field="name", label=cast(str, _("Namnet")), max_length=100)
    chosen = check_scopes(scopes)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    try:
        with transaction.atomic():
            token = IntegrationToken.objects.create(
                provider=provider,
                name=name,
                token_hash=hash_token(secret),
                prefix=secret[:12],
                scopes=chosen,
                created_by_staff_id=actor.staff_id if actor.is_staff else None,
                created_at=clock.now(),
            )
            do_record(actor, AuditEvent.INTEGRATION_TOKEN_CREATE, token)
    except IntegrityError:
        raise IntegrationError.TOKEN_NAME_TAKEN.error(field="name") from None
    return token, secret


def do_revoke_integration_token(actor: Actor, token: IntegrationToken) -> IntegrationToken:
    """Revoke at once: the next request with the token is refused (401)."""
    require_provider_admin(actor, token.provider_id)
    with transaction.atomic():
        token = IntegrationToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
            do_record(actor, AuditEvent.INTEGRATION_TOKEN_REVOKE, token)
    return token


def authenticate_integration_token(secret: str) -> IntegrationToken | None:
    """The active token with this secret, its use noted; None for an unknown or revoked one."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        IntegrationToken.objects.select_related("provider")
        .filter(token_hash=hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def integration_actor(token: IntegrationToken) -> Actor:
    """What an integration acts as: its provider and the token it used, no person and no staff member."""
    return Actor(kind=ActorKind.INTEGRATION, provider_id=token.provider_id, token_id=token.pk)
