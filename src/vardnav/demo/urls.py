"""The demo's pages, under /demo/ (mounted only when the demo app is installed)."""

from django.urls import path

from vardnav.demo import views

app_name = "demo"
urlpatterns = [
    path("utskick/", views.outbox, name="outbox"),
    path("e-post/", views.mailbox, name="mailbox"),
]
