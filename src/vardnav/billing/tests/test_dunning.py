"""After the due date (FEE-8): a reminder with the legal maximum reminder fee (dated), then collection with a
file for the debt collector carrying the case number; each step a notice and an audited action. Credit notes
correct mistakes; nothing is edited or deleted."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tests.personas import actor_for
from tests.sessions import log_in_client, staff_identity
from vardnav.audit.models import AuditEntry
from vardnav.billing.invoicing import (
    PAYMENT_TERMS_DAYS,
    REMINDER_AFTER_DAYS,
    REMINDER_TERMS_DAYS,
    do_credit_invoice,
    do_issue_due_invoices,
    do_issue_invoice,
    do_send_reminders,
    do_send_to_collection,
    reminder_fee_maximum,
)
from vardnav.billing.models import (
    CreditNote,
    Dunning,
    DunningKind,
    Invoice,
    InvoiceStage,
    InvoiceStatus,
    ReminderFeeMaximum,
)
from vardnav.billing.tests.conftest import DOCTOR_FEE
from vardnav.billing.tests.test_invoices import close_charged_case
from vardnav.core import clock
from vardnav.core.errors import DomainError, PermissionDenied
from vardnav.notifications.models import Notice, NoticeKind

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def test_the_legal_maximum_is_dated_configuration():
    # Lag (1981:739) 4 § from 16 March 2013: 60 kr reminder, 180 kr collection demand.
    maximum = reminder_fee_maximum(dt.date(2026, 12, 6))
    assert maximum is not None and (maximum.reminder_ore, maximum.collection_ore) == (6000, 18000)
    assert reminder_fee_maximum(dt.date(2013, 3, 15)) is None
    ReminderFeeMaximum.objects.create(valid_from=dt.date(2027, 1, 1), reminder_ore=7500, collection_ore=20000)
    assert reminder_fee_maximum(dt.date(2027, 1, 1)).reminder_ore == 7500
    assert reminder_fee_maximum(dt.date(2026, 12, 31)).reminder_ore == 6000


@pytest.mark.rule("FEE-8")
def test_reminder_then_collection_each_once_with_notice_and_audit(world, schedule, admin):
    case = close_charged_case(world, world.resident_a)
    invoice = do_issue_invoice(case.pk)
    assert invoice is not None
    # On the due date and a few days after, nothing happens.
    with time_machine.travel(clock.now() + days(PAYMENT_TERMS_DAYS + REMINDER_AFTER_DAYS - 1), tick=False):
        assert do_send_reminders() == 0
    with time_machine.travel(clock.now() + days(PAYMENT_TERMS_DAYS + REMINDER_AFTER_DAYS), tick=False):
        ReminderFeeMaximum.objects.create(valid_from=clock.today(), reminder_ore=5000, collection_ore=18000)
        assert do_send_reminders() == 1
        assert do_send_reminders() == 0
        assert do_send_to_collection() == 0  # the reminder is not yet due
        reminded_on = clock.today()
    invoice.refresh_from_db()
    # The fee is the maximum valid on the day the reminder is sent.
    assert (invoice.stage, invoice.reminder_fee_ore, invoice.total_ore) == (
        InvoiceStage.REMINDED,
        5000,
        DOCTOR_FEE + 5000,
    )
    reminder = Dunning.objects.get(invoice=invoice, kind=DunningKind.REMINDER)
    assert reminder.due_on == reminded_on + days(REMINDER_TERMS_DAYS)
    assert Notice.objects.filter(person=world.resident_a, kind=NoticeKind.INVOICE_REMINDER).count() == 1
    assert AuditEntry.objects.filter(action="invoice.remind", object_id=str(invoice.pk)).count() == 1

    with time_machine.travel(dt.datetime.combine(reminder.due_on + days(1), dt.time(12), tzinfo=dt.UTC), tick=False):
        assert do_send_to_collection() == 1
        assert do_send_to_collection() == 0
    invoice.refresh_from_db()
    assert invoice.stage == InvoiceStage.COLLECTION and invoice.status == InvoiceStatus.UNPAID
    assert Notice.objects.filter(person=world.resident_a, kind=NoticeKind.INVOICE_COLLECTION).count() == 1
    assert AuditEntry.objects.filter(action="invoice.to_collection", object_id=str(invoice.pk)).count() == 1

    # The debt collector's file carries the case number, the OCR and what is owed.
    client = Client()
    log_in_client(client, staff_identity(world.provider_admin))
    response = client.get(reverse("billing:staff_collection_export"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [(r["arendenummer"], r["ocr"], r["att_betala_ore"]) for r in rows] == [
        (case.number, invoice.ocr, str(DOCTOR_FEE + 5000))
    ]
    assert "diabetes" not in response.content.decode("utf-8-sig").lower()
    assert AuditEntry.objects.filter(action="invoice.collection_export").count() == 1


@pytest.mark.rule("FEE-8")
def test_a_paid_invoice_gets_no_reminder(world, schedule):
    invoice = do_issue_invoice(close_charged_case(world, world.resident_a).pk)
    assert invoice is not None
    Invoice.objects.filter(pk=invoice.pk).update(status=InvoiceStatus.PAID, paid_ore=invoice.amount_ore)
    with time_machine.travel(clock.now() + days(PAYMENT_TERMS_DAYS + 60), tick=False):
        assert do_send_reminders() == 0 and do_send_to_collection() == 0
    assert not Dunning.objects.exists()


def test_the_collection_file_is_for_provider_admins_only(world, schedule):
    client = Client()
    log_in_client(client, staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    assert client.get(reverse("billing:staff_collection_export")).status_code == 403


@pytest.mark.rule("FEE-8")
def test_a_credit_note_is_a_new_document_and_the_invoice_is_not_edited(world, schedule, admin):
    case = close_charged_case(world, world.resident_a)
    invoice = do_issue_invoice(case.pk)
    assert invoice is not None
    handler = actor_for(world.handler_x, unit=world.unit_x, role="handler")
    with pytest.raises(PermissionDenied):
        do_credit_invoice(handler, invoice.pk, reason="Fel avgift")
    with pytest.raises(DomainError) as refused:
        do_credit_invoice(admin, invoice.pk, reason="x")
    assert refused.value.field == "reason"
    note = do_credit_invoice(admin, invoice.pk, reason="Fel avgift")
    assert (note.amount_ore, note.number) == (DOCTOR_FEE, "K" + invoice.number[1:])
    after = Invoice.objects.get(pk=invoice.pk)
    assert (after.amount_ore, after.ocr, after.number, after.status) == (
        invoice.amount_ore,
        invoice.ocr,
        invoice.number,
        InvoiceStatus.CREDITED,
    )
    assert after.due_ore == 0
    with pytest.raises(DomainError):
        do_credit_invoice(admin, invoice.pk, reason="Igen")
    assert CreditNote.objects.count() == 1
    assert Notice.objects.filter(person=world.resident_a, kind=NoticeKind.INVOICE_CREDITED).count() == 1
    assert AuditEntry.objects.filter(action="invoice.credit").count() == 1
    # A credited invoice gets no reminder.
    with time_machine.travel(clock.now() + days(PAYMENT_TERMS_DAYS + 60), tick=False):
        assert do_send_reminders() == 0


def test_staff_credit_form_shows_errors_at_the_field(world, schedule):
    case = close_charged_case(world, world.resident_a)
    invoice = do_issue_invoice(case.pk)
    assert invoice is not None
    client = Client()
    log_in_client(client, staff_identity(world.provider_admin))
    bad = client.post(reverse("billing:staff_credit_invoice", args=[invoice.pk]), {"reason": ""})
    assert bad.status_code == 422
    assert "Skriv varför fakturan krediteras" in bad.content.decode()
    good = client.post(reverse("billing:staff_credit_invoice", args=[invoice.pk]), {"reason": "Fel betalare"})
    assert good.status_code == 302
    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.CREDITED


@pytest.mark.rule("FEE-4")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_make_exactly_one_invoice(world, schedule):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    cases = [close_charged_case(world, world.resident_a) for _ in range(3)]
    racers = 4
    barrier = threading.Barrier(racers)
    errors: list[BaseException] = []
    made: list[int] = []

    def run() -> None:
        try:
            barrier.wait()
            made.append(do_issue_due_invoices())
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sum(made) == 3
    assert sorted(Invoice.objects.values_list("case_id", flat=True)) == sorted(c.pk for c in cases)
    assert Notice.objects.filter(kind=NoticeKind.INVOICE).count() == 3


@pytest.mark.rule("FEE-8")
def test_the_api_shows_a_cases_invoice_to_its_staff_and_credits_it_for_admins(world, schedule):
    case = close_charged_case(world, world.resident_a)
    invoice = do_issue_invoice(case.pk)
    assert invoice is not None
    handler = Client()
    log_in_client(handler, staff_identity(world.handler_x, unit=world.unit_x, role="handler"))
    shown = handler.get(f"/api/v1/staff/cases/{case.pk}/invoice")
    assert shown.status_code == 200 and shown.json()["ocr"] == invoice.ocr
    refused = handler.post(
        f"/api/v1/staff/invoices/{invoice.pk}/credit", {"reason": "Fel avgift"}, content_type="application/json"
    )
    assert refused.status_code == 403
    admin_client = Client()
    log_in_client(admin_client, staff_identity(world.provider_admin))
    bad = admin_client.post(
        f"/api/v1/staff/invoices/{invoice.pk}/credit", {"reason": ""}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    made = admin_client.post(
        f"/api/v1/staff/invoices/{invoice.pk}/credit", {"reason": "Fel avgift"}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["amount_ore"] == DOCTOR_FEE
    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.CREDITED
