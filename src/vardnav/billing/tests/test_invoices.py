"""Invoices (FEE-4, FEE-5, FEE-7, PRIV-4): issued by the scheduled run after closing, shown in the case,
delivered by confirmed e-mail or letter (a protected person only via Skatteverket's forwarding address),
and the PDF that is the receipt."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.personas import actor_for
from tests.sessions import log_in_client, resident_identity, staff_identity
from vardnav.audit.models import AuditEntry
from vardnav.billing.invoicing import (
    PAYMENT_TERMS_DAYS,
    cases_to_invoice,
    do_issue_due_invoices,
    do_issue_invoice,
    run_billing,
)
from vardnav.billing.models import DeliveryChannel, Invoice, InvoiceStatus, Letter, LetterKind
from vardnav.billing.ocr import is_valid_ocr
from vardnav.billing.tests.conftest import DOCTOR_FEE
from vardnav.cases.actions import do_close_case, do_distribute_case, do_submit_case
from vardnav.core import clock
from vardnav.identity.actions import do_set_message_language
from vardnav.notifications.models import Notice, NoticeKind, OutgoingChannel, OutgoingMessage
from vardnav.people.models import Person

pytestmark = pytest.mark.django_db

ANSWERS = {"subject": "Intyg", "details": "Jag behöver ett intyg för min diabetes."}


def close_charged_case(world, subject: Person, *, submitter: Person | None = None):
    submitter = submitter or subject
    acting_for = subject if submitter != subject else None
    case = do_submit_case(
        actor_for(submitter, acting_for=acting_for), service=world.open_service, unit=world.unit_x, answers=ANSWERS
    )
    receiver = actor_for(world.receiver_x, unit=world.unit_x, role="receiver")
    do_distribute_case(receiver, case, handler=world.handler_x)
    handler = actor_for(world.handler_x, unit=world.unit_x, role="handler")
    return do_close_case(handler, case, outcome="answered")


def confirm_email(person: Person, address: str = "karin@example.se") -> None:
    Person.objects.filter(pk=person.pk).update(email=address, email_confirmed_at=clock.now())
    person.refresh_from_db()


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


@pytest.mark.rule("FEE-4")
def test_the_scheduled_run_invoices_a_closed_case_once_and_shows_it_in_the_case(world, schedule):
    confirm_email(world.resident_a)
    case = close_charged_case(world, world.resident_a)
    assert cases_to_invoice() == [case.pk]
    call_command("run_billing", stdout=io.StringIO())
    call_command("run_billing", stdout=io.StringIO())  # a second run changes nothing
    invoice = Invoice.objects.get(case=case)
    assert invoice.amount_ore == DOCTOR_FEE
    assert (invoice.payer, invoice.patient) == (world.resident_a, world.resident_a)
    assert invoice.due_on - invoice.issued_on == dt.timedelta(days=PAYMENT_TERMS_DAYS)
    assert is_valid_ocr(invoice.ocr)
    assert AuditEntry.objects.filter(action="invoice.issue", object_id=str(invoice.pk)).count() == 1
    # An in-app notice and an e-mail, neither saying anything about the care.
    notice = Notice.objects.get(person=world.resident_a, kind=NoticeKind.INVOICE)
    assert notice.link == reverse("billing:invoice", args=[invoice.pk])
    mail = OutgoingMessage.objects.get(channel=OutgoingChannel.EMAIL, subject__contains="faktura")
    for said in (notice.text, mail.subject, mail.body):
        assert "diabetes" not in said.lower() and world.open_service.name not in said
    # In the case: the resident's case page and the staff's fee page.
    client = Client()
    log_in_client(client, resident_identity(world.resident_a))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert invoice.number in page
    staff = Client()
    log_in_client(staff, staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    fee_page = staff.get(reverse("billing:staff_case_fee", args=[case.pk])).content.decode()
    assert invoice.number in fee_page and invoice.ocr in fee_page


@pytest.mark.rule("FEE-4")
def test_the_run_catches_up_after_downtime(world, schedule):
    cases = [close_charged_case(world, world.resident_a) for _ in range(3)]
    # The worker was down for two days: the cases closed long ago are still invoiced.
    from vardnav.cases.models import Case

    Case.objects.filter(pk__in=[c.pk for c in cases]).update(closed_at=clock.now() - dt.timedelta(days=2))
    assert run_billing(limit=2)[0] == 3
    assert Invoice.objects.filter(case__in=cases).count() == 3


@pytest.mark.rule("FEE-4")
def test_one_invoice_per_case_is_a_database_constraint(world, schedule):
    case = close_charged_case(world, world.resident_a)
    invoice = do_issue_invoice(case.pk)
    assert invoice is not None and do_issue_invoice(case.pk) is None
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(
            case=case,
            provider_id=invoice.provider_id,
            payer=invoice.payer,
            patient=invoice.patient,
            number="F-other",
            ocr="18",
            amount_ore=1,
            delivery=DeliveryChannel.APP,
            issued_on=invoice.issued_on,
            due_on=invoice.due_on,
            created_at=invoice.created_at,
        )


def test_a_free_or_open_case_gets_no_invoice(world, schedule):
    free = close_charged_case(world, world.aged_85)  # 85 and over: free
    assert do_issue_due_invoices() == 0
    assert not Invoice.objects.filter(case=free).exists()


@pytest.mark.rule("FEE-5")
def test_confirmed_email_else_a_letter_to_the_registered_address(world, schedule):
    with_email = close_charged_case(world, world.resident_a)
    confirm_email(world.resident_a)
    do_issue_invoice(with_email.pk)
    assert Invoice.objects.get(case=with_email).delivery == DeliveryChannel.EMAIL
    assert not Letter.objects.exists()

    # An unconfirmed address is not used: the invoice goes by letter to the population register's address.
    Person.objects.filter(pk=world.resident_b.pk).update(email="b@example.se", email_confirmed_at=None)
    from vardnav.core.actor import Actor
    from vardnav.organizations.actions.listings import do_list_person

    do_list_person(Actor.system(), world.resident_b, world.unit_x)
    by_letter = close_charged_case(world, world.resident_b)
    do_issue_invoice(by_letter.pk)
    invoice = Invoice.objects.get(case=by_letter)
    assert invoice.delivery == DeliveryChannel.LETTER
    letter = Letter.objects.get(invoice=invoice, kind=LetterKind.INVOICE)
    assert not letter.via_forwarding and letter.recipient == world.resident_b
    assert world.resident_b.surname in letter.address
    # Only resident A's invoice went by e-mail.
    assert OutgoingMessage.objects.filter(channel=OutgoingChannel.EMAIL, subject__contains="faktura").count() == 1


@pytest.mark.rule("PRIV-4")
def test_a_protected_resident_gets_letters_only_via_the_forwarding_address_and_never_email(world, schedule):
    from vardnav.core.actor import Actor
    from vardnav.organizations.actions.listings import do_list_person
    from vardnav.people.register import get_population_register

    Person.objects.filter(pk=world.protected.pk).update(email="hidden@example.se", email_confirmed_at=clock.now())
    world.protected.refresh_from_db()
    do_list_person(Actor.system(), world.protected, world.unit_x)
    case = close_charged_case(world, world.protected)
    do_issue_invoice(case.pk)
    invoice = Invoice.objects.get(case=case)
    assert invoice.delivery == DeliveryChannel.FORWARDED_LETTER
    letter = Letter.objects.get(invoice=invoice)
    record = get_population_register().lookup(world.protected.personal_number)
    assert record is not None and record.forwarding_address is not None
    assert letter.via_forwarding
    assert record.forwarding_address.street in letter.address
    assert not OutgoingMessage.objects.filter(channel=OutgoingChannel.EMAIL).exists()
    assert Notice.objects.filter(person=world.protected, kind=NoticeKind.INVOICE).exists()
    # The printed letter carries the forwarding address, and nothing about the care.
    from vardnav.billing.pdf import render_letter

    printed = pdf_text(render_letter(letter))
    assert record.forwarding_address.street in printed and invoice.ocr in printed
    assert "diabetes" not in printed.lower()


@pytest.mark.rule("FEE-4")
def test_a_childs_invoice_goes_to_the_guardian_who_acted(world, schedule):
    from vardnav.billing.models import BillingPolicy

    BillingPolicy.objects.create(provider=world.provider, child_free_under_age=0)  # children pay here
    case = close_charged_case(world, world.child_8, submitter=world.guardian)
    do_issue_invoice(case.pk)
    invoice = Invoice.objects.get(case=case)
    assert (invoice.payer, invoice.patient) == (world.guardian, world.child_8)
    assert Notice.objects.filter(person=world.guardian, kind=NoticeKind.INVOICE).exists()
    assert not Notice.objects.filter(person=world.guardian_2, kind=NoticeKind.INVOICE).exists()


@pytest.mark.rule("FEE-7")
def test_the_pdf_is_the_receipt_with_ocr_bankgiro_and_the_personal_number_only_on_request(world, schedule, settings):
    settings.VARDNAV_BANKGIRO = "5050-1055"
    case = close_charged_case(world, world.resident_a)
    invoice = do_issue_invoice(case.pk)
    assert invoice is not None
    client = Client()
    log_in_client(client, resident_identity(world.resident_a))
    listing = client.get(reverse("billing:my_invoices")).content.decode()
    assert invoice.number in listing
    response = client.get(reverse("billing:invoice_pdf", args=[invoice.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Obetald" in text and invoice.ocr in text and "5050-1055" in text and case.number in text
    assert world.resident_a.number.formatted not in text
    assert "diabetes" not in text.lower() and world.open_service.name not in text
    asked = pdf_text(client.get(reverse("billing:invoice_pdf", args=[invoice.pk]), {"personnummer": "1"}).content)
    assert world.resident_a.number.formatted in asked
    # Paid: the same document says so (the payments seam sets the status).
    Invoice.objects.filter(pk=invoice.pk).update(status=InvoiceStatus.PAID, paid_ore=invoice.amount_ore)
    paid = pdf_text(client.get(reverse("billing:invoice_pdf", args=[invoice.pk])).content)
    assert "Betald" in paid and "Obetald" not in paid


def test_only_the_payer_reaches_an_invoice(world, schedule):
    case = close_charged_case(world, world.resident_a)
    invoice = do_issue_invoice(case.pk)
    assert invoice is not None
    other = Client()
    log_in_client(other, resident_identity(world.resident_b))
    assert other.get(reverse("billing:invoice", args=[invoice.pk])).status_code == 404
    assert other.get(reverse("billing:invoice_pdf", args=[invoice.pk])).status_code == 404
    assert other.get(f"/api/v1/me/invoices/{invoice.pk}").status_code in (401, 404)


def test_the_api_lists_and_shows_my_invoices(world, schedule):
    case = close_charged_case(world, world.resident_a)
    invoice = do_issue_invoice(case.pk)
    assert invoice is not None
    client = Client()
    log_in_client(client, resident_identity(world.resident_a))
    listing = client.get("/api/v1/me/invoices").json()
    assert [row["number"] for row in listing] == [invoice.number]
    one = client.get(f"/api/v1/me/invoices/{invoice.pk}").json()
    assert (one["ocr"], one["amount_ore"], one["status"], one["case_number"]) == (
        invoice.ocr,
        DOCTOR_FEE,
        "unpaid",
        case.number,
    )
    pdf = client.get(f"/api/v1/me/invoices/{invoice.pk}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_my_invoices_cost_the_same_with_one_row_as_with_many(world, schedule):
    from tests.queries import assert_same_query_count

    do_issue_invoice(close_charged_case(world, world.resident_a).pk)
    client = Client()
    log_in_client(client, resident_identity(world.resident_a))

    def add_rows() -> None:
        for _ in range(3):
            do_issue_invoice(close_charged_case(world, world.resident_a).pk)

    def both() -> None:
        assert client.get(reverse("billing:my_invoices")).status_code == 200
        assert client.get("/api/v1/me/invoices").status_code == 200

    assert_same_query_count(both, add_rows)
    assert len(client.get("/api/v1/me/invoices").json()) == 4


@pytest.mark.rule("FEE-4")
def test_the_invoice_e_mail_is_in_english_for_a_payer_who_chose_english(world, schedule):
    confirm_email(world.resident_a)
    do_set_message_language(actor_for(world.resident_a), "en")
    close_charged_case(world, world.resident_a)
    call_command("run_billing", stdout=io.StringIO())
    mail = OutgoingMessage.objects.get(channel=OutgoingChannel.EMAIL, subject__contains="invoice")
    assert mail.subject == "You have received an invoice from Vårdnav"
    assert mail.body.startswith("Hello,\n\nYou have a new message in Vårdnav.")
    assert "diabetes" not in mail.body.lower() and world.open_service.name not in mail.body
