"""Bookings in the Django admin: visit types, a unit's booking settings and the cut-off policy (BOOK-1, BOOK-3).

Scoped to the provider administrator's own provider like the rest of the admin
(organizations.admin.ProviderScopedAdmin); every save goes through the
bookings actions, so it is checked and audited like any other change.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from vardnav.bookings import actions
from vardnav.bookings.models import CancellationPolicy, UnitBookingSettings, VisitType
from vardnav.organizations.admin import ProviderScopedAdmin, admin_actor


class CancellationPolicyForm(forms.ModelForm[CancellationPolicy]):
    class Meta:
        model = CancellationPolicy
        fields = ["provider", "unit_kind", "notice_hours", "counting"]


@admin.register(CancellationPolicy)
class CancellationPolicyAdmin(ProviderScopedAdmin):
    form = CancellationPolicyForm
    provider_lookup = "provider_id"
    scoped_foreign_keys = {"provider": "pk"}
    list_display = ["provider", "unit_kind", "notice_hours", "counting"]
    list_select_related = ["provider"]

    def get_readonly_fields(self, request: HttpRequest, obj: CancellationPolicy | None = None) -> list[str]:
        return ["provider", "unit_kind"] if obj is not None else []

    def save_model(
        self, request: HttpRequest, obj: CancellationPolicy, form: forms.ModelForm[Any], change: bool
    ) -> None:
        data = form.cleaned_data
        policy = actions.do_set_cancellation_policy(
            admin_actor(request),
            provider=obj.provider if change else data["provider"],
            unit_kind=obj.unit_kind if change else data["unit_kind"],
            notice_hours=data["notice_hours"],
            counting=data["counting"],
        )
        self._mark_saved(obj, policy)


class UnitBookingSettingsForm(forms.ModelForm[UnitBookingSettings]):
    class Meta:
        model = UnitBookingSettings
        fields = ["unit", "online_booking", "drop_in", "drop_in_hours", "reminder_hours", "weeks_ahead"]


@admin.register(UnitBookingSettings)
class UnitBookingSettingsAdmin(ProviderScopedAdmin):
    form = UnitBookingSettingsForm
    provider_lookup = "unit__provider_id"
    scoped_foreign_keys = {"unit": "provider_id"}
    list_display = ["unit", "online_booking", "drop_in", "reminder_hours"]
    list_select_related = ["unit"]

    def get_readonly_fields(self, request: HttpRequest, obj: UnitBookingSettings | None = None) -> list[str]:
        return ["unit"] if obj is not None else []

    def save_model(
        self, request: HttpRequest, obj: UnitBookingSettings, form: forms.ModelForm[Any], change: bool
    ) -> None:
        data = form.cleaned_data
        settings = actions.do_set_booking_settings(
            admin_actor(request),
            unit=obj.unit if change else data["unit"],
            online_booking=data["online_booking"],
            drop_in=data["drop_in"],
            drop_in_hours=data["drop_in_hours"] or [],
            reminder_hours=data["reminder_hours"],
            weeks_ahead=data["weeks_ahead"],
        )
        self._mark_saved(obj, settings)


class VisitTypeForm(forms.ModelForm[VisitType]):
    class Meta:
        model = VisitType
        fields = [
            "unit",
            "kind",
            "name",
            "duration_minutes",
            "profession",
            "minimum_age_months",
            "online_bookable",
            "is_active",
        ]


@admin.register(VisitType)
class VisitTypeAdmin(ProviderScopedAdmin):
    form = VisitTypeForm
    provider_lookup = "unit__provider_id"
    scoped_foreign_keys = {"unit": "provider_id"}
    list_display = ["name", "unit", "kind", "duration_minutes", "minimum_age_months", "online_bookable", "is_active"]
    list_select_related = ["unit"]
    list_filter = ["kind", "online_bookable", "is_active"]

    def get_readonly_fields(self, request: HttpRequest, obj: VisitType | None = None) -> list[str]:
        return ["unit", "kind"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: VisitType, form: forms.ModelForm[Any], change: bool) -> None:
        data = form.cleaned_data
        actor = admin_actor(request)
        if change:
            fields = ["name", "duration_minutes", "profession", "minimum_age_months", "online_bookable", "is_active"]
            saved = actions.do_update_visit_type(actor, obj, **{name: data[name] for name in fields})
        else:
            saved = actions.do_create_visit_type(
                actor,
                unit=data["unit"],
                kind=data["kind"],
                name=data["name"],
                duration_minutes=data["duration_minutes"],
                profession=data["profession"],
                minimum_age_months=data["minimum_age_months"],
                online_bookable=data["online_bookable"],
            )
        self._mark_saved(obj, saved)
