from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "vardnav.records"
    verbose_name = "Journal"

    def ready(self) -> None:
        from vardnav.cases.hooks import register_case_extension, register_case_read_filter
        from vardnav.identity.checks import register_journal_only_login, register_journal_only_session
        from vardnav.identity.staff.actions import register_staff_personal_number_listener
        from vardnav.records.access import (
            BlockReadFilter,
            early_access_login_allowed,
            journal_only_session_allowed,
        )
        from vardnav.records.actions import (
            InsuranceCaseExtension,
            do_link_staff_person_from_login,
            register_insurance_fact,
        )

        # REC-8 with ID-2: a child of 13–15 with early access granted logs in for the journal only.
        register_journal_only_login(early_access_login_allowed)
        register_journal_only_session(journal_only_session_allowed)
        # REC-9: the power of attorney approved in an insurance service's form, stored with the case.
        register_case_extension(InsuranceCaseExtension())
        register_insurance_fact()  # its question read with the submission's offer
        # REC-5 inside the provider: a block keeps a unit's cases from the provider's other units.
        register_case_read_filter(BlockReadFilter())
        # The log review's own-record, family and colleague flags: the staff member's personal number from the login.
        register_staff_personal_number_listener(do_link_staff_person_from_login)
