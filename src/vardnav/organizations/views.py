"""Public unit pages: what a resident sees before logging in."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from vardnav.core.errors import NotFound
from vardnav.organizations.access import public_providers, public_unit_by_slug


def unit_list(request: HttpRequest) -> HttpResponse:
    return render(request, "organizations/unit_list.html", {"providers": public_providers()})


def unit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        unit = public_unit_by_slug(slug)
    except NotFound:
        raise Http404("Mottagningen finns inte.") from None
    # The text was sanitised to the editor's allow-list when it was saved
    # (organizations.actions.units.do_set_other_information, ORG-5), so it is safe to
    # render as HTML here; nothing else on the page is marked safe.
    other_information = mark_safe(unit.other_information_html)  # noqa: S308
    return render(
        request,
        "organizations/unit_detail.html",
        {"unit": unit, "provider": unit.provider, "other_information": other_information},
    )
