"""Integration tokens in the Django admin, scoped like organizations.admin.

A provider administrator makes a token for their own provider and sees the
secret once, in the message after saving; afterwards only its first
characters are shown. Tokens are revoked, never edited or deleted, so the log
keeps telling which system did what.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from vardnav.core.errors import DomainError
from vardnav.integrations.actions import do_create_integration_token, do_revoke_integration_token
from vardnav.integrations.models import IntegrationScope, IntegrationToken
from vardnav.organizations.admin import ProviderScopedAdmin, admin_actor

READ_ONLY = ["provider", "name", "scopes", "prefix", "created_at", "created_by_staff", "last_used_at", "revoked_at"]


class IntegrationTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label="Behörigheter",
        choices=IntegrationScope.choices,
        initial=[IntegrationScope.CASES_REGISTER],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = IntegrationToken
        fields = ["provider", "name", "scopes"]


@admin.register(IntegrationToken)
class IntegrationTokenAdmin(ProviderScopedAdmin):
    form = IntegrationTokenForm
    scoped_foreign_keys = {"provider": "pk"}
    list_display = ["name", "provider", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["provider"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return READ_ONLY if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: IntegrationToken, form: forms.ModelForm, change: bool) -> None:
        if change:
            return  # every field is read-only once made; revoking is the action below
        data = form.cleaned_data
        token, secret = do_create_integration_token(
            admin_actor(request), data["provider"], name=data["name"], scopes=data["scopes"]
        )
        self._mark_saved(obj, token)
        obj.prefix, obj.created_at = token.prefix, token.created_at
        self.message_user(
            request,
            f"API-nyckeln för {token.name}: {secret} — kopiera den nu, den visas bara den här gången.",
            messages.WARNING,
        )

    @admin.action(description="Återkalla API-nycklar", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        actor = admin_actor(request)
        for token in queryset:
            try:
                do_revoke_integration_token(actor, token)
            except DomainError as error:
                self.message_user(request, f"{token.name}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{token.name}: återkallad.", messages.SUCCESS)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"scopes": [IntegrationScope.CASES_REGISTER]}
