from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "vardnav.visits"
    verbose_name = "Digitala vårdbesök"

    def ready(self) -> None:
        # The case engine never imports this app; the app registers its hooks with the engine.
        from vardnav.visits.hooks import register

        register()
