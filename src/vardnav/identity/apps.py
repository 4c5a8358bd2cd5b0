from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "vardnav.identity"
    label = "identity"
    verbose_name = "Inloggning"
