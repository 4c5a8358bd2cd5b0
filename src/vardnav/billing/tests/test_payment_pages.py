"""The payment and finance pages: what each shows, bad input at the field, lists at a fixed query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.billing import bgmax
from vardnav.billing.models import IncomingPayment, InvoiceStatus, Payment
from vardnav.billing.tests.payment_helpers import make_invoice, our_bankgiro

pytestmark = pytest.mark.django_db


def admin_client(world) -> Client:
    return log_in_client(Client(), staff_identity(world.provider_admin))


def desk_client(world) -> Client:
    return log_in_client(Client(), staff_identity(world.receiver_x, unit=world.unit_x, role="receiver"))


def a_file(*payments: bgmax.OutgoingPayment) -> bytes:
    return bgmax.write(list(payments), payee_bankgiro=our_bankgiro(), day=dt.date(2026, 12, 4))


def test_the_finance_list_filters_by_status_finds_by_number_and_exports_csv(world):
    paid = make_invoice(world, amount_ore=100_00)
    unpaid = make_invoice(world, amount_ore=250_00)
    Payment.objects.create(
        invoice=paid,
        method="bankgiro",
        amount_ore=100_00,
        reference="x",
        received_at=paid.created_at,
        created_at=paid.created_at,
    )
    type(paid).objects.filter(pk=paid.pk).update(status=InvoiceStatus.PAID, paid_ore=100_00)
    client = admin_client(world)
    listed = client.get("/personal/ekonomi/?status=unpaid").content.decode()
    assert unpaid.number in listed and paid.number not in listed
    found = client.get(f"/personal/ekonomi/?q={paid.ocr}").content.decode()
    assert paid.number in found and unpaid.number not in found
    csv = client.get("/personal/ekonomi/fakturor.csv").content.decode()
    assert csv.splitlines()[0].startswith("fakturanummer;ocr;status")
    assert f"{unpaid.number};{unpaid.ocr};unpaid" in csv
    assert AuditEntry.objects.filter(action=AuditEvent.INVOICE_LIST_EXPORT).count() == 1


def test_finance_lists_cost_the_same_with_one_row_as_with_many(world):
    client = admin_client(world)
    make_invoice(world)
    data = a_file(bgmax.OutgoingPayment("", 5_00, "1", reference_code="1"))
    from tests.personas import actor_for
    from vardnav.billing.payments import do_import_bgmax

    do_import_bgmax(actor_for(world.provider_admin), world.provider.pk, data)

    def more() -> None:
        for _ in range(3):
            make_invoice(world)
        more_payments = [bgmax.OutgoingPayment("", 5_00, str(n), reference_code="1") for n in range(10, 14)]
        do_import_bgmax(actor_for(world.provider_admin), world.provider.pk, a_file(*more_payments))

    for url in ("/personal/ekonomi/", "/personal/ekonomi/inbetalningar/", "/api/v1/staff/invoices"):
        assert_same_query_count(lambda url=url: client.get(url), lambda: None)
    assert_same_query_count(lambda: client.get("/personal/ekonomi/inbetalningar/"), more)
    assert_same_query_count(lambda: client.get("/personal/ekonomi/"), lambda: make_invoice(world))
    assert_same_query_count(lambda: client.get("/api/v1/staff/incoming-payments"), lambda: None)
    resident = log_in_client(Client(), resident_identity(world.resident_a))
    assert_same_query_count(lambda: resident.get("/mina-sidor/avgifter/"), lambda: make_invoice(world))


@pytest.mark.rule("FEE-6")
def test_a_malformed_bgmax_upload_is_refused_at_the_field_with_its_line(world):
    invoice = make_invoice(world)
    broken = a_file(bgmax.OutgoingPayment(invoice.ocr, 200_00, "1")).replace(b"\r\n70", b"\r\n71", 1)
    response = admin_client(world).post("/personal/ekonomi/bgmax/", {"file": SimpleUploadedFile("bgmax.txt", broken)})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Fel på rad 5" in page and "Ingenting har bokförts" in page
    assert not IncomingPayment.objects.exists() and not Payment.objects.exists()
    good = admin_client(world).post(
        "/personal/ekonomi/bgmax/",
        {"file": SimpleUploadedFile("bgmax.txt", a_file(bgmax.OutgoingPayment(invoice.ocr, 200_00, "1")))},
    )
    assert good.status_code == 200 and "1 bokförda" in good.content.decode()


@pytest.mark.rule("BOOK-5")
def test_the_desk_page_registers_a_card_payment_with_a_receipt_and_refuses_cash(world):
    invoice = make_invoice(world, amount_ore=150_00)
    client = desk_client(world)
    found = client.get(f"/personal/kassa/?query={invoice.number}")
    assert found.status_code == 200 and "150 kr" in found.content.decode()
    assert "kontant" not in found.content.decode().split('<form method="post"')[1].split("</form>")[0].lower()
    cash = client.post(f"/personal/kassa/?query={invoice.number}", {"method": "cash"})
    assert cash.status_code == 422 and "aldrig kontanter" in cash.content.decode()
    invoice.refresh_from_db()
    assert invoice.paid_ore == 0
    paid = client.post(f"/personal/kassa/?query={invoice.number}", {"method": "desk_card"})
    assert paid.status_code == 302
    receipt = client.get(paid["Location"]).content.decode()
    payment = Payment.objects.get(invoice=invoice)
    assert payment.receipt_number in receipt and "150 kr" in receipt and "Kort i kassan" in receipt


def test_the_ceiling_status_of_a_resident_is_an_audited_read_by_post(world):
    make_invoice(world, payer=world.resident_a)
    client = admin_client(world)
    response = client.post("/personal/ekonomi/hogkostnadsskydd/", {"personal_number": world.resident_a.personal_number})
    assert response.status_code == 200 and "Kvar till frikort" in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditEvent.CEILING_STATUS_READ)
    assert entry.subject_person_id == world.resident_a.pk
    unknown = client.post("/personal/ekonomi/hogkostnadsskydd/", {"personal_number": world.resident_b.personal_number})
    assert unknown.status_code == 422 and "Det finns ingen invånare" in unknown.content.decode()
    assert AuditEntry.objects.filter(action=AuditEvent.CEILING_STATUS_READ).count() == 1
