"""The Django admin for people: read-only, scoped, and every opened person is logged.

Why read-only: people come from the population register (people.actions), so
nobody edits a name or number here. Why logged: the change page shows a
resident's personal number and name, and every staff read of a resident's
personal data is recorded with the person as subject (REC-1). A provider
administrator sees only residents currently listed at their provider's units.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from vardnav.audit.actions import do_record, record_staff_read
from vardnav.audit.events import AuditEvent
from vardnav.core.crypto import blind_index_candidates
from vardnav.core.errors import DomainError
from vardnav.core.personal_number import parse_personal_number
from vardnav.organizations.admin import admin_actor, provider_admin_staff
from vardnav.people.models import Person

READ_PURPOSE = "Administration: personuppgifter i administrationen"


PERSON_ADMIN_FIELDS: tuple[str, ...] = (
    "personal_number",
    "given_name",
    "surname",
    "birth_date",
    "is_coordination_number",
    "protected_identity",
)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["pk", "masked_personal_number", "protected_identity", "is_coordination_number"]
    list_filter = ["protected_identity", "is_coordination_number"]
    search_fields = ["personal_number_index"]  # searched by blind index, see get_search_results
    search_help_text = "Sök på hela personnumret, till exempel 19790101-2380."
    fields = PERSON_ADMIN_FIELDS
    readonly_fields = PERSON_ADMIN_FIELDS  # all of them: nothing is edited here
    show_full_result_count = False

    @admin.display(description="Personnummer")
    def masked_personal_number(self, person: Person) -> str:
        # The list shows many people at once; full numbers and names appear only
        # on the change page, where the read is logged for the one person opened.
        return f"{person.personal_number[:8]}-****"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        staff = provider_admin_staff(request)
        if staff is None:
            return queryset.none()
        listed_here = Person.objects.filter(
            listings__unit__provider_id=staff.provider_id, listings__ended_at__isnull=True
        ).values("pk")
        return queryset.filter(pk__in=listed_here)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Person], search_term: str
    ) -> tuple[QuerySet[Person], bool]:
        """Numbers are encrypted, so the only search is an exact one through the blind index."""
        if not search_term.strip():
            return queryset, False
        try:
            digits12 = parse_personal_number(search_term).digits12
        except DomainError:
            return queryset.none(), False
        return queryset.filter(personal_number_index__in=blind_index_candidates(digits12)), False

    def _may_see(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or provider_admin_staff(request) is not None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_see(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_see(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Person | None = None,
    ) -> HttpResponse:
        # Reached only for a person inside the queryset (others are "doesn't
        # exist"), right before their data is shown: the read is logged first,
        # and if logging fails nothing is shown.
        if obj is not None:
            actor = admin_actor(request)
            with transaction.atomic():
                if actor.is_staff:
                    record_staff_read(actor, obj, subject_person_id=obj.pk, purpose=READ_PURPOSE)
                else:
                    do_record(actor, AuditEvent.READ, obj, subject_person_id=obj.pk, purpose=READ_PURPOSE)
        return super().render_change_form(request, context, add, change, form_url, obj)
