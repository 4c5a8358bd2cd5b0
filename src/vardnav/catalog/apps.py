from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "vardnav.catalog"
    label = "catalog"
    verbose_name = "E-tjänster"
