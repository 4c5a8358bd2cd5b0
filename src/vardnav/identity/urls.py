"""URL patterns of the identity app (included from vardnav/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "identity"
urlpatterns: list = []
