"""Resident login with BankID, choosing whom to act for, profile and settings.

Thin: each view parses input, calls login/access/actions and renders. Every
form posts with a CSRF token; the status endpoint answers JSON to the page's
script and redirects or re-renders for the no-JavaScript fallback.
"""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from vardnav.core import clock
from vardnav.core.errors import DomainError, NotFound
from vardnav.core.forms import apply_domain_error
from vardnav.identity import login as login_flow
from vardnav.identity.access import (
    access_active_contact_consent,
    access_child_for_guardian,
    access_own_person,
    children_for_choice,
)
from vardnav.identity.actions import (
    do_choose_acting_for,
    do_confirm_email,
    do_give_contact_sharing_consent,
    do_logout,
    do_set_message_language,
    do_update_profile,
    do_withdraw_contact_sharing_consent,
)
from vardnav.identity.bankid.client import COMPLETE, PENDING
from vardnav.identity.bankid.qr import autostart_url, qr_svg
from vardnav.identity.checks import FROM_16_EXPLANATION
from vardnav.identity.decorators import resident_required
from vardnav.identity.forms import ChoosePersonForm, ContactSharingForm, MessageLanguageForm, ProfileForm
from vardnav.identity.session import end_session, get_actor, get_identity, pop_logout_reason, update_session

LOGOUT_REASONS = {
    "idle": "Du har loggats ut eftersom du inte har använt tjänsten på en stund. Logga in igen för att fortsätta.",
    "absolute": "Du har loggats ut eftersom du har varit inloggad länge. Logga in igen för att fortsätta.",
    "early_access_ended": "Du har loggats ut eftersom din tidiga åtkomst till journalen har återkallats.",
}
CANCELLED = "Inloggningen avbröts."
LOGGED_OUT = "Du är utloggad."


def _actor(request: HttpRequest):
    return getattr(request, "actor", None) or get_actor(request)


# --- login -------------------------------------------------------------------


def _login_page(request: HttpRequest, *, message: str = "", error: str = "", status: int = 200) -> HttpResponse:
    order = None
    try:
        order = login_flow.current_order(request)
    except DomainError:
        order = None
    context = {
        "order": order,
        "autostart_url": autostart_url(order["auto_start_token"]) if order else "",
        "qr_svg": qr_svg(login_flow.current_qr_content(request)) if order else "",
        "message": message,
        "error": error,
        "next": request.GET.get("next", ""),
    }
    return render(request, "identity/login.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """GET shows the start button (or the running order); POST starts a BankID order."""
    if _actor(request).is_resident:
        return HttpResponseRedirect(reverse("start"))
    if request.method == "POST":
        try:
            login_flow.begin_order(request, next_url=request.POST.get("next") or None)
        except DomainError as error:
            response = _login_page(request, error=str(error.message), status=error.status)
            for name, value in error.headers.items():  # Retry-After when rate-limited
                response[name] = value
            return response
        return HttpResponseRedirect(reverse("identity:login"))
    reason = pop_logout_reason(request)
    return _login_page(request, message=LOGOUT_REASONS.get(reason or "", ""))


@never_cache
@require_GET
def login_qr(request: HttpRequest) -> HttpResponse:
    """The QR code for this second, as SVG; the page reloads it every second."""
    try:
        content = login_flow.current_qr_content(request)
    except DomainError:
        return HttpResponse(status=404)
    return HttpResponse(qr_svg(content), content_type="image/svg+xml; charset=utf-8")


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@never_cache
@require_POST
def login_status(request: HttpRequest) -> HttpResponse:
    """Collect once. JSON {status, message, redirect?} for the script; redirect or page without it."""
    qr_flow = request.POST.get("flow", "qr") != "same_device"
    try:
        outcome = login_flow.poll(request, qr_flow=qr_flow)
    except DomainError as error:
        if _wants_json(request):
            return JsonResponse(
                {"status": "failed", "code": error.code, "message": str(error.message)}, status=error.status
            )
        return _login_page(request, error=str(error.message), status=error.status)
    if _wants_json(request):
        body = {"status": outcome.status, "message": outcome.message}
        if outcome.redirect:
            body["redirect"] = outcome.redirect
        return JsonResponse(body)
    if outcome.status == COMPLETE and outcome.redirect:
        return HttpResponseRedirect(outcome.redirect)
    if outcome.status == PENDING:
        return _login_page(request, message=outcome.message)
    return _login_page(request, error=outcome.message)


@never_cache
@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """ "Fortsätt vara inloggad" (WCAG 2.2.1): restart the idle timeout of a live session (204).

    The middleware has already ended an expired session, so this cannot revive one;
    it writes the time even within TOUCH_INTERVAL_SECONDS, so the page's clock and
    the server's agree. 401 without a session, so the page knows to log in again.
    """
    if get_identity(request) is None:
        return HttpResponse(status=401)
    update_session(request, last_seen_at=clock.now().timestamp())
    return HttpResponse(status=204)


@never_cache
@require_POST
def login_cancel(request: HttpRequest) -> HttpResponse:
    with contextlib.suppress(DomainError):
        login_flow.cancel_order(request)
    return _login_page(request, message=CANCELLED)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Ends this session only; nothing else (cases, messages) is touched."""
    do_logout(_actor(request))
    end_session(request)
    messages.info(request, LOGGED_OUT)
    return HttpResponseRedirect(reverse("start"))


# --- acting for a child -----------------------------------------------------------


def _choose_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    actor = _actor(request)
    me = access_own_person(actor)
    return render(
        request,
        "identity/choose_person.html",
        {
            "me": me,
            "children": children_for_choice(actor),
            "acting_for_id": actor.acting_for_id,
            "from_16": _(FROM_16_EXPLANATION),
            "error": error,
        },
        status=status,
    )


@never_cache
@resident_required
@require_http_methods(["GET", "HEAD", "POST"])
def choose_person(request: HttpRequest) -> HttpResponse:
    """A guardian chooses to act for themself or a child under 16 (ID-2, ID-3, ID-4)."""
    if request.method != "POST":
        return _choose_page(request)
    form = ChoosePersonForm(request.POST)
    if not form.is_valid():
        raise Http404
    actor = _actor(request)
    choice = form.cleaned_data["person"]
    try:
        child = None if choice == "self" else access_child_for_guardian(actor, choice)
        acting_for_id = do_choose_acting_for(actor, child)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        return _choose_page(request, error=str(error.message), status=error.status)
    update_session(request, acting_for_id=acting_for_id)
    destination = request.session.pop(login_flow.AFTER_LOGIN_KEY, None) or reverse("cases:mine")
    return HttpResponseRedirect(destination)


# --- profile and settings -----------------------------------------------------------


def _confirmation_link(request: HttpRequest):
    def build(token: str) -> str:
        return request.build_absolute_uri(reverse("identity:confirm_email", args=[token]))

    return build


@never_cache
@resident_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The logged-in resident's own name, number and contact details (ID-6); none for protected identity."""
    actor = _actor(request)
    person = access_own_person(actor)
    status = 200
    error = ""
    language_form: MessageLanguageForm | None = None
    if person.protected_identity:
        form = None
        if request.method == "POST":
            # PRIV-1: the action refuses; the page offers no fields, so this is a crafted request.
            try:
                do_update_profile(
                    actor,
                    email=request.POST.get("email", ""),
                    phone=request.POST.get("phone", ""),
                    confirmation_link=_confirmation_link(request),
                )
            except DomainError as refusal:
                error, status = str(refusal.message), refusal.status
    elif request.method == "POST" and request.POST.get("section") == "language":
        language_form = MessageLanguageForm(request.POST)
        if language_form.is_valid():
            try:
                do_set_message_language(actor, language_form.cleaned_data["preferred_language"])
            except DomainError as refusal:
                apply_domain_error(language_form, refusal)
            else:
                messages.success(request, _("Språket för e-post och sms är sparat."))
                return HttpResponseRedirect(reverse("identity:profile"))
        form = ProfileForm(initial={"email": person.email, "phone": person.phone})
        status = 400
    elif request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                before = person.email
                person = do_update_profile(
                    actor,
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    confirmation_link=_confirmation_link(request),
                )
            except DomainError as refusal:
                apply_domain_error(form, refusal)
            else:
                text = "Dina kontaktuppgifter är sparade."
                if person.email and person.email != before:
                    text += f" Vi har skickat ett mejl till {person.email}. Öppna länken i mejlet för att bekräfta adressen."
                messages.success(request, text)
                return HttpResponseRedirect(reverse("identity:profile"))
        status = 400
    else:
        form = ProfileForm(initial={"email": person.email, "phone": person.phone})
    if language_form is None:
        language_form = MessageLanguageForm(initial={"preferred_language": person.preferred_language})
    if form is not None and person.email:
        # The address's state is the e-mail field's hint, so a screen reader reads it with the field.
        form.fields["email"].help_text = (
            _("Adressen är bekräftad.")
            if person.email_confirmed_at
            else _("Adressen är inte bekräftad än. Öppna länken vi skickade till den.")
        )
    return render(
        request,
        "identity/profile.html",
        {"person": person, "form": form, "language_form": language_form, "error": error},
        status=status,
    )


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; a logged-in resident's choice also becomes the language of their e-mail and SMS.

    A guardian acting for a child sets the guardian's own language (do_set_message_language).
    """
    response = django_set_language(request)
    language = request.POST.get("language") if request.method == "POST" else None
    actor = _actor(request) if language else None
    if actor is not None and actor.is_resident and actor.person_id is not None:
        # An unknown language is ignored here as Django's view ignores it: the switch itself never fails.
        with contextlib.suppress(DomainError):
            do_set_message_language(actor, language)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for a click (mail scanners follow links), POST confirms the address."""
    if request.method != "POST":
        return render(request, "identity/confirm_email.html", {"token": token})
    try:
        do_confirm_email(token)
    except DomainError as error:
        return render(request, "identity/confirm_email.html", {"error": str(error.message)}, status=error.status)
    return render(request, "identity/confirm_email.html", {"confirmed": True})


@never_cache
@resident_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """Give or withdraw consent to share e-mail and mobile number with connected care providers (PRIV-6)."""
    actor = _actor(request)
    person = access_own_person(actor)
    consent = access_active_contact_consent(actor)
    status = 200
    form = ContactSharingForm(
        initial={
            "share_email": bool(consent and consent.share_email),
            "share_phone": bool(consent and consent.share_phone),
        }
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "withdraw":
                do_withdraw_contact_sharing_consent(actor)
                messages.success(
                    request,
                    "Du har återkallat ditt samtycke. Vårdgivarna får inte längre använda dina kontaktuppgifter.",
                )
                return HttpResponseRedirect(reverse("identity:settings"))
            form = ContactSharingForm(request.POST)
            if form.is_valid():
                do_give_contact_sharing_consent(
                    actor, share_email=form.cleaned_data["share_email"], share_phone=form.cleaned_data["share_phone"]
                )
                messages.success(request, "Ditt samtycke är sparat.")
                return HttpResponseRedirect(reverse("identity:settings"))
        except DomainError as error:
            apply_domain_error(form, error)
            status = error.status
    return render(
        request, "identity/settings.html", {"person": person, "consent": consent, "form": form}, status=status
    )
