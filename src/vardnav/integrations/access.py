"""How integration tokens are fetched for an actor: only through their provider."""

from __future__ import annotations

from django.db.models import QuerySet

from vardnav.core.errors import NotFound
from vardnav.integrations.models import IntegrationToken


def provider_tokens(provider_id: int) -> QuerySet[IntegrationToken]:
    """The provider's tokens, active first, newest first; the list needs no more queries per row."""
    return (
        IntegrationToken.objects.filter(provider_id=provider_id)
        .select_related("created_by_staff")
        .order_by("revoked_at", "-created_at", "-pk")
    )


def access_provider_token(provider_id: int, token_id: int) -> IntegrationToken:
    """One of the provider's tokens; another provider's token is the same 404 as a missing one."""
    token = IntegrationToken.objects.filter(provider_id=provider_id, pk=token_id).first()
    if token is None:
        raise NotFound()
    return token
