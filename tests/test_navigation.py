"""No page is reachable only by typing its address (issue 11, item 8).

The crawl starts where each persona starts (the start page, or the staff start
page after the IdP login), follows every same-site link of every page it
reaches, and compares the URL names it reached with the URL map: every page
URL is either expected for some persona or listed in NOT_LINKED with the reason
it is not a link target. A parametrised route counts as reached when one
instance is (at most MAX_PER_ROUTE instances are fetched per route).

ORG-6: the support page is reachable from every page, so the crawl also checks
that every page it fetched links to it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, deque
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.attachments import corpus
from vardnav.attachments.validation import check_uploads
from vardnav.bookings.access import bookable_visit_types, free_times
from vardnav.bookings.actions import do_book
from vardnav.cases.actions import do_distribute_case, do_submit_case
from vardnav.catalog.models import Service, ServiceKind
from vardnav.core import clock
from vardnav.core.actor import Actor, ActorKind
from vardnav.records.actions import do_select_log_review

MAX_PER_ROUTE = 2
SUPPORT_PATH = "/support/"
SKIP_PREFIXES = ("/admin/", "/api/", "/i18n/", "/static/", "/media/")

# Pages that are not link targets, and why. A new page must be linked for someone or listed here.
NOT_LINKED: dict[str, str] = {
    "quality:survey_skip": "POST from the survey's Jag vill inte svara button",
    "favicon": "browsers ask for it themselves",
    "identity:login_qr": "fetched by the login page's script while a BankID order runs",
    "identity:login_status": "POST from the login page's script",
    "identity:login_cancel": "POST from the login page's Avbryt button",
    "identity:logout": "POST from the Logga ut button",
    "identity:keep_alive": "POST from the 'Fortsätt vara inloggad' warning before the idle timeout",
    "identity:confirm_email": "the link in the confirmation e-mail",
    "staff:logout": "POST from the Logga ut button",
    "staff:login_start": "the staff login page's button starts the IdP login (a redirect to the IdP)",
    "staff:callback": "the IdP sends the browser back here",
    "notifications:support_sent": "where sending the support form leads",
    "help:search": "the help page's search form (GET) leads here",
    "prescriptions:search": "fetched by the renewal form's product search script",
    "cases:take": "POST from the staff case page",
    "cases:distribute": "POST from the staff case page",
    "cases:ask": "POST from the staff case page",
    "cases:reply": "POST from the staff case page",
    "cases:note": "POST from the staff case page",
    "cases:close": "POST from the staff case page",
    "cases:staff_attachment_upload": "POST from the staff case page",
    "cases:staff_attachment_discard": "POST from the staff case page",
    "set_language": "POST from the language buttons in every footer",
    "bookings:cancel": "POST from the booking's Avboka button",
    "bookings:staff_cancel": "POST from the staff booking page",
    "bookings:staff_no_show": "POST from the staff booking page",
    "bookings:join_waiting_list": "POST from the unit's booking page (Ställ mig i kö)",
    "bookings:leave_waiting_list": "POST from Mina bokningar (Lämna väntelistan)",
    "records:sign_note": "POST from the case's record notes page",
    "billing:staff_free_card_decide": "POST from the frikort list's Bekräfta and Godkänn inte buttons",
    "staffsettings:revoke_role": "POST from the settings' role list",
    "staffsettings:questionnaire_title": "POST from the questionnaire builder",
    "staffsettings:questionnaire_move": "POST from the questionnaire builder",
    "staffsettings:questionnaire_remove": "POST from the questionnaire builder",
    "staffsettings:questionnaire_publish": "POST from the questionnaire builder",
    "staffsettings:unit_activation": "POST from the unit's settings page (Starta/Stäng e-tjänsterna)",
    "visits:duty": "POST from the practitioner's queue page",
    "visits:refer": "POST from the staff visit page",
    "visits:offer_revisit": "POST from the staff visit page",
    "visits:propose_meeting": "POST from the practitioner's video meeting page",
    "visits:cancel_meeting": "POST from the practitioner's video meeting page",
    "visits:answer_meeting": "POST from the resident's video meeting page",
    "certificates:issue_sick_note": "POST from the case's certificate page",
    "certificates:issue_care_certificate": "POST from the case's certificate page",
    "labs:write_lab_referral": "POST from the visit's referrals page",
    "labs:review_result": "POST from the visit's referrals page",
    "labs:write_care_referral": "POST from the visit's referrals page",
    "labs:where_to_turn": "POST from the visit's referrals page",
    "labs:send_voucher": "POST from the visit's referrals page",
    "labs:order_period": "POST from the visit's referrals page (Beställ hemmamätning)",
    "labs:conclude_period": "POST from the visit's referrals page (a home measurement period's summary)",
    "records:classify_contact": "POST from the case's record notes page",
    "records:block": "POST from the block-and-seal page",
    "records:seal": "POST from the block-and-seal page",
    "records:lift_block": "POST from the block-and-seal page",
    "records:lift_seal": "POST from the block-and-seal page",
    "records:record_consent": "POST from the shared-records page",
    "records:decide_log_item": "POST from the log review page",
    "records:register_early_access": "POST from the case's record notes page (a child of 13–15 only)",
    "records:register_insurer_request": "POST from the case's record notes page (when insurers are listed)",
    "records:decide_early_access": "POST from the head of unit's early-access page",
    "records:withdraw_early_access": "POST from the head of unit's early-access page (a granted application)",
    "recordsettings:add_insurer": "POST from the settings area's insurance page",
    "recordsettings:change_insurer": "POST from the settings area's insurance page (the provider's own insurers)",
    "recordsettings:link_insurer_token": "POST from the settings area's insurance page (with an insurer token)",
    "recordsettings:mark_service": "POST from the settings area's insurance page",
    "records:revoke_power_of_attorney": "POST from the insurance powers-of-attorney page",
    "vaccinations:staff_register": "POST from the nurse's vaccination card page",
    "vaccinations:staff_travel": "POST from the nurse's vaccination card page (after showing the advice)",
    "complaints:set_unit": "POST from the patient board's list of complaints",
    "billing:swish_callback": "Swish's servers POST the payment's outcome here",
    "billing:finance_refund": "POST from the finance invoice page's Återbetala button",
    "billing:incoming_payment_handled": "POST from the list of payments to handle",
    "demo:outbox": "demo only: linked from the demo's own pages, not part of the product",
    "demo:mailbox": "demo only: linked from the demo's own pages, not part of the product",
    "billing:staff_credit_invoice": "POST from the staff invoice page's Kreditera form",
    "billing:surplus_refunded": "POST from the list of surpluses to pay back",
    "billing:desk_swish_start": "POST from the desk's Swish form",
    "billing:desk_swish": "where sending a Swish request from the desk leads (it refreshes itself)",
    "staffsettings:end_listing": "POST from the unit's list of listed residents",
    "tokensettings:revoke": "POST from the list of integration tokens",
    "supportsettings:handled": "POST from a support request's page",
    "supportsettings:request": "linked from the support queue once a request has arrived; the crawl's world has none",
    "quality:review_detail": "linked from the peer reviewer's queue once a case is picked; the crawl's world has none",
    "quality:review_appoint": "POST from the peer-review follow-up page (Utse till kvalitetsgranskare)",
    "quality:review_end_appointment": "POST from the peer-review follow-up page (Avsluta uppdraget)",
}
NOT_LINKED_NAMESPACES = {
    "admin": "the Django admin, for the platform superuser only",
    "api-v1": "the JSON API and its documentation",
    "demo_idp": "the demo IdP, spoken to by the staff login over HTTP",
}

PUBLIC = {
    "start",
    "organizations:unit_list",
    "organizations:unit_detail",
    "notifications:support",
    "identity:login",
    "staff:login",
    "bookings:unit_booking",
    "bookings:cancel_by_code",
    "help:index",
    "help:article",
    "help:provider",
    "accessibility",
}
RESIDENT = {
    "start",
    "organizations:unit_list",
    "organizations:unit_detail",
    "notifications:support",
    "my_pages",
    "identity:profile",
    "identity:settings",
    "notifications:notices",
    "audit:log-extract",
    "audit:log-extract-pdf",
    "cases:services",
    "cases:unit_services",
    "cases:new",
    "cases:mine",
    "cases:detail",
    "cases:receipt",
    "cases:attachment_preview",
    "cases:attachment_inline",
    "cases:attachment_download",
    "prescriptions:list",
    "prescriptions:renew_new",
    "bookings:unit_booking",
    "bookings:cancel_by_code",
    "bookings:book",
    "bookings:my_bookings",
    "bookings:detail",
    "bookings:rebook",
    "records:my_journal",
    "records:journal_copy",
    "billing:my_fees",
    "billing:my_ceiling",
    "billing:my_invoices",
    "records:national_view",
    "records:restrictions",
    "records:my_insurance",
    "help:index",
    "help:article",
    "help:provider",
    "visits:areas",
    "visits:start",
    "visits:health_profile",
    "certificates:mine",
    "accessibility",
    "vaccinations:card",
    "vaccinations:add",
    "vaccinations:travel",
    "complaints:start",
    "labs:mine",
    "labs:pressure",
    "quality:surveys",
}
BOOKING_INSTANCES = {"bookings:detail", "bookings:rebook"}
CASE_INSTANCES = {
    "cases:detail",
    "cases:receipt",
    "cases:attachment_preview",
    "cases:attachment_inline",
    "cases:attachment_download",
}
STAFF = {
    "staff:home",
    "staff:choose_unit",
    "cases:inbox",
    "cases:staff_detail",
    "cases:staff_attachment_preview",
    "cases:staff_attachment_inline",
    "cases:staff_attachment_download",
    "notifications:staff_notices",
    "notifications:support",
    "bookings:staff_day",
    "bookings:staff_week",
    "records:case_notes",
    "billing:staff_fees",
    "billing:staff_case_fee",
    "visits:queue",
    "accessibility",
    "records:shared_records",
    "vaccinations:staff_find",
    "help:history",
    "billing:desk",
}
# Linked from a practitioner's queue of digital visits; the demo's unit_x staff take no digital visits.
PRACTITIONER_WITH_VISITS = {"visits:staff_visit", "visits:staff_meeting"}
# The video meeting (VISIT-8) is linked from the case page of a digital visit; the crawled residents have none.
RESIDENT_WITH_VISITS = {"visits:meeting"}
# Linked from "Mina digitala vårdbesök" for a closed visit within its period; the demo residents have none.
RESIDENT_WITH_CLOSED_VISITS = {"visits:revisit", "visits:write_again"}
# A certificate's PDF is linked from "Mina intyg" once one is issued; the certificate page from a case of the
# certificate e-services or a digital visit (the crawl's case is a "contact your unit" case).
WITH_CERTIFICATES = {"certificates:download", "certificates:issue"}
# Referrals from a digital visit (VISIT-6, VISIT-7): choosing the lab and the PDFs are linked from
# "Remisser och provsvar" once the resident has one; the staff page from a digital visit's case page.
WITH_LAB_REFERRALS = {"labs:choose_lab", "labs:referral_pdf", "labs:care_referral_pdf", "labs:staff_case"}
# branch qsurvey (QA-2): a survey is linked from its notice and from Mina sidor › Enkäter once a visit has taken
# place, and its thank-you page once answered; the crawled residents have had no visit.
RESIDENT_WITH_SURVEYS = {"quality:survey", "quality:survey_thanks"}
# The survey results: the provider's administrators and heads of unit, from the staff and settings start pages.
SURVEY_RESULTS = {"quality:survey_results"}

# A home measurement period (QA-5): linked from "Remisser och provsvar" and the visit's case page once ordered.
WITH_HOME_MEASUREMENTS = {"labs:period"}
# The provider's log reviewer (granskare), from the staff menu.
LOG_REVIEWER = {"staff:home", "staff:choose_unit", "records:log_reviews", "records:log_review", "notifications:support"}
# Linked from the staff day view on a day with bookings; the crawl starts on today, which may have none.
# The nurse's vaccination card is linked from a booking (and reached by a personal number from the find page).
STAFF_ON_A_BOOKED_DAY = {"bookings:staff_booking", "vaccinations:staff_card"}
# The patient board's staff (CMP-2): their list of complaints and the follow-up.
BOARD = {"complaints:board", "complaints:follow_up"}
# A provider's administrators: the follow-up and where the complaint service is shown (CMP-5).
PROVIDER_ADMIN = {"complaints:follow_up", "complaints:policy"}
# Peer review (QA-1): the follow-up for a provider's administrators and heads of unit (the staff menu); the queue
# for the appointed reviewer (the demo's head of unit X), from the staff start page.
PEER_REVIEW_FOLLOW_UP = {"quality:review_follow_up"}
PEER_REVIEWER = {"quality:review_queue"}

# The quality statistics (QA-3, QA-4): provider administrators and heads of unit, from the staff menu and start page.
QUALITY_STATISTICS = {
    "quality:stats_home",
    "quality:stats_continuity",
    "quality:stats_continuity_csv",
    "quality:stats_prescribing",
    "quality:stats_prescribing_csv",
}
# The head of unit decides on children's applications for early access to their journal (REC-8).
EARLY_ACCESS_DECIDERS = {"records:early_access_applications"}
# A guardian's children's cards, linked from the guardian's own card.
GUARDIAN_ONLY = {"vaccinations:child_card"}
# Editing the fee schedule: provider administrators (linked from the fee page they all reach).
FEE_EDITORS = {
    "billing:staff_fees",
    "billing:staff_new_fee",
    "billing:staff_policy",
    "billing:staff_service_charge",
    "billing:staff_free_cards",
}
# An invoice, its PDF and the staff invoice page: linked from Mina fakturor and the staff case's fee page once a
# closed case is invoiced (the crawl's case is open). The collection file: from the fee page, for provider admins.
WITH_INVOICES = {
    "billing:invoice",
    "billing:invoice_pdf",
    "billing:staff_invoice",
    "billing:staff_invoice_pdf",
    # Betala med Swish from an unpaid invoice, an invoice from the finance list, the receipt after a desk payment.
    "billing:pay_with_swish",
    "billing:finance_invoice",
    "billing:desk_receipt",
}
# Payments (FEE-6, BOOK-5) and the finance views: the provider's administrators, from the staff menu.
FINANCE = {
    "billing:finance",
    "billing:finance_export",
    "billing:incoming_payments",
    "billing:incoming_export",
    "billing:bgmax_import",
    "billing:ceiling_lookup",
    "billing:surplus_refunds",
    "billing:letter_queue",
}
# Linked once there is something to act on: Koppla till en faktura from an unmatched payment in the list, the
# printable batch from the letter queue when letters wait (the demo's invoices go by e-mail).
FINANCE_WITH_WORK = {"billing:incoming_payment_assign", "billing:letter_batch_pdf"}
COLLECTION = {"billing:staff_collection_export"}
# Publishing, blocking, extra times and booking for a resident: booking admins and unit heads, not handlers.
# The demo's booking admin at unit_x (demo_booking_admin_x) is also a receiver there.
PUBLISHERS = {
    "bookings:staff_publish",
    "bookings:staff_block",
    "bookings:staff_extra_time",
    "bookings:staff_summons_letters",  # PRIV-4: from the day and week views
}
# The summons letters' PDF is linked from their queue only while letters wait (bookings/tests/test_summons_letters.py).
SUMMONS_LETTERS_WITH_WORK = {"bookings:staff_summons_letters_pdf"}
# Booking a free time for a resident is linked from the week view's free future times; the crawl's week
# (today's, or the one before) may have none left, e.g. on a Sunday.
PUBLISHERS_WITH_FREE_TIMES = {"bookings:staff_summon"}
# The settings of a unit: its head and the provider's administrator (issue 11, item 13).
UNIT_SETTINGS = {
    "staffsettings:home",
    "staffsettings:unit",
    "staffsettings:roles",
    "staffsettings:other_information",
    "staffsettings:opening_hours",
    "staffsettings:unit_services",
    "organizations:unit_detail",
    "staffsettings:unit_details",
    "staffsettings:listings",
}
# A unit's visit types and booking settings (branch bookset): its head, its booking admin and the provider's
# administrator, from the settings start page; the cut-off rules: the provider's administrator.
BOOKING_SETTINGS = {
    "bookings:settings_visit_types",
    "bookings:settings_visit_type_add",
    "bookings:settings_visit_type",
    "bookings:settings_unit",
}
PROVIDER_BOOKING_SETTINGS = {"bookings:settings_policies"}
# The provider's settings: its administrator only.
PROVIDER_SETTINGS = {
    "staffsettings:policies",
    "staffsettings:questionnaires",
    "staffsettings:questionnaire",
    "staffsettings:questionnaire_add",
    "staffsettings:questionnaire_item",
    "staffsettings:questionnaire_preview",
    "helpsettings:entries",
    "helpsettings:new",
    "helpsettings:edit",
    "helpsettings:english",
    "staffsettings:services",
    "staffsettings:service",
    "staffsettings:staff",
    "staffsettings:unit_add",
    "staffsettings:staff_member",
    "tokensettings:tokens",
    "supportsettings:queue",
    "recordsettings:insurance",  # records3: the insurers and insurance e-services (REC-9)
    # svcnew: a new e-service, the records settings (national sharing periods, staff personal numbers)
    "staffsettings:service_add",
    "recordsettings:sharing_periods",
    "recordsettings:end_sharing_period",
    "recordsettings:staff_numbers",
    "recordsettings:staff_number",
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A picture shown on the page (a file's preview) counts as reached, like a link.
        target = dict(attrs).get("href" if tag == "a" else "src") if tag in ("a", "img", "iframe") else None
        if target:
            self.hrefs.append(target)


def links_on(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        if href.startswith(("mailto:", "tel:", "#", "javascript:")):
            continue
        url = urlsplit(urljoin("http://testserver" + base, href))
        if url.netloc != "testserver":
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def page_url_names() -> set[str]:
    """Every named URL of the URL map, namespaced as `reverse` wants it."""
    names: set[str] = set()

    def walk(patterns: Iterable[URLPattern | URLResolver], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def not_linked(name: str) -> bool:
    return name in NOT_LINKED or name.split(":", 1)[0] in NOT_LINKED_NAMESPACES


def crawl(client: Client, start: str) -> tuple[set[str], list[str]]:
    """Follow every same-site link from `start`; return the URL names reached and the pages without Support."""
    reached: set[str] = set()
    fetched_per_route: Counter[str] = Counter()
    seen: set[str] = set()
    without_support: list[str] = []
    queue = deque([start])
    while queue:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or path.startswith(SKIP_PREFIXES):
            continue
        seen.add(url)
        try:
            match = resolve(path)
        except Resolver404:
            raise AssertionError(f"a link leads nowhere: {url}") from None
        name = match.view_name
        if not_linked(name) or fetched_per_route[name] >= MAX_PER_ROUTE:
            continue
        fetched_per_route[name] += 1
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        assert response.status_code == 200, f"{url} ({name}) answered {response.status_code}"
        reached.add(name)
        if response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            hrefs = links_on(html, path)
            if SUPPORT_PATH not in hrefs:
                without_support.append(url)
            queue.extend(hrefs)
    return reached, without_support


@pytest.fixture
def attachment_folder(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "vardnav.attachments.storage.DurableFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "attachments"},
        },
    }


@pytest.fixture
def lived_in(demo, attachment_folder, demo_resident_a, demo_unit_x, demo_receiver_x, demo_handler_x):
    """Resident A's prescriptions and a case with a picture, distributed to handler X: every route has an instance."""
    from vardnav.demo.help import load_demo_help_entries
    from vardnav.demo.prescriptions import load_demo_prescriptions

    load_demo_prescriptions()
    load_demo_help_entries()  # the providers' own help entries: their settings pages have an entry to open
    service = Service.objects.get(provider_id=demo_unit_x.provider_id, kind=ServiceKind.CONTACT_UNIT)
    picture = SimpleUploadedFile("utslag.png", corpus.png_with_gps(), content_type="image/png")
    case = do_submit_case(
        Actor(kind=ActorKind.RESIDENT, person_id=demo_resident_a.pk),
        service=service,
        unit=demo_unit_x,
        answers={"subject": "Utslag", "question": "Ett utslag som inte går över."},
        files=check_uploads([picture], max_files=5),
    )
    receiver = Actor(
        kind=ActorKind.STAFF,
        staff_id=demo_receiver_x.pk,
        provider_id=demo_unit_x.provider_id,
        unit_id=demo_unit_x.pk,
        role="receiver",
    )
    do_distribute_case(receiver, case, handler=demo_handler_x)
    visit_type = bookable_visit_types(demo_unit_x).first()
    # A time well past any cut-off (BOOK-3: at most 72 hours), so Mina bokningar offers "Boka om" whatever
    # the time of day the suite runs; the soonest free time may already be inside the cut-off.
    later = clock.now() + dt.timedelta(days=4)
    page = free_times(visit_type)
    while not any(slot.starts_at > later for slot in page.items) and page.next_cursor:
        page = free_times(visit_type, after=page.next_cursor)
    slot = next(slot for slot in page.items if slot.starts_at > later)
    do_book(Actor(kind=ActorKind.RESIDENT, person_id=demo_resident_a.pk), time_id=slot.pk)
    return case


def test_every_page_of_the_url_map_is_linked_for_someone_or_says_why_not():
    classified = (
        PUBLIC
        | RESIDENT
        | STAFF
        | STAFF_ON_A_BOOKED_DAY
        | PUBLISHERS
        | PUBLISHERS_WITH_FREE_TIMES
        | SUMMONS_LETTERS_WITH_WORK
        | FEE_EDITORS
        | UNIT_SETTINGS
        | PROVIDER_SETTINGS
        | BOOKING_SETTINGS
        | PROVIDER_BOOKING_SETTINGS
        | PRACTITIONER_WITH_VISITS
        | RESIDENT_WITH_CLOSED_VISITS
        | RESIDENT_WITH_VISITS
        | WITH_CERTIFICATES
        | WITH_LAB_REFERRALS
        | WITH_HOME_MEASUREMENTS
        | LOG_REVIEWER
        | GUARDIAN_ONLY
        | BOARD
        | PROVIDER_ADMIN
        | EARLY_ACCESS_DECIDERS
        | {"identity:choose_person", "prescriptions:renew"}
        | WITH_INVOICES
        | COLLECTION
        | FINANCE
        | FINANCE_WITH_WORK
        | PEER_REVIEW_FOLLOW_UP
        | PEER_REVIEWER
        | RESIDENT_WITH_SURVEYS
        | SURVEY_RESULTS
        | QUALITY_STATISTICS
    )
    unclassified = sorted(name for name in page_url_names() if name not in classified and not not_linked(name))
    assert not unclassified, f"pages nobody reaches by a link (link them, or say why in NOT_LINKED): {unclassified}"


@pytest.mark.rule("ORG-6")
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "start", "expected"),
    [
        ("anonymous", "/", PUBLIC),
        ("resident_a", "/", RESIDENT | {"prescriptions:renew"}),
        ("guardian", "/", RESIDENT - CASE_INSTANCES - BOOKING_INSTANCES | {"identity:choose_person"} | GUARDIAN_ONLY),
        ("receiver_x", "/personal/", STAFF),
        (
            "booking_admin_x",
            "/personal/",
            {
                "staff:home",
                "staff:choose_unit",
                "notifications:staff_notices",
                "notifications:support",
                "bookings:staff_day",
                "bookings:staff_week",
                "billing:staff_fees",
                "accessibility",
                "staffsettings:home",
            }
            | PUBLISHERS
            | BOOKING_SETTINGS,
        ),
        ("handler_x", "/personal/", STAFF),
        (
            "unit_admin_x",
            "/personal/",
            {
                "staff:home",
                "staff:choose_unit",
                "notifications:staff_notices",
                "notifications:support",
                "billing:staff_fees",
            }
            | UNIT_SETTINGS
            | EARLY_ACCESS_DECIDERS
            | BOOKING_SETTINGS
            | PEER_REVIEW_FOLLOW_UP
            | PEER_REVIEWER
            | SURVEY_RESULTS
            | QUALITY_STATISTICS,
        ),
        ("unit_admin_x:log_reviewer", "/personal/", LOG_REVIEWER),
        (
            "provider_admin_other",
            "/personal/",
            {"notifications:staff_notices", "notifications:support"}
            | UNIT_SETTINGS
            | PROVIDER_SETTINGS
            | BOOKING_SETTINGS - {"bookings:settings_visit_type"}  # the demo's Region Västerå has no visit types
            | PROVIDER_BOOKING_SETTINGS
            | FEE_EDITORS
            | PROVIDER_ADMIN
            | COLLECTION
            | FINANCE
            | PEER_REVIEW_FOLLOW_UP
            | SURVEY_RESULTS
            | QUALITY_STATISTICS,
        ),
        (
            "board_receiver",
            "/personal/",
            {"staff:home", "staff:choose_unit", "cases:inbox", "notifications:staff_notices", "notifications:support"}
            | BOARD,
        ),
    ],
)
def test_each_persona_reaches_every_page_it_may_use_by_following_links(request, lived_in, persona, start, expected):
    """Follow every link as the persona; each page it may use is reached, and every page links to Support (ORG-6)."""
    client = Client()
    if persona != "anonymous":
        persona, _, chosen_role = persona.partition(":")  # "unit_admin_x:log_reviewer": that person in that role
        subject = request.getfixturevalue(f"demo_{persona}")
        if persona in {"resident_a", "guardian"}:
            identity = resident_identity(subject)
        else:
            role = chosen_role or {
                "receiver_x": "receiver",
                "booking_admin_x": "booking_admin",
                "handler_x": "handler",
                "unit_admin_x": "unit_admin",
            }.get(persona)
            unit = request.getfixturevalue("demo_unit_x") if role else None
            if persona == "board_receiver":
                role, unit = "receiver", subject.role_grants.get(role="receiver").unit
            identity = staff_identity(subject, unit=unit, role=role)
            if chosen_role == "log_reviewer":  # a day's selection to open
                do_select_log_review(unit.provider, clock.today())
        log_in_client(client, identity)

    reached, without_support = crawl(client, start)

    assert expected <= reached, f"{persona} cannot reach by links: {sorted(expected - reached)}"
    assert not without_support, f"pages without a link to Support (ORG-6): {without_support}"
