from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "vardnav.attachments"
    label = "attachments"
    verbose_name = "Bifogade filer"
