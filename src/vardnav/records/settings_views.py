"""The provider administrator's records settings (issue 11, item 13): what once only the Django admin kept.

- National sharing periods (REC-3): from which day the provider shares with the
  national summary, and under which rules; list, add and end a period.
- Staff personal numbers, for the log review's own-record, family and colleague
  flags: normally filled from the staff login's claim, set by hand here.

Provider administrators only (organizations.access.access_administered_provider);
the records actions check again, validate and write the audit log.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error
from vardnav.identity.staff.views import StaffRequest
from vardnav.organizations import access as org_access
from vardnav.organizations.staff_views import saved_redirect, settings_context, settings_page
from vardnav.records import access
from vardnav.records.actions import do_end_sharing_period, do_link_staff_person, do_set_sharing_period
from vardnav.records.checks import check_period_end, check_sharing_period_dates
from vardnav.records.forms import EndSharingPeriodForm, SharingPeriodForm, StaffPersonalNumberForm


@never_cache
@require_http_methods(["GET", "POST"])
@settings_page
def sharing_periods(request: StaffRequest) -> HttpResponse:
    """The provider's sharing periods, and a new one."""
    provider = org_access.access_administered_provider(request.actor)
    form = SharingPeriodForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            starts_on, ends_on = check_sharing_period_dates(data["starts_on"], data["ends_on"])
            do_set_sharing_period(
                request.actor,
                provider=provider,
                starts_on=starts_on,
                ends_on=ends_on,
                mode=data["mode"],
                principal_name=data["principal_name"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            message = _("Perioden från %(day)s är sparad.") % {"day": starts_on.isoformat()}
            return saved_redirect(request, message, reverse("recordsettings:sharing_periods"))
    return render(
        request,
        "records/settings/sharing_periods.html",
        settings_context(
            request, provider=provider, form=form, periods=list(access.provider_sharing_periods(provider.pk))
        ),
        status=422 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@settings_page
def end_sharing_period(request: StaffRequest, period_id: int) -> HttpResponse:
    provider = org_access.access_administered_provider(request.actor)
    period = access.access_sharing_period(provider.pk, period_id)
    form = EndSharingPeriodForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            ends_on = check_period_end(form.cleaned_data["ends_on"])
            do_end_sharing_period(request.actor, period, ends_on=ends_on)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            message = _("Perioden från %(day)s slutar %(last)s.") % {
                "day": period.starts_on.isoformat(),
                "last": ends_on.isoformat(),
            }
            return saved_redirect(request, message, reverse("recordsettings:sharing_periods"))
    return render(
        request,
        "records/settings/end_sharing_period.html",
        settings_context(request, provider=provider, period=period, form=form),
        status=422 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET"])
@settings_page
def staff_numbers(request: StaffRequest) -> HttpResponse:
    """The provider's staff with their personal numbers, masked (two queries whatever the number of staff)."""
    provider = org_access.access_administered_provider(request.actor)
    members = list(org_access.provider_staff_list(provider.pk))
    numbers = access.staff_personal_numbers([member.pk for member in members])
    rows = [{"member": member, "number": numbers.get(member.pk, "")} for member in members]
    return render(
        request, "records/settings/staff_numbers.html", settings_context(request, provider=provider, rows=rows)
    )


@never_cache
@require_http_methods(["GET", "POST"])
@settings_page
def staff_number(request: StaffRequest, staff_id: int) -> HttpResponse:
    provider = org_access.access_administered_provider(request.actor)
    member = org_access.provider_staff(provider.pk, staff_id)
    if member is None:
        raise Http404
    form = StaffPersonalNumberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            do_link_staff_person(request.actor, staff=member, personal_number=form.cleaned_data["personal_number"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            message = _("Personnumret för %(name)s är sparat.") % {"name": f"{member.given_name} {member.surname}"}
            return saved_redirect(request, message, reverse("recordsettings:staff_numbers"))
    return render(
        request,
        "records/settings/staff_number.html",
        settings_context(
            request,
            provider=provider,
            member=member,
            form=form,
            number=access.staff_personal_numbers([member.pk]).get(member.pk, ""),
        ),
        status=422 if form.errors else 200,
    )
