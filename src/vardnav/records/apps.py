from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "vardnav.records"
    verbose_name = "Journal"
