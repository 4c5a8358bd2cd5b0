"""URL patterns of the identity app (included from vardnav/urls.py). Swedish paths, no personal data in them."""

from django.urls import path

from vardnav.identity import views

app_name = "identity"
urlpatterns = [
    path("logga-in/", views.login, name="login"),
    path("logga-in/qr/", views.login_qr, name="login_qr"),
    path("logga-in/status/", views.login_status, name="login_status"),
    path("logga-in/avbryt/", views.login_cancel, name="login_cancel"),
    path("logga-ut/", views.logout, name="logout"),
    path("sessionen/fortsatt/", views.keep_alive, name="keep_alive"),
    path("valj-person/", views.choose_person, name="choose_person"),
    path("mina-sidor/profil/", views.profile, name="profile"),
    path("mina-sidor/profil/bekrafta-epost/<str:token>/", views.confirm_email, name="confirm_email"),
    path("mina-sidor/installningar/", views.settings_page, name="settings"),
]
