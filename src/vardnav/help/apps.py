from django.apps import AppConfig


class HelpConfig(AppConfig):
    name = "vardnav.help"
    label = "help"
    verbose_name = "Hjälp"
