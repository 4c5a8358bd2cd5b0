from django.apps import AppConfig


class DemoIdpConfig(AppConfig):
    name = "vardnav.demo_idp"
    label = "demo_idp"
    verbose_name = "Demo-IdP för personal"
