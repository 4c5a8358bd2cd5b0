from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vardnav.core"
    label = "core"
    verbose_name = "Kärna"
