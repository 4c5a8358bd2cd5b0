"""Notices and support. Swedish paths, no personal data in them."""

from django.urls import path

from vardnav.notifications import views

app_name = "notifications"
urlpatterns = [
    path("mina-sidor/notiser/", views.resident_notices, name="notices"),
    path("personal/notiser/", views.staff_notices, name="staff_notices"),
    path("support/", views.support, name="support"),
    path("support/skickat/", views.support_sent, name="support_sent"),
]
