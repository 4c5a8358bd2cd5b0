"""The provider's national-sharing policy (REC-3) and staff personal numbers for the log review, in the Django admin.

Scoped to the provider administrator's own provider like the rest of the admin
(organizations.admin.ProviderScopedAdmin); every save goes through
records.actions.do_set_sharing_period, so overlaps are refused and the change is
audited.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from vardnav.organizations.admin import ProviderScopedAdmin, admin_actor
from vardnav.records import actions
from vardnav.records.models import NationalSharingPeriod, StaffPerson


class NationalSharingPeriodForm(forms.ModelForm[NationalSharingPeriod]):
    class Meta:
        model = NationalSharingPeriod
        fields = ["provider", "starts_on", "ends_on", "mode", "principal_name"]


@admin.register(NationalSharingPeriod)
class NationalSharingPeriodAdmin(ProviderScopedAdmin):
    form = NationalSharingPeriodForm
    provider_lookup = "provider_id"
    scoped_foreign_keys = {"provider": "pk"}
    list_display = ["provider", "starts_on", "ends_on", "mode", "principal_name"]
    list_select_related = ["provider"]

    def get_readonly_fields(self, request: HttpRequest, obj: NationalSharingPeriod | None = None) -> list[str]:
        return ["provider"] if obj is not None else []

    def save_model(
        self, request: HttpRequest, obj: NationalSharingPeriod, form: forms.ModelForm[Any], change: bool
    ) -> None:
        data = form.cleaned_data
        period = actions.do_set_sharing_period(
            admin_actor(request),
            provider=obj.provider if change else data["provider"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            mode=data["mode"],
            principal_name=data["principal_name"],
            period=NationalSharingPeriod.objects.get(pk=obj.pk) if change else None,
        )
        self._mark_saved(obj, period)


class StaffPersonForm(forms.ModelForm[StaffPerson]):
    personal_number = forms.CharField(label="Personnummer", max_length=13)

    class Meta:
        model = StaffPerson
        fields = ["staff"]


@admin.register(StaffPerson)
class StaffPersonAdmin(ProviderScopedAdmin):
    """A staff member's personal number, for the log review's own-record, family and colleague flags."""

    form = StaffPersonForm
    provider_lookup = "staff__provider_id"
    scoped_foreign_keys = {"staff": "provider_id"}
    list_display = ["staff", "linked_at"]
    list_select_related = ["staff"]

    def get_readonly_fields(self, request: HttpRequest, obj: StaffPerson | None = None) -> list[str]:
        return ["staff"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: StaffPerson, form: forms.ModelForm[Any], change: bool) -> None:
        link = actions.do_link_staff_person(
            admin_actor(request),
            staff=obj.staff if change else form.cleaned_data["staff"],
            personal_number=form.cleaned_data["personal_number"],
        )
        self._mark_saved(obj, link)
