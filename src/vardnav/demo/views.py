"""The demo's own pages: what Vårdnav has queued for sending, and the e-mails the local sink received.

Why in the demo app: both exist only for testers. The app is not installed in
production, and each page also answers 404 when VARDNAV_DEMO is off.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from vardnav.demo.mailsink import received_mails
from vardnav.notifications import access


def _require_demo() -> None:
    if not settings.VARDNAV_DEMO:
        raise Http404


@never_cache
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """The notifications outbox (e-mail and SMS), recipients masked."""
    _require_demo()
    rows = [
        {"message": message, "recipient": access.mask_address(message.recipient)}
        for message in access.recent_outgoing_messages()
    ]
    return render(request, "demo/outbox.html", {"rows": rows})


@never_cache
@require_GET
def mailbox(request: HttpRequest) -> HttpResponse:
    """The e-mails the demo's SMTP sink received, in full, so a tester can open the links in them."""
    _require_demo()
    return render(request, "demo/mailbox.html", {"mails": received_mails(settings.DEMO_MAIL_DIR)})
