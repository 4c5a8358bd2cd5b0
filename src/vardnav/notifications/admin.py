"""The support queue in the Django admin (ORG-6), scoped like organizations.admin.

Why the admin: a provider's administrators already work there, scoped to their
own provider (organizations.admin.ProviderScopedAdmin). A request is read-only;
the one change is "handled", made through notifications.actions so it is
audited. Access needs only the provider-admin scope, not a model permission,
so the provider-admin group's permissions (organizations) need not list this app.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from vardnav.core.errors import DomainError
from vardnav.notifications.actions import do_mark_support_request_handled
from vardnav.notifications.models import SupportRequest
from vardnav.organizations.admin import ProviderScopedAdmin, admin_actor

SUPPORT_ADMIN_FIELDS: tuple[str, ...] = (
    "provider",
    "category",
    "text",
    "reply_to",
    "sender",
    "created_at",
    "handled_at",
    "handled_by",
)


@admin.register(SupportRequest)
class SupportRequestAdmin(ProviderScopedAdmin):
    list_display = ["created_at", "provider", "category", "handled_at"]
    list_filter = ["category", ("handled_at", admin.EmptyFieldListFilter)]
    list_select_related = ["provider"]
    fields = SUPPORT_ADMIN_FIELDS
    readonly_fields = SUPPORT_ADMIN_FIELDS  # all of them: nothing is edited here
    actions = ["mark_handled"]
    ordering = ["-created_at", "-id"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._in_scope(request, None)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._in_scope(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Needed for the "handled" action; every field is read-only.
        return self._in_scope(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.action(description="Markera som hanterad", permissions=["change"])
    def mark_handled(self, request: HttpRequest, queryset: QuerySet) -> None:
        actor = admin_actor(request)
        done = 0
        for support_request in queryset:
            try:
                do_mark_support_request_handled(actor, support_request)
            except DomainError as error:
                self.message_user(request, str(error.message), messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} förfrågningar är markerade som hanterade.", messages.SUCCESS)
