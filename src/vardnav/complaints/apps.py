from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "vardnav.complaints"
    label = "complaints"
    verbose_name = "Synpunkter och klagomål"

    def ready(self) -> None:
        from vardnav.cases.hooks import register_service_hooks
        from vardnav.catalog.models import ServiceKind
        from vardnav.complaints.hooks import ComplaintHooks

        register_service_hooks(ServiceKind.COMPLAINT, ComplaintHooks())
