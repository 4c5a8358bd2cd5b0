from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "vardnav.notifications"
    label = "notifications"
    verbose_name = "Aviseringar och support"
