"""The guard of a provider administrator's page in the staff settings area, shared by the apps that
add pages there (help's entries, records' insurers): the view gets the administered provider.

Other staff get the settings area's 403 page; an object that is missing or another
provider's is a 404 (the view's access function raises NotFound).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from vardnav.core.errors import NotFound, PermissionDenied
from vardnav.identity.staff.views import StaffRequest, staff_required
from vardnav.organizations.access import access_administered_provider


def provider_admin_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponseBase]:
    """Provider administrators only; the view is called as view(request, provider, *args, **kwargs)."""

    def wrapper(request: StaffRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            provider = access_administered_provider(request.actor)
            return view(request, provider, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except PermissionDenied:
            return render(request, "organizations/settings/forbidden.html", {}, status=403)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return staff_required(wrapper)
