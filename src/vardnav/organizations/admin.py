"""The Django admin for care providers, units, staff, roles and listings.

The admin is the platform superuser's only (issue 11, item 13): provider
administrators and heads of unit keep their settings in the staff settings
area (/personal/installningar/), and any other user who opens /admin/ gets the
admin's own login page. The scoping below stays as a second line of defence:
should a provider administrator's user ever pass, they would still see and
change only their own provider's rows. Scoping lives in get_queryset, so an
object outside it is "doesn't exist" to the admin (the same answer as a missing
id), in the foreign-key choices, and in every has_*_permission. Saving goes
through the organizations actions, so the admin obeys the same rules and writes the
same audit entries as every other way in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error
from vardnav.organizations.actions.listings import do_list_person
from vardnav.organizations.actions.providers import PROVIDER_EDITABLE_FIELDS, do_create_provider, do_update_provider
from vardnav.organizations.actions.roles import do_grant_role, do_revoke_role
from vardnav.organizations.actions.staff import (
    STAFF_EDITABLE_FIELDS,
    do_create_staff,
    do_link_staff_user,
    do_update_staff,
)
from vardnav.organizations.actions.units import (
    UNIT_EDITABLE_FIELDS,
    do_activate_eservices,
    do_create_unit,
    do_deactivate_eservices,
    do_set_other_information,
    do_update_unit,
)
from vardnav.organizations.checks import check_hsa_id, check_opening_hours, check_qualification
from vardnav.organizations.errors import OrganizationError
from vardnav.organizations.models import CareProvider, Listing, Qualification, RoleGrant, Staff, Unit, UnitKind
from vardnav.people.actions import do_sync_person_from_register
from vardnav.people.forms import PersonalNumberFormField
from vardnav.people.register import get_population_register

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldGroups

admin.site.site_header = "Vårdnav administration"
admin.site.site_title = "Vårdnav administration"
admin.site.index_title = "Administration"

_CACHE_ATTR = "_vardnav_provider_admin"


def _platform_superuser_only(request: HttpRequest) -> bool:
    """Who may open the Django admin at all: an active platform superuser, nobody else."""
    user = request.user
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


admin.site.has_permission = _platform_superuser_only  # type: ignore[method-assign]


def provider_admin_staff(request: HttpRequest) -> Staff | None:
    """The active provider-admin Staff behind the logged-in admin user, once per request."""
    if hasattr(request, _CACHE_ATTR):
        return getattr(request, _CACHE_ATTR)
    user = request.user
    staff = None
    if user.is_authenticated and user.is_active and user.is_staff and not user.is_superuser:
        staff = Staff.objects.filter(user=user, is_provider_admin=True, is_active=True).first()
    setattr(request, _CACHE_ATTR, staff)
    return staff


def admin_actor(request: HttpRequest) -> Actor:
    """The Actor the admin acts as: a superuser (the platform's powers, logged as that user) or the provider admin."""
    user = request.user
    if user.is_authenticated and user.is_active and user.is_superuser:
        return Actor(kind=ActorKind.SUPERUSER, user_id=user.pk)
    staff = provider_admin_staff(request)
    if staff is None:
        return Actor.anonymous()
    return Actor(kind=ActorKind.STAFF, staff_id=staff.pk, provider_id=staff.provider_id, user_id=user.pk)


def _domain_error_to_form(form: forms.Form, error: DomainError, default_field: str | None = None) -> None:
    field = error.field if error.field in form.fields else default_field
    form.add_error(field, str(error.message))


class ProviderScopedAdmin(admin.ModelAdmin):
    """Scopes a model admin to the provider administrator's own provider.

    `provider_lookup` is the query path from the model to the provider's id.
    """

    provider_lookup = "provider_id"
    # Fields a foreign key of this admin may point at, per related model, scoped the same way.
    scoped_foreign_keys: dict[str, str] = {}

    def _provider_id_of(self, obj: Model) -> int | None:
        value: Any = obj
        for part in self.provider_lookup.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    def _in_scope(self, request: HttpRequest, obj: Model | None) -> bool:
        if request.user.is_superuser:
            return True
        staff = provider_admin_staff(request)
        if staff is None:
            return False
        return obj is None or self._provider_id_of(obj) == staff.provider_id

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        staff = provider_admin_staff(request)
        if staff is None:
            return queryset.none()
        return queryset.filter(**{self.provider_lookup: staff.provider_id})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        staff = provider_admin_staff(request)
        if not request.user.is_superuser and db_field.name in self.scoped_foreign_keys:
            provider_id = staff.provider_id if staff else None
            related = db_field.remote_field.model._default_manager.all()
            kwargs["queryset"] = related.filter(**{self.scoped_foreign_keys[db_field.name]: provider_id})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._in_scope(request, None) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._in_scope(request, obj) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._in_scope(request, None) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._in_scope(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._in_scope(request, obj) and super().has_delete_permission(request, obj)

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        # Forms check what they can; a refusal that only the action can see (a
        # race, a permission changed meanwhile) rolls the whole save back and is
        # shown as a message instead of a server error.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, str(error.message), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        raise OrganizationError.NOT_DELETABLE.error()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        raise OrganizationError.NOT_DELETABLE.error()

    @staticmethod
    def _mark_saved(obj: Model, saved: Model) -> None:
        """Hand the admin the saved row's id: it uses obj for its messages and redirect."""
        obj.pk = saved.pk
        obj._state.adding = False


# --- care providers ----------------------------------------------------------------


class CareProviderForm(forms.ModelForm):
    class Meta:
        model = CareProvider
        fields = ["name", "slug", "organization_number", "support_email", "service_offering", "case_retention_days"]


@admin.register(CareProvider)
class CareProviderAdmin(ProviderScopedAdmin):
    form = CareProviderForm
    provider_lookup = "pk"
    list_display = ["name", "service_offering", "organization_number"]
    search_fields = ["name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return ["slug"] if obj is not None else []

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CareProvider, form: forms.ModelForm, change: bool) -> None:
        actor = admin_actor(request)
        data = form.cleaned_data
        if not change:
            saved = do_create_provider(
                actor,
                name=data["name"],
                slug=data["slug"],
                service_offering=data["service_offering"],
                organization_number=data.get("organization_number", ""),
                support_email=data.get("support_email", ""),
            )
            self._mark_saved(obj, saved)
            return
        changes = {f: data[f] for f in form.changed_data if f in PROVIDER_EDITABLE_FIELDS}
        do_update_provider(actor, CareProvider.objects.get(pk=obj.pk), **changes)


# --- units ------------------------------------------------------------------------------


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "provider",
            "name",
            "slug",
            "hsa_id",
            "kind",
            "street_address",
            "postal_code",
            "city",
            "phone",
            "opening_hours",
            "other_information_html",
        ]
        labels = {"other_information_html": "Övrig information"}
        help_texts = {
            "other_information_html": (
                "Tillåtet: rubrik 2 och 3, stycken, fetstil, kursiv, punkt- och numrerade listor och "
                "http(s)-länkar. Allt annat tas bort när du sparar. Tom text döljer rubriken på mottagningens sida."
            )
        }

    def clean_hsa_id(self) -> str:
        try:
            return check_hsa_id(self.cleaned_data.get("hsa_id", ""))
        except DomainError as error:
            raise forms.ValidationError(str(error.message), code=error.code) from None

    def clean_opening_hours(self) -> list[dict[str, str]]:
        try:
            return check_opening_hours(self.cleaned_data.get("opening_hours"))
        except DomainError as error:
            raise forms.ValidationError(str(error.message), code=error.code) from None


@admin.register(Unit)
class UnitAdmin(ProviderScopedAdmin):
    form = UnitForm
    scoped_foreign_keys = {"provider": "pk"}
    list_display = ["name", "provider", "kind", "hsa_id", "eservices_active"]
    list_filter = ["kind", "eservices_active"]
    list_select_related = ["provider"]
    search_fields = ["name", "hsa_id"]
    actions = ["activate_eservices", "deactivate_eservices"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        base = ["eservices_active", "eservices_activated_at"]
        return ["provider", *base] if obj is not None else base

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # A unit carries listings, roles and (later) cases; it is deactivated, never deleted.
        return False

    def save_model(self, request: HttpRequest, obj: Unit, form: forms.ModelForm, change: bool) -> None:
        actor = admin_actor(request)
        data = form.cleaned_data
        if not change:
            unit = do_create_unit(
                actor,
                provider=data["provider"],
                name=data["name"],
                slug=data["slug"],
                hsa_id=data["hsa_id"],
                kind=data["kind"],
                street_address=data.get("street_address", ""),
                postal_code=data.get("postal_code", ""),
                city=data.get("city", ""),
                phone=data.get("phone", ""),
                opening_hours=data.get("opening_hours"),
            )
        else:
            unit = Unit.objects.get(pk=obj.pk)
            changes = {f: data[f] for f in form.changed_data if f in UNIT_EDITABLE_FIELDS}
            if changes:
                do_update_unit(actor, unit, **changes)
        if "other_information_html" in form.changed_data:
            do_set_other_information(actor, unit, data.get("other_information_html", ""))
        self._mark_saved(obj, unit)

    def _each_unit(self, request: HttpRequest, queryset: QuerySet, action: Any, done: str) -> None:
        actor = admin_actor(request)
        for unit in queryset:
            try:
                action(actor, unit)
            except DomainError as error:
                self.message_user(request, f"{unit.name}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{unit.name}: {done}", messages.SUCCESS)

    @admin.action(description="Aktivera e-tjänster", permissions=["change"])
    def activate_eservices(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each_unit(request, queryset, do_activate_eservices, "e-tjänsterna är aktiverade.")

    @admin.action(description="Avaktivera e-tjänster", permissions=["change"])
    def deactivate_eservices(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each_unit(request, queryset, do_deactivate_eservices, "e-tjänsterna är avaktiverade.")


# --- staff ----------------------------------------------------------------------------------


class StaffForm(forms.ModelForm):
    class Meta:
        model = Staff
        fields = [
            "provider",
            "user",
            "hsa_id",
            "given_name",
            "surname",
            "profession",
            "qualification",
            "specialist_training_percent",
            "is_provider_admin",
            "is_active",
        ]

    def clean_hsa_id(self) -> str:
        try:
            return check_hsa_id(self.cleaned_data.get("hsa_id", ""))
        except DomainError as error:
            raise forms.ValidationError(str(error.message), code=error.code) from None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "qualification" in self.fields:
            self.fields["qualification"].required = False  # left out: "other" (ORG-8)

    def clean(self) -> dict[str, Any]:
        super().clean()  # ModelForm.clean returns self.cleaned_data
        data = self.cleaned_data
        if "profession" in data:
            data["qualification"] = data.get("qualification") or Qualification.OTHER
            try:  # ORG-8
                data["qualification"], data["specialist_training_percent"] = check_qualification(
                    data["profession"], data["qualification"], data.get("specialist_training_percent")
                )
            except DomainError as error:
                apply_domain_error(self, error)
        return data


@admin.register(Staff)
class StaffAdmin(ProviderScopedAdmin):
    form = StaffForm
    scoped_foreign_keys = {"provider": "pk"}
    list_display = ["surname", "given_name", "profession", "provider", "hsa_id", "is_provider_admin", "is_active"]
    list_filter = ["profession", "is_provider_admin", "is_active"]
    list_select_related = ["provider"]
    search_fields = ["surname", "given_name", "hsa_id"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        readonly = [] if request.user.is_superuser else ["user"]
        return [*readonly, "provider"] if obj is not None else readonly

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Staff leave by being made inactive, so the audit trail keeps pointing at someone.
        return False

    def save_model(self, request: HttpRequest, obj: Staff, form: forms.ModelForm, change: bool) -> None:
        actor = admin_actor(request)
        data = form.cleaned_data
        if not change:
            staff = do_create_staff(
                actor,
                provider=data["provider"],
                hsa_id=data["hsa_id"],
                given_name=data["given_name"],
                surname=data["surname"],
                profession=data["profession"],
                is_provider_admin=data.get("is_provider_admin", False),
            )
            if data.get("qualification", Qualification.OTHER) != Qualification.OTHER:
                do_update_staff(
                    actor,
                    staff,
                    qualification=data["qualification"],
                    specialist_training_percent=data.get("specialist_training_percent"),
                )
        else:
            staff = Staff.objects.get(pk=obj.pk)
            changes = {f: data[f] for f in form.changed_data if f in STAFF_EDITABLE_FIELDS}
            if changes:
                do_update_staff(actor, staff, **changes)
        if "user" in form.changed_data and request.user.is_superuser:
            do_link_staff_user(actor, staff, data.get("user"))
        self._mark_saved(obj, staff)


# --- role grants (ORG-4) ----------------------------------------------------------------------


class RoleGrantForm(forms.ModelForm):
    class Meta:
        model = RoleGrant
        fields = ["staff", "unit", "role"]

    def clean(self) -> dict[str, Any]:
        super().clean()  # ModelForm.clean returns self.cleaned_data
        data = self.cleaned_data
        staff, unit = data.get("staff"), data.get("unit")
        if staff is not None and unit is not None and staff.provider_id != unit.provider_id:
            self.add_error("staff", "Medarbetaren hör till en annan vårdgivare än mottagningen.")
        return data


@admin.register(RoleGrant)
class RoleGrantAdmin(ProviderScopedAdmin):
    form = RoleGrantForm
    provider_lookup = "unit__provider_id"
    scoped_foreign_keys = {"staff": "provider_id", "unit": "provider_id"}
    list_display = ["staff", "unit", "role", "granted_at", "granted_by"]
    list_filter = ["role"]
    list_select_related = ["staff", "unit", "granted_by"]
    search_fields = ["staff__surname", "staff__given_name", "unit__name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return ["granted_by", "granted_at"]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # A grant is revoked and granted anew, never edited, so the log tells the whole story.
        return False

    def save_model(self, request: HttpRequest, obj: RoleGrant, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        grant = do_grant_role(admin_actor(request), staff=data["staff"], unit=data["unit"], role=data["role"])
        self._mark_saved(obj, grant)

    def delete_model(self, request: HttpRequest, obj: RoleGrant) -> None:
        do_revoke_role(admin_actor(request), obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        actor = admin_actor(request)
        for grant in queryset.select_related("unit"):
            do_revoke_role(actor, grant)


# --- listings ------------------------------------------------------------------------------


class ListingAddForm(forms.ModelForm):
    """Listing is added by personal number, checked against the population register."""

    personal_number = PersonalNumberFormField()

    class Meta:
        model = Listing
        fields = ["unit"]

    def clean_personal_number(self) -> Any:
        number = self.cleaned_data.get("personal_number")
        if number is not None and get_population_register().lookup(number.digits12) is None:
            raise forms.ValidationError("Personnumret finns inte i folkbokföringen.")
        return number

    def clean_unit(self) -> Unit:
        unit = self.cleaned_data["unit"]
        if unit.kind != UnitKind.PRIMARY_CARE:
            raise forms.ValidationError("Man kan bara lista sig på en vårdcentral.")
        return unit


@admin.register(Listing)
class ListingAdmin(ProviderScopedAdmin):
    provider_lookup = "unit__provider_id"
    scoped_foreign_keys = {"unit": "provider_id"}
    list_display = ["pk", "unit", "listed_at", "ended_at"]
    list_filter = ["unit"]
    list_select_related = ["unit"]

    def get_form(self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = ListingAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> _FieldGroups:
        if obj is None:
            return ["personal_number", "unit"]
        return ["person", "unit", "listed_at", "ended_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return ["person", "unit", "listed_at", "ended_at"] if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # A listing ends when the person lists elsewhere; it is never edited.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Listing, form: forms.Form, change: bool) -> None:
        person = do_sync_person_from_register(form.cleaned_data["personal_number"].digits12)
        listing = do_list_person(admin_actor(request), person, form.cleaned_data["unit"])
        self._mark_saved(obj, listing)


# --- Django's own users and groups ---------------------------------------------------
# Only platform superusers reach these (provider administrators hold no auth
# permissions). They save through Django's forms, not through our actions, so
# every admin save or delete is recorded here, with the acting superuser, in the
# admin's own transaction. Field names only: a user row holds names and e-mail.


class AuditedAdminMixin:
    """Records the admin's additions, changes and deletions in the audit log."""

    audit_events: tuple[AuditEvent, AuditEvent, AuditEvent]  # create, update, delete

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        do_record(admin_actor(request), self.audit_events[0], obj)
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def construct_change_message(self, request: HttpRequest, form: Any, formsets: Any, add: bool = False) -> Any:
        # The form's own field names, stable in every language (the message holds translated labels).
        request._vardnav_changed_fields = sorted(form.changed_data)  # type: ignore[attr-defined]
        return super().construct_change_message(request, form, formsets, add)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        changed = getattr(request, "_vardnav_changed_fields", [])
        extra = {"changed_without_values": changed} if changed else None
        do_record(admin_actor(request), self.audit_events[1], obj, extra=extra)
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        actor = admin_actor(request)
        for obj in queryset:
            do_record(actor, self.audit_events[2], obj)
        return super().log_deletions(request, queryset)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # The bulk "delete selected" action logs before it deletes; one transaction for both.
        with transaction.atomic():
            super().delete_queryset(request, queryset)  # type: ignore[misc]


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AuditedUserAdmin(AuditedAdminMixin, UserAdmin):
    audit_events = (AuditEvent.ADMIN_USER_CREATE, AuditEvent.ADMIN_USER_UPDATE, AuditEvent.ADMIN_USER_DELETE)


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdminMixin, GroupAdmin):
    audit_events = (AuditEvent.ADMIN_GROUP_CREATE, AuditEvent.ADMIN_GROUP_UPDATE, AuditEvent.ADMIN_GROUP_DELETE)
