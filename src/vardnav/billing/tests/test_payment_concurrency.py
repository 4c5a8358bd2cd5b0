"""Payments are booked once even when the same callback or file line arrives at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from tests.personas import actor_for
from vardnav.billing import payments
from vardnav.billing.actions import do_record_payment
from vardnav.billing.models import Invoice, InvoiceStatus, Payment
from vardnav.billing.tests.payment_helpers import make_invoice

RACERS = 8


def race(work) -> list[BaseException]:
    barrier = threading.Barrier(RACERS)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            work(n)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")


@pytest.mark.rule("FEE-6")
@pytest.mark.django_db(transaction=True)
def test_one_source_booked_at_once_by_many_workers_is_booked_once(world):
    needs_postgres()
    invoice = make_invoice(world, amount_ore=300_00)
    admin = actor_for(world.provider_admin)
    same = race(lambda n: do_record_payment(admin, invoice.pk, amount_ore=100_00, reference="bgmax:20261204:1"))
    assert not same, same
    different = race(lambda n: do_record_payment(admin, invoice.pk, amount_ore=10_00, reference=f"desk:{n}"))
    assert not different, different
    invoice = Invoice.objects.get(pk=invoice.pk)
    assert Payment.objects.filter(reference="bgmax:20261204:1").count() == 1
    assert invoice.paid_ore == 100_00 + RACERS * 10_00  # no lost update


@pytest.mark.rule("FEE-6")
@pytest.mark.django_db(transaction=True)
def test_a_swish_callback_delivered_many_times_at_once_books_once(world, swish_simulator, settings):
    needs_postgres()
    settings.VARDNAV_PUBLIC_URL = "http://127.0.0.1:9"
    invoice = make_invoice(world, amount_ore=200_00)
    payment = payments.do_start_swish_payment(actor_for(invoice.payer), invoice)
    swish_simulator.pay(payment.instruction_id)
    body = next(p for p in swish_simulator.payments() if p["id"] == payment.instruction_id)
    results: list[bool] = []
    errors = race(lambda n: results.append(payments.do_handle_swish_callback(payment.callback_token, body).changed))
    assert not errors, errors
    assert results.count(True) == 1
    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.status == InvoiceStatus.PAID and invoice.paid_ore == 200_00
    assert Payment.objects.filter(invoice=invoice).count() == 1
