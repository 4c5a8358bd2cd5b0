"""The catalogue in the Django admin: services, questionnaires (ORG-3) and unit offerings (ORG-2).

Scoped like organizations.admin: a provider administrator sees and changes
only their own provider's rows, and another provider's row is "doesn't exist".
Every save goes through catalog.actions. Editing a questionnaire saves the
service's draft through do_save_questionnaire, so editing a published version
makes (or updates) the next draft and the published row never changes:
responses keep the exact questions they answered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from vardnav.catalog import actions
from vardnav.catalog.forms import QuestionnaireForm, ServiceForm, UnitServiceForm
from vardnav.catalog.models import Questionnaire, QuestionnaireStatus, Service, UnitService
from vardnav.catalog.questionnaires import ITEM_TYPES
from vardnav.core.errors import DomainError
from vardnav.organizations.admin import ProviderScopedAdmin, admin_actor
from vardnav.organizations.models import ServiceOffering

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldGroups

# --- services -----------------------------------------------------------------------


_VERSION_COLUMNS = ("version", "status", "title", "published_at")


class QuestionnaireVersionInline(admin.TabularInline):
    """The service's questionnaire versions, read-only, each linking to its own page."""

    model = Questionnaire
    fields = _VERSION_COLUMNS
    readonly_fields = _VERSION_COLUMNS
    extra = 0
    show_change_link = True
    can_delete = False
    verbose_name = "version"
    verbose_name_plural = "frågeformulärets versioner"

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Service)
class ServiceAdmin(ProviderScopedAdmin):
    form = ServiceForm
    scoped_foreign_keys = {"provider": "pk"}
    list_display = [
        "name",
        "kind",
        "provider",
        "handling_time_value",
        "handling_time_unit",
        "listing_bound",
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
    list_select_related = ["provider"]
    search_fields = ["name"]
    inlines = [QuestionnaireVersionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return ["provider", "kind"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Cases point at their service; a service is made inactive, never deleted.
        return False

    def save_model(self, request: HttpRequest, obj: Service, form: forms.ModelForm, change: bool) -> None:
        actor = admin_actor(request)
        data = form.cleaned_data
        if not change:
            service = actions.do_create_service(
                actor,
                data["provider"],
                kind=data["kind"],
                name=data.get("name") or "",
                description=data.get("description") or "",
                handling_time_value=data["handling_time_value"],
                handling_time_unit=data["handling_time_unit"],
                routed_role=data["routed_role"],
                listing_bound=data.get("listing_bound", False),
                attachments_allowed=data.get("attachments_allowed", False),
            )
            if not data.get("is_active", True):
                actions.do_update_service(actor, service, is_active=False)
        else:
            service = Service.objects.get(pk=obj.pk)
            changes = {f: data[f] for f in form.changed_data if f in actions.SERVICE_EDITABLE_FIELDS}
            if changes:
                actions.do_update_service(actor, service, **changes)
        self._mark_saved(obj, service)


# --- questionnaires (ORG-3) -------------------------------------------------------------


def render_preview(items: list[dict[str, Any]]) -> SafeString:
    """The items as the resident meets them, without inputs: text, type, required, options, conditions."""
    if not items:
        return format_html("<p>{}</p>", "Inga frågor.")
    rows = []
    for item in items:
        details = [ITEM_TYPES.get(item.get("type", ""), item.get("type", ""))]
        if item.get("required"):
            details.append("obligatorisk")
        if item.get("repeats"):
            details.append("flera val")
        for bound, label in (("minValue", "min"), ("maxValue", "max"), ("maxLength", "högst tecken")):
            if bound in item:
                details.append(f"{label} {item[bound]}")
        options = format_html_join(
            "",
            "<li>{}</li>",
            ((option.get("display") or option.get("code"),) for option in item.get("answerOption", [])),
        )
        conditions = "; ".join(
            f"{c.get('question')} {c.get('operator')} {c.get('answer')}" for c in item.get("enableWhen", [])
        )
        rows.append(
            format_html(
                "<li><strong>{}</strong> <small>({}, id {})</small>{}{}{}</li>",
                item.get("text", ""),
                ", ".join(details),
                item.get("linkId", ""),
                format_html("<br><em>{}</em>", item["help"]) if item.get("help") else "",
                format_html("<ul>{}</ul>", options) if options else "",
                format_html("<br><small>Visas när: {}</small>", conditions) if conditions else "",
            )
        )
    return format_html('<ol class="questionnaire-preview">{}</ol>', format_html_join("", "{}", ((r,) for r in rows)))


@admin.register(Questionnaire)
class QuestionnaireAdmin(ProviderScopedAdmin):
    form = QuestionnaireForm
    provider_lookup = "service__provider_id"
    scoped_foreign_keys = {"service": "provider_id"}
    list_display = ["title", "service", "version", "status", "published_at"]
    list_filter = ["status"]
    list_select_related = ["service"]
    search_fields = ["title", "service__name"]
    actions = ["publish"]

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> _FieldGroups:
        if obj is None:
            return ["service", "title", "items"]
        return ["service", "version", "status", "published_at", "title", "items", "preview"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return ["service", "version", "status", "published_at", "preview"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Responses point at their version; versions are retired, never deleted.
        return False

    @admin.display(description="Förhandsvisning")
    def preview(self, obj: Questionnaire) -> SafeString:
        return render_preview(obj.items)

    def save_model(self, request: HttpRequest, obj: Questionnaire, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        service = Service.objects.get(pk=obj.service_id) if change else data["service"]
        edited_published = (
            change and Questionnaire.objects.filter(pk=obj.pk, status=QuestionnaireStatus.PUBLISHED).exists()
        )
        draft = actions.do_save_questionnaire(admin_actor(request), service, title=data["title"], items=data["items"])
        self._mark_saved(obj, draft)
        obj.version, obj.status, obj.title = draft.version, draft.status, draft.title
        note = " Den publicerade versionen är oförändrad." if edited_published else ""
        self.message_user(
            request,
            f"Sparat som utkast, version {draft.version}. Publicera det när det är klart.{note}",
            messages.INFO,
        )

    @admin.action(description="Publicera", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        actor = admin_actor(request)
        for questionnaire in queryset.select_related("service"):
            try:
                actions.do_publish_questionnaire(actor, questionnaire)
            except DomainError as error:
                self.message_user(request, f"{questionnaire}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{questionnaire}: publicerad.", messages.SUCCESS)


# --- unit offerings (ORG-2, per_unit providers) -------------------------------------------


@admin.register(UnitService)
class UnitServiceAdmin(ProviderScopedAdmin):
    form = UnitServiceForm
    provider_lookup = "unit__provider_id"
    scoped_foreign_keys = {"unit": "provider_id", "service": "provider_id"}
    list_display = ["unit", "service", "attachments_allowed"]
    list_select_related = ["unit", "service"]
    search_fields = ["unit__name", "service__name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(unit__provider__service_offering=ServiceOffering.PER_UNIT)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "unit":
            field.queryset = field.queryset.filter(provider__service_offering=ServiceOffering.PER_UNIT)
        return field

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return ["unit", "service"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: UnitService, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        unit = obj.unit if change else data["unit"]
        service = obj.service if change else data["service"]
        offering = actions.do_offer_service(
            admin_actor(request), unit, service, attachments_allowed=data.get("attachments_allowed", False)
        )
        self._mark_saved(obj, offering)

    def delete_model(self, request: HttpRequest, obj: UnitService) -> None:
        actions.do_withdraw_service(admin_actor(request), obj.unit, obj.service)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        actor = admin_actor(request)
        for offering in queryset.select_related("unit__provider", "service"):
            actions.do_withdraw_service(actor, offering.unit, offering.service)
