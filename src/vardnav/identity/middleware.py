"""Session timeouts and acting-for checks on every request.

Why middleware: the idle (SESSION_IDLE_SECONDS) and absolute (SESSION_COOKIE_AGE)
timeouts and the "child turned 16" rule (ID-3) must hold for every page and
endpoint, including ones written later by other apps, without each view
remembering to check. Sits after SessionMiddleware, AuthenticationMiddleware
and MessageMiddleware.

After it ran, `request.actor` is the Actor of the live session (anonymous when
there is none) and `request.session_expired` says why a session just ended
("idle", "absolute") or is None.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse

from vardnav.core.errors import NotFound, problem_body
from vardnav.identity.access import access_child_for_guardian
from vardnav.identity.checks import (
    FROM_16_EXPLANATION,
    JOURNAL_ONLY_HOME,
    JOURNAL_ONLY_URL_NAMES,
    journal_only_session_allowed,
)
from vardnav.identity.session import (
    EARLY_ACCESS_ENDED,
    end_session,
    enforce_timeouts,
    get_actor,
    get_identity,
    update_session,
)

API_PREFIX = "/api/"
ACTING_FOR_ENDED = "Du agerar nu för dig själv. " + FROM_16_EXPLANATION
JOURNAL_ONLY_EXPLANATION = (
    "Med tidig åtkomst kan du bara läsa din journal. Resten av tjänsten kan du använda från 16 år."
)


class IdentitySessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        identity_before = get_identity(request)
        reason = enforce_timeouts(request)
        if (
            not reason
            and (identity_before or {}).get("journal_only")
            and not journal_only_session_allowed(
                int(identity_before.get("person_id") or 0)  # type: ignore[union-attr]
            )
        ):
            end_session(request, reason=EARLY_ACCESS_ENDED)  # REC-8: the early access was withdrawn
            reason = EARLY_ACCESS_ENDED
        request.session_expired = reason  # type: ignore[attr-defined]
        actor = get_actor(request)
        if actor.acting_for_id is not None:
            try:
                access_child_for_guardian(actor, actor.acting_for_id)
            except NotFound:
                update_session(request, acting_for_id=None)
                actor = get_actor(request)
                if not request.path.startswith(API_PREFIX):
                    messages.info(request, ACTING_FOR_ENDED)
        request.actor = actor  # type: ignore[attr-defined]
        if reason and not request.path.startswith(API_PREFIX):
            return self._to_login(request, (identity_before or {}).get("kind"))
        if (get_identity(request) or {}).get("journal_only") and not self._journal_only_allows(request):
            return self._to_journal(request)
        return self.get_response(request)

    @staticmethod
    def _journal_only_allows(request: HttpRequest) -> bool:
        """REC-8: a child with early access logged in for the journal only reaches the journal pages and logout."""
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in JOURNAL_ONLY_URL_NAMES

    @staticmethod
    def _to_journal(request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            return JsonResponse(
                problem_body(code="journal-only-session", title=JOURNAL_ONLY_EXPLANATION, status=403),
                status=403,
                content_type="application/problem+json",
            )
        return HttpResponseRedirect(reverse(JOURNAL_ONLY_HOME))

    def _to_login(self, request: HttpRequest, kind: str | None) -> HttpResponse:
        """Residents go to the BankID login page; staff back to the page, whose own guard sends them to theirs."""
        login_url = reverse("identity:login")
        if request.path == login_url:
            return self.get_response(request)
        target = request.get_full_path() if request.method in ("GET", "HEAD") else "/"
        if kind == "resident" or kind is None:
            return HttpResponseRedirect(f"{login_url}?{urlencode({'next': target})}")
        return HttpResponseRedirect(target)
