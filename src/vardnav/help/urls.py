"""The help centre. Swedish paths; the search words are in the query string, never health data in the path."""

from django.urls import path

from vardnav.help import views

app_name = "help"
urlpatterns = [
    path("hjalp/", views.index, name="index"),
    path("hjalp/sok/", views.search, name="search"),
    path("hjalp/vardgivare/<slug:slug>/", views.provider, name="provider"),
    path("hjalp/<slug:slug>/", views.article, name="article"),
    path("hjalp/<slug:slug>/versioner/", views.history, name="history"),
]
