"""Demo IdP URLs, mounted at /demo-idp/ only when settings.DEMO_IDP_ENABLED."""

from django.urls import path

from vardnav.demo_idp import views

app_name = "demo_idp"
urlpatterns = [
    path(".well-known/openid-configuration", views.discovery, name="discovery"),
    path("jwks", views.jwks, name="jwks"),
    path("authorize", views.authorize, name="authorize"),
    path("token", views.token, name="token"),
]
