from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vardnav.web"
    label = "web"
    verbose_name = "Webb"
