from django.apps import AppConfig


class SwishSimulatorConfig(AppConfig):
    """Installed only in demo mode and tests, so production has no `swish_simulator` command."""

    name = "vardnav.swish_simulator"
    label = "swish_simulator"
    verbose_name = "Swish-simulator (utveckling)"
