from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "vardnav.audit"
    label = "audit"
    verbose_name = "Granskningslogg"
