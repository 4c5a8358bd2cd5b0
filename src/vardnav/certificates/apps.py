from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "vardnav.certificates"
    verbose_name = "Intyg"

    def ready(self) -> None:
        # The case engine never imports this app; certificates register their case extension with it.
        from vardnav.certificates.hooks import register

        register()
