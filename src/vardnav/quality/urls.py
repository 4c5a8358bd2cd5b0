"""Quality pages: peer review, surveys and the statistics (staff), the survey (residents)."""

from django.urls import URLPattern

app_name = "quality"
urlpatterns: list[URLPattern] = []
