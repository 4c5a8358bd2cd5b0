from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "vardnav.organizations"
    label = "organizations"
    verbose_name = "Organisation"
