from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "vardnav.cases"
    label = "cases"
    verbose_name = "Ärenden"

    def ready(self) -> None:
        # The log extract names the case an entry concerns (audit.describers); audit knows no cases.
        from vardnav.audit.describers import register_describer
        from vardnav.cases import describers

        register_describer("cases.case", describers.describe_cases)
        register_describer("cases.message", describers.describe_messages)
        register_describer("attachments.attachment", describers.describe_attachments)
