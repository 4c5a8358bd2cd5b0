"""PRIV-4: a kallelse to a protected-identity resident is posted only via Skatteverket's forwarding address.

The unit's booking staff see the queue (recipient "Skyddade personuppgifter", the time only), take it as a
PDF to print (audited per letter on its resident) and mark the letters posted; the same in the API.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.personas import make_provider_admin
from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.bookings.actions import do_cancel_by_staff, do_summon
from vardnav.bookings.letters import summons_letter_text
from vardnav.bookings.models import SummonsLetter
from vardnav.core import clock
from vardnav.core.clock import STOCKHOLM
from vardnav.demo import identities as ids
from vardnav.organizations.models import Role
from vardnav.people.register import get_population_register

pytestmark = pytest.mark.django_db

PAGE = "/personal/tidbok/kallelsebrev/"
PDF = "/personal/tidbok/kallelsebrev/utskrift.pdf"
API = "/api/v1/staff/bookings/summons-letters"


def _future(days: int, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(clock.today() + dt.timedelta(days=days), dt.time(hour), tzinfo=STOCKHOLM)


SECRET_STREET = "Hemliggatan 7"


@pytest.fixture
def registered_address(settings, tmp_path, protected_resident):
    """The register as in the demo, but knowing the protected resident's real address (which must never show)."""
    document = json.loads(Path(settings.POPULATION_REGISTER_FILE).read_text(encoding="utf-8"))
    for person in document["persons"]:
        if person["personal_number"].replace("-", "")[-10:] == protected_resident.personal_number[-10:]:
            # Sekretessmarkering: the real address stays in the register, letters still go via Skatteverket.
            person["protection"] = "sekretessmarkering"
            person["address"] = {"street": SECRET_STREET, "postal_code": "123 45", "city": "Hemby"}
    path = tmp_path / "register.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    settings.POPULATION_REGISTER_FILE = str(path)
    record = get_population_register().lookup(protected_resident.personal_number)
    assert record is not None and record.address is not None and record.address.street == SECRET_STREET
    assert record.forwarding_address is not None
    return record


@pytest.fixture
def summon(demo_booking_admin_x, demo_unit_x, nurse_visit, make_time, staff_actor):
    """Book a time at demo_unit_x for the resident with `number` (kallelse), `days` ahead."""
    admin = staff_actor(demo_booking_admin_x, demo_unit_x, Role.BOOKING_ADMIN)

    def book(number: str = ids.PROTECTED, days: int = 3, hour: int = 9):
        return do_summon(admin, time_id=make_time(nurse_visit, _future(days, hour)).pk, personal_number=number).booking

    return book


@pytest.fixture
def admin_client(client, demo_booking_admin_x, demo_unit_x):
    return log_in_client(client, staff_identity(demo_booking_admin_x, unit=demo_unit_x, role=Role.BOOKING_ADMIN))


def _pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.mark.rule("PRIV-4")
def test_the_printed_letter_carries_the_forwarding_address_and_never_the_registered_one_nor_the_visit(
    registered_address, summon, admin_client, protected_resident, demo_unit_x, nurse_visit
):
    first, second = summon(days=3), summon(days=4)
    summon(number=ids.RESIDENT_A, days=5)  # not protected: told by e-mail/SMS, no letter
    record = registered_address
    response = admin_client.get(PDF)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    pages = _pdf_text(response.content)
    assert len(pages) == 2  # one page per letter
    for page, booking in zip(pages, [first, second], strict=True):
        flat = " ".join(page.split())
        for line in record.forwarding_address.lines():
            assert " ".join(line.split()) in flat
        assert SECRET_STREET not in flat and "Hemby" not in flat  # never the registered address
        assert nurse_visit.name not in flat and nurse_visit.display_name not in flat
        assert demo_unit_x.name in flat and "Logga in i Vårdnav" in flat
        letter = SummonsLetter.objects.select_related("booking").get(booking=booking)
        heading, paragraphs = summons_letter_text(letter, demo_unit_x)
        assert " ".join(paragraphs[0].split()) in flat
    # Each download is audited, once per letter on its resident (PRIV-2), and the letters stay queued.
    entries = AuditEntry.objects.filter(action=AuditEvent.LETTER_BATCH_DOWNLOAD)
    assert entries.count() == 2 and set(entries.values_list("subject_person_id", flat=True)) == {protected_resident.pk}
    assert SummonsLetter.objects.filter(posted_at__isnull=True).count() == 2


@pytest.mark.rule("PRIV-4")
def test_the_queue_shows_only_the_time_and_letters_are_marked_posted_once(
    registered_address,
    summon,
    admin_client,
    protected_resident,
    nurse_visit,
    demo_booking_admin_x,
    demo_unit_x,
    staff_actor,
):
    booking = summon()
    cancelled = summon(days=6)
    do_cancel_by_staff(staff_actor(demo_booking_admin_x, demo_unit_x, Role.BOOKING_ADMIN), cancelled)
    record = registered_address
    page = admin_client.get(PAGE).content.decode()
    assert "Kallelsebrev att skicka" in page and "Skyddade personuppgifter" in page
    assert f"{booking.starts_at.astimezone(STOCKHOLM):%H.%M}" in page
    assert record.forwarding_address.street not in page and record.address.street not in page
    assert nurse_visit.name not in page and record.given_name not in page and record.surname not in page
    letter = SummonsLetter.objects.get(booking=booking)
    assert f'value="{letter.pk}"' in page and f'href="{PDF}"' in page
    assert f'value="{SummonsLetter.objects.get(booking=cancelled).pk}"' not in page  # a cancelled time is not posted
    assert admin_client.post(PAGE, {"letter": [letter.pk]}).status_code == 302
    letter.refresh_from_db()
    assert letter.posted_at is not None
    assert AuditEntry.objects.filter(action=AuditEvent.LETTER_POST, unit_id=demo_unit_x.pk).count() == 1
    again = admin_client.post(PAGE, {"letter": [letter.pk]})
    assert again.status_code == 422 and "redan är markerat som skickat" in again.content.decode()
    assert "Inga kallelsebrev väntar" in admin_client.get(PAGE).content.decode()
    empty = admin_client.get(PDF)  # nothing to print: back to the queue with a message
    assert empty.status_code == 302 and empty["Location"] == reverse("bookings:staff_summons_letters")


@pytest.mark.rule("PRIV-4")
def test_whoever_may_summon_sees_the_queue_from_the_tidbok_and_others_do_not(
    client, summon, demo_unit_x, demo_handler_x, demo_unit_admin_x, demo_other_unit
):
    summon()
    handler = log_in_client(client, staff_identity(demo_handler_x, unit=demo_unit_x, role=Role.HANDLER))
    assert PAGE not in handler.get(reverse("bookings:staff_day")).content.decode()
    assert handler.get(PAGE).status_code == 403 and handler.get(PDF).status_code == 403
    assert handler.get(API).status_code == 403
    head = log_in_client(client, staff_identity(demo_unit_admin_x, unit=demo_unit_x, role=Role.UNIT_ADMIN))
    assert PAGE in head.get(reverse("bookings:staff_day")).content.decode()
    assert PAGE in head.get(reverse("bookings:staff_week")).content.decode()
    assert head.get(PAGE).status_code == 200
    admin = make_provider_admin(demo_unit_x.provider, "SE2321000901-PAX1", "kallelsebrev-admin-x")
    provider_admin = log_in_client(client, staff_identity(admin, unit=demo_unit_x))
    assert provider_admin.get(PAGE).status_code == 200  # may summon at every unit of the provider
    assert len(provider_admin.get(API).json()) == 1
    # Another provider's administrator at their own unit sees none of this unit's letters.
    other = make_provider_admin(demo_other_unit.provider, "SE2321000902-PAX2", "kallelsebrev-admin-y")
    assert log_in_client(client, staff_identity(other, unit=demo_other_unit)).get(API).json() == []


@pytest.mark.rule("PRIV-4")
def test_the_api_lists_prints_and_marks_posted_with_problem_json_for_bad_input(summon, admin_client, demo_unit_x):
    booking = summon()
    listed = admin_client.get(API).json()
    assert [(row["booking_id"], row["via_forwarding"], row["posted_at"]) for row in listed] == [
        (booking.pk, True, None)
    ]
    assert "address" not in listed[0] and "visit_type" not in listed[0]
    printed = admin_client.get(f"{API}/batch")
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    assert admin_client.post(f"{API}/posted", {"letters": []}, content_type="application/json").status_code == 422
    unknown = admin_client.post(f"{API}/posted", {"letters": [999999]}, content_type="application/json")
    assert unknown.status_code == 409 and unknown["Content-Type"].startswith("application/problem+json")
    posted = admin_client.post(f"{API}/posted", {"letters": [listed[0]["id"]]}, content_type="application/json")
    assert posted.status_code == 200 and posted.json()[0]["posted_at"] is not None
    assert admin_client.get(API).json() == []
    empty = admin_client.get(f"{API}/batch")
    assert empty.status_code == 409 and empty.json()["code"] == "summons-letters-empty"


@pytest.mark.rule("PRIV-4")
def test_the_queue_costs_a_fixed_number_of_queries(summon, admin_client):
    summon()
    counter = iter(range(10, 20))

    def grow():
        for _ in range(3):
            summon(days=next(counter))

    assert_same_query_count(lambda: admin_client.get(PAGE), grow)
