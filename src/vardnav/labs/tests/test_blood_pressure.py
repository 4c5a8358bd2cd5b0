"""Blood pressure at a partner pharmacy (VISIT-11): an e-mail with a single-use code, its barcode, the measurement back."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError
from vardnav.integrations.actions import do_create_integration_token
from vardnav.labs.actions import check_voucher_code, do_enter_home_measurement, do_send_pressure_voucher
from vardnav.labs.errors import LabError
from vardnav.labs.models import HomeMeasurement, PressureVoucher
from vardnav.notifications.models import OutgoingMessage

pytestmark = pytest.mark.django_db


def redeem(secret, code):
    return Client().post(
        "/api/v1/integrations/pressure-vouchers/redeem",
        json.dumps({"code": code}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


@pytest.mark.rule("VISIT-11")
def test_the_practitioner_sends_an_email_with_a_single_use_code_and_no_health_data(visit_of_a, with_email, digital):
    with_email(visit_of_a.person)
    staff = log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))
    assert staff.post(f"/personal/digitala-besok/{visit_of_a.case.pk}/remisser/blodtryck/").status_code == 302
    voucher = PressureVoucher.objects.get()
    assert voucher.emailed and len(voucher.code) == 12
    message = OutgoingMessage.objects.get(event_key__startswith="pressure-voucher:")
    code = f"{voucher.code[:4]} {voucher.code[4:8]} {voucher.code[8:]}"
    assert code in message.secret_body and code not in message.body  # the code only in the encrypted copy
    assert "blodtrycksmätning" in message.subject.lower()
    # No complaint area, no answers, no case number: only that there is a free measurement.
    for detail in (visit_of_a.visit.area.name, visit_of_a.case.number, "urin", "infektion"):
        assert detail.lower() not in message.secret_body.lower()
    assert voucher.code not in voucher.code_hash


@pytest.mark.rule("VISIT-11")
def test_the_resident_sees_the_barcode_and_a_pharmacy_uses_the_code_once(visit_of_a, digital):
    voucher = do_send_pressure_voucher(visit_of_a.doctor, visit_of_a.visit)
    resident = log_in_client(Client(), resident_identity(visit_of_a.person))
    page = resident.get("/mina-sidor/remisser/blodtryck/").content.decode()
    assert "<svg" in page and 'role="img"' in page and voucher.code[:4] in page

    _, secret = do_create_integration_token(
        Actor.system(), digital.provider, name="Apoteket", scopes=["labs:pressure-vouchers"]
    )
    mistyped = voucher.code[:-1] + str((int(voucher.code[-1]) + 1) % 10)
    with pytest.raises(DomainError):
        check_voucher_code(mistyped)  # the check digit catches a typo
    assert redeem(secret, mistyped).status_code == 404
    used = redeem(secret, f"{voucher.code[:4]} {voucher.code[4:8]} {voucher.code[8:]}")
    assert used.status_code == 200 and used.json()["valid"] is True
    again = redeem(secret, voucher.code)
    assert again.status_code == 409 and again.json()["code"] == "pressure-voucher-used"
    voucher.refresh_from_db()
    assert voucher.redeemed_at is not None
    assert "<svg" not in resident.get("/mina-sidor/remisser/blodtryck/").content.decode()


@pytest.mark.rule("VISIT-11")
def test_an_expired_code_or_another_providers_token_is_refused(visit_of_a, other_provider):
    voucher = do_send_pressure_voucher(visit_of_a.doctor, visit_of_a.visit)
    _, other = do_create_integration_token(
        Actor.system(), other_provider, name="Apotek", scopes=["labs:pressure-vouchers"]
    )
    assert redeem(other, voucher.code).status_code == 404
    PressureVoucher.objects.filter(pk=voucher.pk).update(expires_at=clock.now() - dt.timedelta(minutes=1))
    _, own = do_create_integration_token(
        Actor.system(), visit_of_a.case.provider, name="Apotek", scopes=["labs:pressure-vouchers"]
    )
    assert redeem(own, voucher.code).json()["code"] == "pressure-voucher-expired"


@pytest.mark.rule("VISIT-11")
def test_the_measurement_comes_back_to_the_visit_with_validated_ranges(visit_of_a, digital):
    do_send_pressure_voucher(visit_of_a.doctor, visit_of_a.visit)
    resident = log_in_client(Client(), resident_identity(visit_of_a.person))
    today = clock.today().isoformat()
    bad = [
        ({"systolic": "abc", "diastolic": "80", "pulse": "70", "measured_on": today}, "övre trycket"),
        ({"systolic": "300", "diastolic": "80", "pulse": "70", "measured_on": today}, "övre trycket"),
        ({"systolic": "120", "diastolic": "130", "pulse": "70", "measured_on": today}, "ska vara högre"),
        ({"systolic": "120", "diastolic": "80", "pulse": "10", "measured_on": today}, "pulsen"),
        ({"systolic": "120", "diastolic": "80", "pulse": "70", "measured_on": "2099-01-01"}, "Ange dagen"),
    ]
    for data, message in bad:
        response = resident.post("/mina-sidor/remisser/blodtryck/", data)
        assert response.status_code == 422 and message in response.content.decode(), data
    assert not HomeMeasurement.objects.exists()
    ok = resident.post(
        "/mina-sidor/remisser/blodtryck/", {"systolic": "142", "diastolic": "91", "pulse": "72", "measured_on": today}
    )
    assert ok.status_code == 302
    api = resident.post(
        "/api/v1/me/blood-pressure",
        json.dumps({"systolic": 138, "diastolic": 88, "pulse": 70, "measured_on": today}),
        content_type="application/json",
    )
    assert api.status_code == 201
    assert HomeMeasurement.objects.filter(case=visit_of_a.case).count() == 2
    staff = log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))
    page = staff.get(f"/personal/digitala-besok/{visit_of_a.case.pk}/remisser/").content.decode()
    assert "142/91 mm Hg" in page and "138/88 mm Hg" in page


@pytest.mark.rule("VISIT-11")
def test_without_a_code_from_a_visit_there_is_nothing_to_enter_a_measurement_for(resident_a):
    from tests.personas import actor_for

    with pytest.raises(DomainError) as refused:
        do_enter_home_measurement(
            actor_for(resident_a), systolic=120, diastolic=80, pulse=60, measured_on=clock.today()
        )
    assert refused.value.code == LabError.NO_VOUCHER
