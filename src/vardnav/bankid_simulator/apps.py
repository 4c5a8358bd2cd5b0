from django.apps import AppConfig


class BankIdSimulatorConfig(AppConfig):
    """Installed only in demo mode and tests, so production has no `bankid_simulator` command."""

    name = "vardnav.bankid_simulator"
    label = "bankid_simulator"
    verbose_name = "BankID-simulator (utveckling)"
