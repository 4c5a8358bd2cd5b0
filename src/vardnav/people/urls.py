"""URL patterns of the people app (included from vardnav/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "people"
urlpatterns: list = []
