"""URL patterns of the audit app (included from vardnav/urls.py)."""

from django.urls import path

from vardnav.audit import views

app_name = "audit"
urlpatterns = [
    path("mina-sidor/loggutdrag/", views.log_extract, name="log-extract"),
    path("mina-sidor/loggutdrag/loggutdrag.pdf", views.log_extract_pdf, name="log-extract-pdf"),
]
