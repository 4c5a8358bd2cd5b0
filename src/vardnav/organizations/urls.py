"""URL patterns of the organizations app (included from vardnav/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "organizations"
urlpatterns: list = []
