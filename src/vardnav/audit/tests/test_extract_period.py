"""The log extract for a period, and as a PDF (PDL 8 kap. 5 §: which unit, who, when)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.sessions import log_in_client, resident_identity
from vardnav.audit.access import check_extract_period, whole_log_extract
from vardnav.audit.actions import record_staff_read
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError

pytestmark = pytest.mark.django_db


def read_on(world, day: dt.date, hour: int, staff, unit) -> None:
    with time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=STOCKHOLM), tick=False):
        record_staff_read(
            world.staff(staff, unit, "handler"),
            subject_person_id=world.resident_a.pk,
            object_type="case",
            object_id=1,
            purpose="vård",
        )


@pytest.fixture
def reads(world):
    read_on(world, dt.date(2026, 3, 1), 9, world.handler_x, world.unit_x)
    read_on(world, dt.date(2026, 3, 31), 23, world.handler_y, world.unit_y)  # late evening, Swedish time
    read_on(world, dt.date(2026, 4, 1), 0, world.handler_x, world.unit_x)  # just after midnight


@pytest.mark.rule("REC-1")
def test_a_period_of_swedish_dates_includes_both_days_whole(world, reads):
    period = check_extract_period("2026-03-01", "2026-03-31")
    extract = whole_log_extract(world.resident(world.resident_a), world.resident_a.pk, period)
    assert [item.staff_name for item in extract.items] == [
        f"{world.handler_y.given_name} {world.handler_y.surname}",
        f"{world.handler_x.given_name} {world.handler_x.surname}",
    ]
    assert extract.complete
    only_april = whole_log_extract(
        world.resident(world.resident_a), world.resident_a.pk, check_extract_period("2026-04-01", None)
    )
    assert len(only_april.items) == 1 and only_april.items[0].unit_name == world.unit_x.name


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [("2026-02-30", "", "from"), ("", "31/3", "to"), ("20260301", "", "from"), ("2026-04-01", "2026-03-01", "to")],
)
def test_a_wrong_date_is_refused_at_its_field(first, last, field):
    with pytest.raises(DomainError) as refused:
        check_extract_period(first, last)
    assert field in refused.value.field_errors()


def test_the_page_filters_by_period_and_says_what_is_wrong_with_a_date(world, reads, client):
    log_in_client(client, resident_identity(world.resident_a))
    march = client.get("/mina-sidor/loggutdrag/", {"fran": "2026-03-01", "till": "2026-03-31"}).content.decode()
    assert world.unit_y.name in march and march.count("<tr>") == 3  # the header and two rows
    assert "loggutdrag.pdf?fran=2026-03-01&amp;till=2026-03-31" in march
    bad = client.get("/mina-sidor/loggutdrag/", {"fran": "i mars"})
    assert bad.status_code == 422 and "Skriv datumet som ÅÅÅÅ-MM-DD" in bad.content.decode()


def test_the_pdf_is_a_download_of_the_period_with_unit_staff_and_time(world, reads, client):
    log_in_client(client, resident_identity(world.resident_a))
    response = client.get("/mina-sidor/loggutdrag/loggutdrag.pdf", {"fran": "2026-03-01", "till": "2026-03-31"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="loggutdrag.pdf"'
    assert response.content.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert world.unit_y.name in text and world.handler_x.surname in text and "23:00" in text.replace(".", ":")
    assert client.get("/mina-sidor/loggutdrag/loggutdrag.pdf", {"till": "x"}).status_code == 422
    hub = client.get("/mina-sidor/").content.decode()
    assert "/mina-sidor/loggutdrag/" in hub
