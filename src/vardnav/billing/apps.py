from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "vardnav.billing"
    verbose_name = "Avgifter"

    def ready(self) -> None:
        # The case engine never imports this app; billing registers its extension with the engine.
        from vardnav.billing.hooks import register

        register()
