"""The audit log's vocabulary: every event the platform records, with a label a resident can read.

Why one enum: the log extract (PDL 8 kap. 5 §) must tell a resident in plain
Swedish what a member of staff did, so every event needs a label, and a label
can only be guaranteed for events that are listed. do_record accepts nothing
else. The values are the strings stored in `AuditEntry.action`; the log is
append-only and hash-chained, so a value, once recorded, never changes (a new
wording is a new label, never a new value). The audit app knows no domain: the
events are plain values, and callers say which object they are about.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.TextChoices):
    # Generic reads and changes, e.g. the register sync of people and REC-1's staff reads.
    READ = "read", _("Läste uppgifter")
    CREATE = "create", _("Lade in uppgifter")
    UPDATE = "update", _("Ändrade uppgifter")
    DELETE = "delete", _("Tog bort uppgifter")
    EXPORT = "export", _("Exporterade uppgifter")
    PRINT = "print", _("Skrev ut uppgifter")

    # Logging in and choosing whom to act for
    LOGIN = "login", _("Loggade in")
    LOGOUT = "logout", _("Loggade ut")
    ACTING_FOR_SELF = "acting_for.self", _("Valde att använda e-tjänsterna för sig själv")
    ACTING_FOR_CHILD = "acting_for.child", _("Valde att använda e-tjänsterna för ett barn")
    STAFF_LOGIN = "staff_login", _("Loggade in som personal")
    STAFF_UNIT_CHOSEN = "staff_unit_chosen", _("Valde mottagning att arbeta på")
    STAFF_LOGOUT = "staff_logout", _("Loggade ut som personal")

    # A resident's own details
    PERSON_EMAIL_CONFIRMED = "person.email_confirmed", _("Bekräftade e-postadressen")
    CONTACT_SHARING_CONSENT_GIVEN = "contact_sharing_consent.given", _("Gav samtycke till att dela kontaktuppgifter")
    CONTACT_SHARING_CONSENT_WITHDRAWN = (
        "contact_sharing_consent.withdrawn",
        _("Återkallade samtycket till att dela kontaktuppgifter"),
    )
    LISTING_CREATE = "listing.create", _("Listade invånaren på en vårdcentral")
    LISTING_END = "listing.end", _("Avslutade invånarens listning på en vårdcentral")

    # Cases
    CASE_SUBMIT = "case.submit", _("Skickade in ärendet")
    CASE_REGISTER_EXTERNAL = "case.register_external", _("Registrerade ett ärende som kom in på annat sätt")
    CASE_MESSAGE = "case.message", _("Skrev ett meddelande i ärendet")
    CASE_DISTRIBUTE = "case.distribute", _("Fördelade ärendet till en handläggare")
    CASE_TAKE = "case.take", _("Tog hand om ärendet")
    CASE_QUESTION = "case.question", _("Ställde en motfråga")
    CASE_REPLY = "case.reply", _("Svarade på ärendet")
    CASE_NOTE = "case.note", _("Skrev en intern anteckning i ärendet")
    CASE_CLOSE = "case.close", _("Avslutade ärendet")
    CASE_OVERDUE_NOTIFIED = "case.overdue_notified", _("Påminde mottagningen om att ärendet är försenat")
    CASE_PURGE = "case.purge", _("Raderade ärendet när lagringstiden hade gått ut")

    # Digital visits
    VISIT_AREA_CREATE = "visit.area_create", _("Lade till ett besvärsområde för digitala vårdbesök")
    VISIT_TRIAGE_PUBLISH = "visit.triage_publish", _("Publicerade triagefrågor för ett besvärsområde")
    VISIT_START = "visit.start", _("Startade ett digitalt vårdbesök")
    VISIT_REFER_INTERNALLY = "visit.refer_internally", _("Remitterade vårdbesöket till en annan yrkesgrupp")
    VISIT_REVISIT = "visit.revisit", _("Startade ett återbesök")
    VISIT_REVISIT_OFFER = "visit.revisit_offer", _("Erbjöd ett återbesök")
    VISIT_WRITE_AGAIN = "visit.write_again", _("Skrev igen i det avslutade besöket")
    VISIT_HEALTH_PROFILE = "visit.health_profile", _("Bekräftade hälsoprofilen")
    VISIT_DUTY = "visit.duty", _("Ändrade om behandlaren är i tjänst för digitala vårdbesök")
    VISIT_MEETING_PROPOSE = "visit.meeting_propose", _("Föreslog en tid för ett videomöte")
    VISIT_MEETING_JOIN = "visit.meeting_join", _("Anslöt till ett videomöte")
    VISIT_MEETING_ACCEPT = "visit.meeting_accept", _("Bekräftade tiden för ett videomöte")
    VISIT_MEETING_DECLINE = "visit.meeting_decline", _("Bad om en annan tid för ett videomöte")
    VISIT_MEETING_CANCEL = "visit.meeting_cancel", _("Ställde in ett videomöte")

    # Certificates
    CERTIFICATE_ISSUE = "certificate.issue", _("Utfärdade ett intyg")
    CERTIFICATE_DOWNLOAD = "certificate.download", _("Hämtade intyget som PDF")

    # Referrals, lab results and the blood-pressure check (labs)
    LAB_REFERRAL_WRITE = "lab.referral_write", _("Skrev en remiss för provtagning")
    LAB_CHOOSE = "lab.choose", _("Valde provtagningsställe för remissen")
    LAB_REFERRAL_DOWNLOAD = "lab.referral_download", _("Hämtade remissen som PDF")
    LAB_RESULT_RECEIVE = "lab.result_receive", _("Tog emot provsvar från laboratoriet")
    LAB_RESULT_REVIEW = "lab.result_review", _("Bedömde provsvaret")
    CARE_REFERRAL_WRITE = "lab.care_referral_write", _("Skrev en remiss till en annan vårdgivare")
    CARE_REFERRAL_DOWNLOAD = "lab.care_referral_download", _("Hämtade remissen till annan vårdgivare som PDF")
    WHERE_TO_TURN = "lab.where_to_turn", _("Hänvisade till annan vård")
    PRESSURE_VOUCHER_SEND = "lab.pressure_voucher_send", _("Skickade en kod för blodtrycksmätning på apotek")
    PRESSURE_VOUCHER_REDEEM = "lab.pressure_voucher_redeem", _("Apoteket använde koden för blodtrycksmätning")
    HOME_MEASUREMENT_ENTER = "lab.home_measurement", _("Lade in en blodtrycksmätning")
    LAB_DIRECTORY_UPDATE = "lab.directory_update", _("Ändrade förteckningen över provtagningsställen")

    # The record (journal)
    RECORD_NOTE_SIGN = "record_note.sign", _("Signerade en journalanteckning")
    RECORD_READ = "record.read", _("Läste journalanteckningar i ärendet")
    JOURNAL_READ = "journal.read", _("Läste journalen under Mina sidor")
    JOURNAL_COPY = "journal.copy", _("Laddade ner en kopia av journalen")
    CONTACT_CLASSIFY = "contact.classify", _("Angav vilken sorts kontakt ärendet är")
    NATIONAL_SHARING_PERIOD_SET = (
        "national_sharing_period.set",
        _("Ändrade från när vårdgivaren delar journalen i sammanhållen journalföring"),
    )
    NATIONAL_SUMMARY_PUBLISH = "national_summary.publish", _("Delade en sammanfattning i sammanhållen journalföring")
    NATIONAL_SUMMARY_WITHDRAW = (
        "national_summary.withdraw",
        _("Tog bort en sammanfattning ur sammanhållen journalföring"),
    )
    RECORD_ACCESS_REFUSED = "record.refused", _("Nekades att läsa eller ändra journaluppgifter")
    BLOCK_CREATE = "block.create", _("Spärrade journaluppgifter för andra vårdgivare")
    BLOCK_LIFT = "block.lift", _("Hävde en spärr av journaluppgifter")
    SEAL_CREATE = "seal.create", _("Förseglade journaluppgifter i den nationella sammanfattningen")
    SEAL_LIFT = "seal.lift", _("Hävde en försegling av journaluppgifter")
    BLOCKED_RECORDS_WITHHELD = (
        "block.withheld",
        _("Fick inte se journaluppgifter från en annan mottagning som invånaren har spärrat"),
    )
    NATIONAL_VIEW_READ = "national_view.read", _("Läste den nationella sammanfattningen av journalen")
    SHARED_RECORD_CONSENT = (
        "shared_record.consent",
        _("Antecknade samtycke eller nödsituation för sammanhållen journalföring"),
    )
    SHARED_RECORD_READ = "shared_record.read", _("Läste andra vårdgivares uppgifter via sammanhållen journalföring")
    LOG_REVIEW_SELECT = "log_review.select", _("Valde ut läsningar av journaler för loggkontroll")
    LOG_REVIEW_READ = "log_review.read", _("Granskade läsningar av journaler i loggkontrollen")
    LOG_REVIEW_DECIDE = "log_review.decide", _("Dokumenterade utfallet av en loggkontroll")
    STAFF_PERSON_LINK = "staff_person.link", _("Angav en medarbetares personnummer för loggkontrollen")
    EARLY_ACCESS_APPLY = "early_access.apply", _("Registrerade en ansökan om tidig åtkomst till journalen")
    EARLY_ACCESS_DECIDE = "early_access.decide", _("Beslutade om tidig åtkomst till journalen")
    POWER_OF_ATTORNEY_APPROVE = "power_of_attorney.approve", _("Godkände en fullmakt för ett försäkringsbolag")
    POWER_OF_ATTORNEY_REVOKE = "power_of_attorney.revoke", _("Återkallade en fullmakt för ett försäkringsbolag")
    INSURER_REQUEST = "insurer_request.register", _("Tog emot ett försäkringsbolags begäran om journaluppgifter")
    INSURANCE_READ = "insurance.read", _("Läste fullmakter och försäkringsbolagens begäranden")
    INSURER_ADD = "insurer.add", _("Lade till ett försäkringsbolag i listan")
    INSURER_CHANGE = "insurer.change", _("Ändrade ett försäkringsbolag i listan")
    INSURER_TOKEN_LINK = "insurer.token_link", _("Kopplade en API-nyckel till ett försäkringsbolag")
    INSURANCE_SERVICE_MARK = "insurance_service.mark", _("Kopplade en e-tjänst till vårdförsäkring")
    INSURANCE_SERVICE_UNMARK = "insurance_service.unmark", _("Tog bort en e-tjänsts koppling till vårdförsäkring")
    EARLY_ACCESS_WITHDRAW = "early_access.withdraw", _("Återkallade tidig åtkomst till journalen")

    # Files
    ATTACHMENT_UPLOAD = "attachment.upload", _("Laddade upp en fil")
    ATTACHMENT_READ = "attachment.read", _("Öppnade en bifogad fil")
    ATTACHMENT_DISCARD = "attachment.discard", _("Tog bort en uppladdad fil")
    ATTACHMENT_EXPIRE = "attachment.expire", _("Raderade en uppladdad fil som aldrig skickades")

    # Prescriptions
    PRESCRIPTION_CREATE = "prescription.create", _("Förskrev ett läkemedel")
    RENEWAL_POLICY_SET = "renewal_policy.set", _("Ändrade reglerna för förnyelse av recept")
    DRUG_REGISTER_LOAD = "drug_register.load", _("Läste in läkemedelsregistret")
    DRUG_REGISTER_RETIRE_CURATED = (
        "drug_register.retire_curated",
        _("Slutade erbjuda de förvalda läkemedlen i läkemedelsregistret"),
    )

    # Bookings
    BOOKING_CREATE = "booking.create", _("Bokade en tid")
    BOOKING_CANCEL = "booking.cancel", _("Avbokade en tid")
    BOOKING_CANCEL_BY_CODE = "booking.cancel_by_code", _("Avbokade en tid med avbokningskoden")
    BOOKING_REBOOK = "booking.rebook", _("Bokade om en tid")
    BOOKING_CANCEL_BY_STAFF = "booking.cancel_by_staff", _("Avbokade en tid för mottagningen")
    BOOKING_NO_SHOW = "booking.no_show", _("Noterade att invånaren uteblev från besöket")
    SLOTS_PUBLISH = "slots.publish", _("Publicerade bokningsbara tider")
    SLOTS_WITHDRAW = "slots.withdraw", _("Blockerade tid i tidboken")
    VISIT_TYPE_CREATE = "visit_type.create", _("Lade till en besökstyp")
    VISIT_TYPE_UPDATE = "visit_type.update", _("Ändrade en besökstyp")
    CANCELLATION_POLICY_SET = "cancellation_policy.set", _("Ändrade reglerna för digital avbokning")
    BOOKING_SETTINGS_SET = "booking_settings.set", _("Ändrade mottagningens inställningar för tidbokning")
    BOOKING_SUMMON = "booking.summon", _("Bokade en tid åt en invånare (kallelse)")
    WAITING_LIST_JOIN = "waiting_list.join", _("Ställde sig i kö till en ledig tid")
    WAITING_LIST_LEAVE = "waiting_list.leave", _("Lämnade kön till en ledig tid")

    # Fees (billing)
    FEE_CREATE = "fee.create", _("Lade till en avgift i avgiftslistan")
    FEE_END = "fee.end", _("Avslutade en avgift i avgiftslistan")
    SERVICE_CHARGE_SET = "service_charge.set", _("Ändrade vilken avgift en e-tjänst har")
    BILLING_POLICY_SET = "billing_policy.set", _("Ändrade vårdgivarens avgiftsregler")
    CASE_FEE_SET = "case_fee.set", _("Satte avgiften för ett ärende")
    CASE_FEE_CHARGE = "case_fee.charge", _("Tog ut avgiften för ett avslutat ärende")
    FREE_CARD_ENTER = "free_card.enter", _("Registrerade ett frikort")
    FREE_CARD_CONFIRM = "free_card.confirm", _("Bekräftade ett frikort")
    FREE_CARD_REJECT = "free_card.reject", _("Godkände inte ett frikort")
    CEILING_STATUS_READ = "ceiling_status.read", _("Läste en invånares högkostnadsskydd")
    CASE_FEE_PROFESSION_CHANGE = (
        "case_fee.profession_change",
        _("Flyttade ärendet till en annan yrkesgrupp och ändrade avgiften"),
    )
    INVOICE_ISSUE = "invoice.issue", _("Skickade en faktura för ett avslutat ärende")
    INVOICE_REMIND = "invoice.remind", _("Skickade en påminnelse om en obetald faktura")
    INVOICE_TO_COLLECTION = "invoice.to_collection", _("Lämnade en obetald faktura till inkasso")
    INVOICE_CREDIT = "invoice.credit", _("Krediterade en faktura")
    COLLECTION_EXPORT = "invoice.collection_export", _("Tog ut fakturor för inkasso")

    # Vaccinations
    VACCINATION_CARD_READ = "vaccination_card.read", _("Läste vaccinationskortet")
    VACCINATION_REGISTER = "vaccination.register", _("Registrerade en given vaccination")
    VACCINATION_SELF_REPORT = "vaccination.self_report", _("Lade till en vaccination given på annat håll")
    TRAVEL_ADVICE_RECORD = "travel_advice.record", _("Antecknade reseråd om vaccinationer vid besöket")

    # Complaints
    COMPLAINT_UNIT_SET = "complaint.unit_set", _("Angav vilken mottagning synpunkterna gäller")
    COMPLAINT_POLICY_SET = "complaint_policy.set", _("Ändrade var synpunktstjänsten visas")
    HELP_ARTICLE_CREATE = "help_article.create", _("Lade till en fråga och ett svar i hjälpen")
    HELP_ARTICLE_UPDATE = "help_article.update", _("Sparade en ny version av en fråga och ett svar i hjälpen")

    # Support
    SUPPORT_REQUEST = "support.request", _("Skickade en fråga till supporten")
    SUPPORT_HANDLED = "support.handled", _("Hanterade en fråga till supporten")

    # Integrations
    INTEGRATION_TOKEN_CREATE = "integration_token.create", _("Skapade en nyckel för ett anslutet system")
    INTEGRATION_TOKEN_REVOKE = "integration_token.revoke", _("Spärrade en nyckel för ett anslutet system")

    # E-services and questionnaires
    SERVICE_CREATE = "service.create", _("Lade till en e-tjänst")
    SERVICE_UPDATE = "service.update", _("Ändrade en e-tjänst")
    SERVICE_OFFER = "service.offer", _("Erbjöd en e-tjänst på mottagningen")
    SERVICE_WITHDRAW = "service.withdraw", _("Slutade erbjuda en e-tjänst på mottagningen")
    QUESTIONNAIRE_SAVE = "questionnaire.save", _("Sparade ett frågeformulär")
    QUESTIONNAIRE_PUBLISH = "questionnaire.publish", _("Publicerade ett frågeformulär")

    # Care providers, units and staff
    PROVIDER_CREATE = "provider.create", _("Lade till en vårdgivare")
    PROVIDER_UPDATE = "provider.update", _("Ändrade uppgifter om vårdgivaren")
    UNIT_CREATE = "unit.create", _("Lade till en mottagning")
    UNIT_UPDATE = "unit.update", _("Ändrade uppgifter om mottagningen")
    UNIT_ESERVICES_ACTIVATE = "unit.eservices_activate", _("Anslöt mottagningen till e-tjänsterna")
    UNIT_ESERVICES_DEACTIVATE = "unit.eservices_deactivate", _("Stängde av e-tjänsterna på mottagningen")
    UNIT_OTHER_INFORMATION_SET = "unit.other_information_set", _("Ändrade mottagningens övriga information")
    STAFF_CREATE = "staff.create", _("Lade till en medarbetare")
    STAFF_UPDATE = "staff.update", _("Ändrade uppgifter om en medarbetare")
    STAFF_CREATE_PROVIDER_ADMIN = "staff.create_provider_admin", _("Lade till en administratör för vårdgivaren")
    STAFF_LINK_USER = "staff.link_user", _("Kopplade ett administratörskonto till en medarbetare")
    PLATFORM_ADMIN_CREATE = "platform_admin.create", _("Lade till en administratör för Vårdnav")
    ROLE_GRANT_RECEIVER = "role.grant.receiver", _("Gav en medarbetare rollen ärendemottagare")
    ROLE_GRANT_HANDLER = "role.grant.handler", _("Gav en medarbetare rollen ärendehanterare")
    ROLE_GRANT_UNIT_ADMIN = "role.grant.unit_admin", _("Gav en medarbetare rollen verksamhetschef")
    ROLE_REVOKE_RECEIVER = "role.revoke.receiver", _("Tog bort rollen ärendemottagare från en medarbetare")
    ROLE_REVOKE_HANDLER = "role.revoke.handler", _("Tog bort rollen ärendehanterare från en medarbetare")
    ROLE_REVOKE_UNIT_ADMIN = "role.revoke.unit_admin", _("Tog bort rollen verksamhetschef från en medarbetare")
    ROLE_GRANT_LOG_REVIEWER = "role.grant.log_reviewer", _("Gav en medarbetare rollen granskare")
    ROLE_REVOKE_LOG_REVIEWER = "role.revoke.log_reviewer", _("Tog bort rollen granskare från en medarbetare")
    ROLE_GRANT_BOOKING_ADMIN = "role.grant.booking_admin", _("Gav en medarbetare rollen tidbokningsansvarig")
    ROLE_REVOKE_BOOKING_ADMIN = (
        "role.revoke.booking_admin",
        _("Tog bort rollen tidbokningsansvarig från en medarbetare"),
    )
    # Django's own users and groups, changed by a platform superuser in the admin
    ADMIN_USER_CREATE = "admin_user.create", _("Lade till ett konto för administrationen")
    ADMIN_USER_UPDATE = "admin_user.update", _("Ändrade ett konto för administrationen")
    ADMIN_USER_DELETE = "admin_user.delete", _("Tog bort ett konto för administrationen")
    ADMIN_GROUP_CREATE = "admin_group.create", _("Lade till en behörighetsgrupp för administrationen")
    ADMIN_GROUP_UPDATE = "admin_group.update", _("Ändrade en behörighetsgrupp för administrationen")
    ADMIN_GROUP_DELETE = "admin_group.delete", _("Tog bort en behörighetsgrupp för administrationen")
    # Payments (billing, FEE-6, BOOK-5)
    PAYMENT_RECORD = "payment.record", _("Bokförde en inbetalning på en faktura")
    SWISH_PAYMENT_START = "swish_payment.start", _("Startade en Swish-betalning av en faktura")
    SWISH_PAYMENT_SETTLE = "swish_payment.settle", _("Fick svar från Swish om en betalning")
    SWISH_CALLBACK_REFUSE = "swish_callback.refuse", _("Avvisade ett meddelande som påstods komma från Swish")
    SWISH_REFUND = "swish.refund", _("Betalade tillbaka en Swish-betalning")
    BGMAX_IMPORT = "bgmax.import", _("Läste in en fil med inbetalningar från Bankgirot")
    INCOMING_PAYMENT_HANDLE = "incoming_payment.handle", _("Markerade en inbetalning som hanterad")
    DESK_PAYMENT_REGISTER = "desk_payment.register", _("Registrerade en betalning i kassan")
    INVOICE_LIST_EXPORT = "invoice_list.export", _("Hämtade en lista över fakturor som CSV")
    INCOMING_PAYMENT_EXPORT = "incoming_payment.export", _("Hämtade en lista över inbetalningar som CSV")
    INCOMING_PAYMENT_ASSIGN = "incoming_payment.assign", _("Kopplade en inbetalning till en faktura")
    SURPLUS_REFUND = "incoming_payment.surplus_refund", _("Betalade tillbaka ett överskott från en inbetalning")
    INVOICE_REFUND_RECORD = "invoice_refund.record", _("Bokförde en återbetalning på en faktura")
    LETTER_BATCH_DOWNLOAD = "letter.batch_download", _("Hämtade brev att skriva ut")
    LETTER_POST = "letter.post", _("Markerade brev som skickade")
    # Peer review of cases (quality, QA-1)
    PEER_REVIEWER_APPOINT = "peer_reviewer.appoint", _("Utsåg en kvalitetsgranskare")
    PEER_REVIEWER_END = "peer_reviewer.end", _("Avslutade ett uppdrag som kvalitetsgranskare")
    PEER_REVIEW_SELECT = "peer_review.select", _("Valde ut ärenden för kvalitetsgranskning")
    PEER_REVIEW_READ = "peer_review.read", _("Läste ett ärende för kvalitetsgranskning")
    PEER_REVIEW_SIGN = "peer_review.sign", _("Signerade en kvalitetsgranskning av ett ärende")

    # The resident's survey after a visit (quality, QA-2)
    SURVEY_ANSWER = "survey.answer", _("Besvarade en enkät om ett besök")
    SURVEY_RESULTS_READ = "survey_results.read", _("Läste resultaten av enkäter om besök")

    # Home measurement periods (labs, QA-5)
    MEASUREMENT_PERIOD_ORDER = "lab.measurement_period_order", _("Beställde en hemmamätning (PEF eller spirometri)")
    HOME_READING_ENTER = "lab.home_reading", _("Lade in ett mätvärde i en hemmamätning")
    MEASUREMENT_PERIOD_CONCLUDE = "lab.measurement_period_conclude", _("Sammanfattade en hemmamätning i journalen")

    # Quality statistics (QA-3, QA-4): figures per practitioner are staff data about colleagues
    QUALITY_CONTINUITY_READ = "quality.continuity_read", _("Läste statistik över kontinuitet vid återbesök")
    QUALITY_PRESCRIBING_READ = "quality.prescribing_read", _("Läste förskrivningsstatistik per förskrivare")
    QUALITY_STATISTICS_EXPORT = "quality.statistics_export", _("Hämtade kvalitetsstatistik som CSV")


# For a stored value no member has (an event recorded before this list or since
# renamed): the extract says something happened rather than show a raw code.
UNKNOWN_EVENT_LABEL = _("Annan händelse i Vårdnav")


def event_label(action: str) -> str:
    """The label of a stored `AuditEntry.action`, in the active language; a generic one if it is unknown."""
    try:
        return str(AuditEvent(action).label)
    except ValueError:
        return str(UNKNOWN_EVENT_LABEL)
