"""HELP-1: provider administrators keep their provider's questions and answers (the settings area).

Thin like the rest of the settings area: help.actions checks who may, checks
and sanitises the text and saves a new version; these views render the forms
(the same rich-text editor as a unit's "Övrig information") and put a refusal
next to its field.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error
from vardnav.help import access
from vardnav.help.actions import do_save_help_article
from vardnav.help.forms import HelpEntryEnglishForm, HelpEntryForm
from vardnav.identity.staff.settings_pages import provider_admin_page
from vardnav.identity.staff.views import StaffRequest
from vardnav.organizations.models import CareProvider

SAVED_SESSION_KEY = "help-settings-saved"


def _saved_message(request: StaffRequest) -> str:
    return str(request.session.pop(SAVED_SESSION_KEY, ""))


@never_cache
@require_GET
@provider_admin_page
def entries(request: StaffRequest, provider: CareProvider) -> HttpResponse:
    return render(
        request,
        "help/settings/entries.html",
        {"provider": provider, "entries": access.provider_entries(provider), "saved": _saved_message(request)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@provider_admin_page
def entry(request: StaffRequest, provider: CareProvider, article_id: int | None = None) -> HttpResponse:
    """A new entry, or a new version of one (Swedish text, topic, audience, published)."""
    article = access.access_provider_entry(provider, article_id) if article_id is not None else None
    initial: dict[str, Any] = {"audience": "resident", "published": True}
    if article is not None:
        initial = {
            "title": article.title_sv,
            "body_html": article.body_html_sv,
            "category": article.category,
            "audience": article.audience,
            "published": article.published,
        }
    form = HelpEntryForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = do_save_help_article(
                request.actor,
                article,
                title=data["title"],
                body_html=data["body_html"],
                category=data["category"],
                audience=data["audience"],
                published=data["published"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            request.session[SAVED_SESSION_KEY] = _("Frågan och svaret är sparade (version %(number)s).") % {
                "number": saved.version
            }
            return redirect(reverse("helpsettings:edit", args=[saved.pk]))
    return render(
        request,
        "help/settings/entry.html",
        {"provider": provider, "article": article, "form": form, "saved": _saved_message(request), "english": False},
        status=422 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@provider_admin_page
def entry_english(request: StaffRequest, provider: CareProvider, article_id: int) -> HttpResponse:
    article = access.access_provider_entry(provider, article_id)
    initial = {"title": article.title_en, "body_html": article.body_html_en}
    form = HelpEntryEnglishForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = do_save_help_article(
                request.actor,
                article,
                language="en",
                title=form.cleaned_data["title"],
                body_html=form.cleaned_data["body_html"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            request.session[SAVED_SESSION_KEY] = _("Den engelska texten är sparad (version %(number)s).") % {
                "number": saved.version
            }
            return redirect(reverse("helpsettings:english", args=[saved.pk]))
    return render(
        request,
        "help/settings/entry.html",
        {"provider": provider, "article": article, "form": form, "saved": _saved_message(request), "english": True},
        status=422 if form.errors else 200,
    )
