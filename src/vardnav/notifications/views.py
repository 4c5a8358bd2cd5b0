"""Pages of notifications: the resident's notices, staff notices and support (ORG-6).

The demo's outbox page is in the demo app (vardnav.demo.views).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error
from vardnav.core.http import ActorRequest
from vardnav.identity.decorators import resident_required
from vardnav.identity.staff.views import StaffRequest, staff_required
from vardnav.notifications import access, actions
from vardnav.notifications.forms import SupportForm
from vardnav.notifications.ratelimits import check_support_rate
from vardnav.organizations.access import providers_by_name


def _notice_page(request: ActorRequest, template: str) -> HttpResponse:
    actor = request.actor
    page = access.notices_for(actor, before=request.GET.get("fore") or None)
    unread = [notice.pk for notice in page.items if notice.read_at is None]
    # Marked before rendering so the layout's unread count is already right;
    # the page still shows which ones were new from the ids taken above.
    actions.do_mark_notices_read(actor, unread)
    return render(request, template, {"page": page, "unread_ids": set(unread)})


@never_cache
@require_GET
@resident_required
def resident_notices(request: ActorRequest) -> HttpResponse:
    return _notice_page(request, "notifications/notices.html")


@never_cache
@require_GET
@staff_required
def staff_notices(request: StaffRequest) -> HttpResponse:
    return _notice_page(request, "notifications/staff_notices.html")


@require_http_methods(["GET", "HEAD", "POST"])
def support(request: ActorRequest) -> HttpResponse:
    """ORG-6: anyone may write to a care provider's support; logged-in residents are the sender."""
    actor = request.actor
    anonymous = not actor.is_resident
    providers = list(providers_by_name())
    form = SupportForm(request.POST or None, providers=providers, anonymous=anonymous)
    status = 200
    headers: dict[str, str] = {}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                check_support_rate(request, actor)
                provider = next(p for p in providers if p.pk == data["provider"])
                actions.do_send_support_request(
                    actor,
                    provider=provider,
                    category=data["category"],
                    text=data["text"],
                    reply_to=data.get("reply_to", ""),
                )
            except DomainError as error:
                apply_domain_error(form, error)
                status = error.status if error.status == 429 else 422
                headers = error.headers
            else:
                return redirect("notifications:support_sent")
        else:
            status = 422
    response = render(request, "notifications/support.html", {"form": form, "anonymous": anonymous}, status=status)
    for name, value in headers.items():  # Retry-After when rate-limited
        response[name] = value
    return response


@require_GET
def support_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/support_sent.html")
