"""The demo's invoices (FEE-4, FEE-7): resident A's Mina fakturor shows a paid and an unpaid invoice."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.sessions import log_in_client, resident_identity
from vardnav.billing.models import Invoice, InvoiceStatus
from vardnav.demo.billing import load_demo_invoices

pytestmark = pytest.mark.django_db


@pytest.mark.rule("FEE-4")
def test_resident_a_has_a_paid_and_an_unpaid_invoice_made_through_the_actions_once(demo, demo_resident_a):
    assert load_demo_invoices() == 2
    assert load_demo_invoices() == 0
    invoices = Invoice.objects.filter(payer=demo_resident_a)
    assert sorted(invoices.values_list("status", flat=True)) == [InvoiceStatus.PAID, InvoiceStatus.UNPAID]
    paid = invoices.get(status=InvoiceStatus.PAID)
    assert paid.paid_ore == paid.total_ore and paid.payments.count() == 1
    page = log_in_client(Client(), resident_identity(demo_resident_a)).get("/mina-sidor/fakturor/").content.decode()
    assert all(invoice.number in page for invoice in invoices)
