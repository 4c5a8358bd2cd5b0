from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "vardnav.people"
    label = "people"
    verbose_name = "Personer"
