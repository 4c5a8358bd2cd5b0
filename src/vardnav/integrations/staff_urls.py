"""Integration tokens in the staff settings area, mounted at /personal/installningar/api-nycklar/."""

from django.urls import path

from vardnav.integrations import staff_views as views

app_name = "tokensettings"
urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("<int:token_id>/aterkalla/", views.revoke, name="revoke"),
]
