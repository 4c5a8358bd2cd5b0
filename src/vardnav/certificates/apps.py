from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "vardnav.certificates"
    verbose_name = "Intyg"
