from django.apps import AppConfig


class VaccinationsConfig(AppConfig):
    name = "vardnav.vaccinations"
    label = "vaccinations"
    verbose_name = "Vaccinationer"
