"""URL patterns of the audit app (included from vardnav/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "audit"
urlpatterns: list = []
