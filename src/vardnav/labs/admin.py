"""The lab directory in the Django admin, for the platform's administrators (saving goes through do_add_lab)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from vardnav.core.actor import Actor, ActorKind
from vardnav.labs.actions import do_add_lab
from vardnav.labs.models import Lab

FIELDS = ("code", "name", "town", "street_address", "postal_code", "phone", "opening_hours", "drop_in", "is_active")


@admin.register(Lab)
class LabAdmin(admin.ModelAdmin[Lab]):
    list_display = ("name", "town", "drop_in", "is_active")
    list_filter = ("town", "is_active")
    search_fields = ("name", "town")
    fields = FIELDS

    def save_model(self, request: HttpRequest, obj: Lab, form: Any, change: bool) -> None:
        actor = Actor(kind=ActorKind.SUPERUSER, user_id=getattr(request.user, "pk", None))
        saved = do_add_lab(actor, **{name: getattr(obj, name) for name in FIELDS})
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Lab | None = None) -> bool:
        return False  # a referral points at its lab; switch a lab off with "is_active" instead
