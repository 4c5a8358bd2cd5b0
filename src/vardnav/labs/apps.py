from django.apps import AppConfig


class LabsConfig(AppConfig):
    name = "vardnav.labs"
    verbose_name = "Remisser och provsvar"

    def ready(self) -> None:
        # The case engine never imports this app; the app registers its case extension with the engine.
        from vardnav.labs.hooks import register

        register()
