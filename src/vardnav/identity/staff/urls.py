"""Staff login and start page, mounted at /personal/ from vardnav/urls.py."""

from django.urls import path

from vardnav.identity.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("logga-in/", views.login, name="login"),
    path("logga-in/starta/", views.login_start, name="login_start"),
    path("logga-in/retur/", views.callback, name="callback"),
    path("valj-enhet/", views.choose_unit, name="choose_unit"),
    path("logga-ut/", views.logout, name="logout"),
]
