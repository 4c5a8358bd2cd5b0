"""The provider's support queue in the staff settings area (ORG-6; issue 11, item 13: no Django admin for it).

The provider's administrators read what residents and visitors wrote to the
provider's support and mark it handled. The list shows no text (it may hold
health data); opening one request shows it and is logged as a read.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core.errors import DomainError
from vardnav.core.pagination import decode_cursor, encode_cursor
from vardnav.identity.staff.views import StaffRequest
from vardnav.notifications import access as support_access
from vardnav.notifications.actions import do_mark_support_request_handled
from vardnav.organizations import access
from vardnav.organizations.staff_views import saved_redirect, settings_context, settings_page


@never_cache
@require_GET
@settings_page
def queue(request: StaffRequest) -> HttpResponse:
    provider = access.access_administered_provider(request.actor)
    try:
        rows = support_access.provider_support_requests(provider.pk, decode_cursor(request.GET.get("after")))
    except DomainError:
        raise Http404 from None
    more = len(rows) > support_access.SUPPORT_PAGE_SIZE
    rows = rows[: support_access.SUPPORT_PAGE_SIZE]
    cursor = encode_cursor(rows[-1].created_at, rows[-1].pk) if more else ""
    return render(
        request,
        "notifications/settings/support_queue.html",
        settings_context(request, provider=provider, rows=rows, cursor=cursor),
    )


@never_cache
@require_GET
@settings_page
def support_request(request: StaffRequest, request_id: int) -> HttpResponse:
    provider = access.access_administered_provider(request.actor)
    found = support_access.access_provider_support_request(provider.pk, request_id)
    do_record(request.actor, AuditEvent.READ, found, subject_person_id=found.sender_id)
    return render(
        request, "notifications/settings/support_request.html", settings_context(request, provider=provider, item=found)
    )


@require_POST
@settings_page
def mark_handled(request: StaffRequest, request_id: int) -> HttpResponse:
    provider = access.access_administered_provider(request.actor)
    do_mark_support_request_handled(
        request.actor, support_access.access_provider_support_request(provider.pk, request_id)
    )
    return saved_redirect(request, _("Förfrågan är markerad som hanterad."), reverse("supportsettings:queue"))
