"""Top-level URL map. Swedish paths for pages, /api/v1 for the JSON API."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from vardnav.api.main import api
from vardnav.web import views as web_views

urlpatterns = [
    path("", web_views.start, name="start"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("vardnav.organizations.urls")),
    path("", include("vardnav.people.urls")),
    path("", include("vardnav.identity.urls")),
    path("", include("vardnav.audit.urls")),
]
