"""The "Boka om tid" and "Avboka tid" e-services follow the cut-off and send Vårdnav bookings to Mina bokningar."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from vardnav.bookings.actions import do_book
from vardnav.bookings.errors import BookingError
from vardnav.cases.actions import do_submit_case
from vardnav.cases.models import Case
from vardnav.catalog.models import Service, ServiceKind
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 5, 10, 12, 0, tzinfo=STOCKHOLM)  # a Monday


def _service(unit, kind):
    return Service.objects.get(provider=unit.provider, kind=kind)


@pytest.mark.rule("BOOK-3")
@pytest.mark.parametrize("kind", [ServiceKind.VISIT_CANCEL, ServiceKind.VISIT_REBOOK])
def test_a_request_for_a_visit_inside_the_cut_off_is_refused_with_the_units_phone_number(
    kind, demo_resident_a, resident_actor, demo_unit_x
):
    service = _service(demo_unit_x, kind)
    answers = {"visit_date": "2027-05-10"}
    if kind == ServiceKind.VISIT_REBOOK:
        answers["preferred"] = ["any"]
    with time_machine.travel(NOW, tick=False), pytest.raises(DomainError) as refused:
        do_submit_case(resident_actor(demo_resident_a), service=service, unit=demo_unit_x, answers=answers)
    assert refused.value.code == BookingError.REQUEST_PAST_CUTOFF
    assert demo_unit_x.phone in refused.value.message
    assert not Case.objects.filter(service=service).exists()


@pytest.mark.rule("BOOK-3")
def test_a_request_for_a_later_visit_reaches_the_inbox(demo_resident_a, resident_actor, demo_unit_x):
    service = _service(demo_unit_x, ServiceKind.VISIT_CANCEL)
    with time_machine.travel(NOW, tick=False):
        case = do_submit_case(
            resident_actor(demo_resident_a), service=service, unit=demo_unit_x, answers={"visit_date": "2027-05-13"}
        )
    assert case.pk and case.service == service


def test_a_request_about_a_vardnav_booking_is_sent_to_mina_bokningar(
    demo_resident_a, resident_actor, demo_unit_x, nurse_visit, make_time
):
    with time_machine.travel(NOW, tick=False):
        slot = make_time(nurse_visit, dt.datetime(2027, 5, 14, 9, 0, tzinfo=STOCKHOLM))
        do_book(resident_actor(demo_resident_a), time_id=slot.pk)
        with pytest.raises(DomainError) as refused:
            do_submit_case(
                resident_actor(demo_resident_a),
                service=_service(demo_unit_x, ServiceKind.VISIT_CANCEL),
                unit=demo_unit_x,
                answers={"visit_date": "2027-05-14"},
            )
    assert refused.value.code == BookingError.BOOKED_IN_VARDNAV
    assert refused.value.field == "visit_date"
