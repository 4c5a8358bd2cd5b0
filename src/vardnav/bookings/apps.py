from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "vardnav.bookings"
    verbose_name = "Tidbokning"
