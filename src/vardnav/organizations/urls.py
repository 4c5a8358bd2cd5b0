"""URL patterns of the organizations app (included from vardnav/urls.py)."""

from django.urls import path

from vardnav.organizations import views

app_name = "organizations"
urlpatterns = [
    path("mottagningar/", views.unit_list, name="unit_list"),
    path("mottagningar/<slug:slug>/", views.unit_detail, name="unit_detail"),
]
