from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "vardnav.integrations"
    label = "integrations"
    verbose_name = "Integrationer"
