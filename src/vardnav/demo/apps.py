from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed only in demo mode and tests (settings.DEMO_APPS), never in production."""

    name = "vardnav.demo"
    label = "demo"
    verbose_name = "Demo"
