from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "vardnav.quality"
    label = "quality"
    verbose_name = "Kvalitetsuppföljning"
