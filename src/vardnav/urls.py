"""Top-level URL map. Swedish paths for pages, /api/v1 for the JSON API."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from vardnav.api.main import api
from vardnav.identity import views as identity_views
from vardnav.web import views as web_views

urlpatterns = [
    path("", web_views.start, name="start"),
    path("favicon.ico", web_views.favicon, name="favicon"),
    path("mina-sidor/", web_views.my_pages, name="my_pages"),
    path("tillganglighet/", web_views.accessibility_statement, name="accessibility"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", identity_views.set_language, name="set_language"),
    path("", include("vardnav.organizations.urls")),
    path("", include("vardnav.people.urls")),
    path("", include("vardnav.identity.urls")),
    path("", include("vardnav.audit.urls")),
    path("", include("vardnav.cases.urls")),
    path("", include("vardnav.prescriptions.urls")),
    path("", include("vardnav.records.urls")),
    path("", include("vardnav.notifications.urls")),
    path("", include("vardnav.bookings.urls")),
    path("", include("vardnav.billing.urls")),
    path("", include("vardnav.visits.urls")),
    path("", include("vardnav.certificates.urls")),
    path("", include("vardnav.labs.urls")),
    path("", include("vardnav.help.urls")),
    path("", include("vardnav.vaccinations.urls")),
    path("", include("vardnav.complaints.urls")),
    path("", include("vardnav.quality.urls")),
    path("personal/installningar/hjalp/", include("vardnav.help.staff_urls")),
    path("personal/installningar/api-nycklar/", include("vardnav.integrations.staff_urls")),
    path("personal/installningar/support/", include("vardnav.notifications.staff_urls")),
    path("personal/installningar/", include("vardnav.records.staff_urls")),
    path("personal/installningar/", include("vardnav.organizations.staff_urls")),
    path("personal/", include("vardnav.identity.staff.urls")),
]

if settings.DEMO_APPS_INSTALLED:  # never in production
    urlpatterns.append(path("demo/", include("vardnav.demo.urls")))
if settings.DEMO_IDP_ENABLED:  # never in production (settings refuses it)
    urlpatterns.append(path("demo-idp/", include("vardnav.demo_idp.urls")))

handler500 = "vardnav.web.views.server_error"
