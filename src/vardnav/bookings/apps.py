from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "vardnav.bookings"
    verbose_name = "Tidbokning"

    def ready(self) -> None:
        # The case engine never imports this app; the app registers its hooks with the engine.
        from vardnav.bookings.hooks import register

        register()
