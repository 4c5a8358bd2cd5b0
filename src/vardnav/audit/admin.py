"""A read-only view of the audit log in the admin.

Why read-only: entries are never changed or removed by the application; the
admin may look, and its buttons for adding, changing and deleting are gone.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from vardnav.audit.models import AuditChainHead, AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # shared by the audit models' admins
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "action", "object_type", "object_id", "actor_kind", "actor_staff_id", "unit_id"]
    search_fields = ["=object_id", "=request_id"]
    ordering = ["-occurred_at", "-id"]
    show_full_result_count = False  # counting 100 million rows on every page would stall the admin


@admin.register(AuditChainHead)
class AuditChainHeadAdmin(ReadOnlyAdmin):
    list_display = ["shard", "seq", "hash"]
