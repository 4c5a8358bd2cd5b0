"""The quality statistics' pages under /personal/kvalitet/ (QA-3, QA-4): thin views over stats_access.

The start page links both reports; each report takes a period (a month or a
quarter, the error next to the field) and has a CSV file of the same figures.
Who sees what, and the audit of each viewing, is stats_access's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from vardnav.core.errors import PermissionDenied
from vardnav.identity.staff.views import StaffRequest, staff_required
from vardnav.quality import stats_access
from vardnav.quality.statistics import MIN_CASES, SD_LIMIT
from vardnav.quality.stats_forms import PeriodForm


def _refused() -> DjangoPermissionDenied:
    return DjangoPermissionDenied(_("Kvalitetsstatistiken är för vårdgivarens administratörer och verksamhetschefer."))


@never_cache
@require_GET
@staff_required
def home(request: StaffRequest) -> HttpResponse:
    try:
        scope = stats_access.access_stats_scope(request.actor)
    except PermissionDenied:
        raise _refused() from None
    return render(request, "quality/stats_home.html", {"scope": scope})


@never_cache
@require_GET
@staff_required
def continuity(request: StaffRequest) -> HttpResponse:
    return _continuity_page(request)


def _continuity_page(request: StaffRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    try:
        scope, figures = stats_access.access_continuity(request.actor, form.checked)
    except PermissionDenied:
        raise _refused() from None
    context = {"form": form, "scope": scope, "figures": figures}
    return render(request, "quality/stats_continuity.html", context, status=422 if form.errors else 200)


@never_cache
@require_GET
@staff_required
def prescribing(request: StaffRequest) -> HttpResponse:
    return _prescribing_page(request)


def _prescribing_page(request: StaffRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    try:
        scope, figures = stats_access.access_prescribing(request.actor, form.checked)
    except PermissionDenied:
        raise _refused() from None
    context = {"form": form, "scope": scope, "figures": figures, "min_cases": MIN_CASES, "sd_limit": SD_LIMIT}
    return render(request, "quality/stats_prescribing.html", context, status=422 if form.errors else 200)


def _csv(name: str, code: str, header: Sequence[str], rows: list[list[Any]]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    # A BOM so that Excel reads the file as UTF-8 (å, ä, ö in names).
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{code}.csv"'
    return response


@never_cache
@require_GET
@staff_required
def continuity_csv(request: StaffRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    try:
        if form.errors:
            stats_access.access_stats_scope(request.actor)
            return _continuity_page(request)  # the page with the message next to the period
        _scope, figures = stats_access.access_continuity(request.actor, form.checked, export=True)
    except PermissionDenied:
        raise _refused() from None
    header = [
        _("Nivå"),
        _("Månad"),
        _("Grupp"),
        _("Yrkeskategori"),
        _("Återbesök (n)"),
        _("Samma behandlare"),
        _("Andel (%)"),
    ]
    return _csv("kontinuitet", figures.period.code, header, figures.csv_rows())


@never_cache
@require_GET
@staff_required
def prescribing_csv(request: StaffRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    try:
        if form.errors:
            stats_access.access_stats_scope(request.actor)
            return _prescribing_page(request)  # the page with the message next to the period
        _scope, figures = stats_access.access_prescribing(request.actor, form.checked, export=True)
    except PermissionDenied:
        raise _refused() from None
    header = [
        _("Behandlare"),
        _("Yrkeskategori"),
        _("Förskrivningar"),
        _("Varav antibiotika (J01)"),
        _("Avslutade ärenden"),
        _("Ärenden med antibiotika"),
        _("Andel (%)"),
        _("Vårdgivarens andel för yrkeskategorin (%)"),
        _("Avvikande"),
    ]
    return _csv("forskrivning", figures.period.code, header, figures.csv_rows())
