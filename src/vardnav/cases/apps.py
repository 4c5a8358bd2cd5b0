from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "vardnav.cases"
    label = "cases"
    verbose_name = "Ärenden"
