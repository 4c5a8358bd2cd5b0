from django.apps import AppConfig


class PrescriptionsConfig(AppConfig):
    name = "vardnav.prescriptions"
    verbose_name = "Recept och läkemedel"

    def ready(self) -> None:
        # The case engine never imports this app; the app registers its hooks with the engine.
        from vardnav.prescriptions.hooks import register

        register()
