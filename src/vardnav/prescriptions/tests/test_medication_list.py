"""The resident's medication list with one-click renewal (RX-1) and who may see it (RX-2)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.personas import actor_for
from tests.queries import assert_same_query_count
from tests.sessions import log_in_client, resident_identity
from vardnav.cases.models import Case
from vardnav.core import clock
from vardnav.demo.prescriptions import load_demo_prescriptions
from vardnav.organizations.models import Staff
from vardnav.prescriptions.access import medication_list
from vardnav.prescriptions.actions import do_record_prescription
from vardnav.prescriptions.models import Prescription, Product
from vardnav.prescriptions.tests.conftest import SYSTEM


def prescribe(person, npl_id, unit, prescriber, days_ago, dosage="1 tablett dagligen"):
    return do_record_prescription(
        SYSTEM,
        person=person,
        product=Product.objects.get(npl_id=npl_id),
        prescriber=prescriber,
        unit=unit,
        dosage=dosage,
        amount="100 tabletter",
        duration_days=90,
        prescribed_at=clock.now() - dt.timedelta(days=days_ago),
    )


@pytest.mark.rule("RX-1")
def test_the_list_shows_the_latest_prescription_of_each_medicine_from_the_last_five_years(
    rx, demo_resident_a, demo_unit_x
):
    recent = prescribe(demo_resident_a, "CUR-levaxin-50-mikrog-tablett", demo_unit_x, rx.doctor_x, 30)
    prescribe(demo_resident_a, "CUR-levaxin-50-mikrog-tablett", demo_unit_x, rx.doctor_x, 120)
    within = prescribe(demo_resident_a, "CUR-enalapril-actavis-10-mg-tablett", demo_unit_x, rx.doctor_x, 5 * 365 - 2)
    prescribe(demo_resident_a, "CUR-zocord-20-mg-filmdragerad-tablett", demo_unit_x, rx.doctor_x, 5 * 365 + 2)
    listed = medication_list(actor_for(demo_resident_a))
    assert listed.visible
    assert [p.pk for p in listed.items] == [recent.pk, within.pk]
    assert listed.service == rx.services["prescription_renewal"]


@pytest.mark.rule("RX-1")
def test_the_list_shows_only_the_listed_units_provider(rx, demo_resident_a, demo_other_unit, demo_other_handler):
    prescribe(demo_resident_a, "CUR-levaxin-50-mikrog-tablett", demo_other_unit, demo_other_handler, 30)
    assert medication_list(actor_for(demo_resident_a)).items == []


@pytest.mark.rule("RX-1")
def test_fornya_prefills_the_renewal_form_which_posts_to_the_case_engine(rx, client, demo_resident_a, demo_unit_x):
    prescription = prescribe(
        demo_resident_a, "CUR-levaxin-50-mikrog-tablett", demo_unit_x, rx.doctor_x, 30, "1 på morgonen"
    )
    log_in_client(client, resident_identity(demo_resident_a))
    page = client.get("/recept/").content.decode()
    assert "Levaxin 50 mikrog tablett" in page and f"/recept/{prescription.pk}/fornya/" in page
    form = client.get(f"/recept/{prescription.pk}/fornya/")
    html = form.content.decode()
    assert form.status_code == 200
    assert 'value="Levaxin 50 mikrog tablett"' in html and 'value="1 på morgonen"' in html
    service = rx.services["prescription_renewal"]
    assert f'action="/e-tjanster/{demo_unit_x.slug}/{service.pk}/"' in html
    assert "data-product-search" in html and "product-search.js" in html
    response = client.post(
        f"/e-tjanster/{demo_unit_x.slug}/{service.pk}/",
        {"medicine": "Levaxin 50 mikrog tablett", "dosage": "1 på morgonen", "addictive": "no", "effect": "ja",
         "submission_key": "b" * 32},
    )  # fmt: skip
    assert response.status_code == 302
    assert Case.objects.get().answers["medicine"] == "Levaxin 50 mikrog tablett"


@pytest.mark.rule("RX-2")
def test_a_resident_under_16_does_not_see_a_list(rx, demo_child_14, demo_unit_x):
    prescribe(
        demo_child_14, "CUR-ventoline-evohaler-0-1-mg-dos-inhalationsspray-suspension", demo_unit_x, rx.doctor_x, 30
    )
    listed = medication_list(actor_for(demo_child_14))
    assert not listed.visible and listed.items == [] and "16 års ålder" in listed.message


@pytest.mark.rule("RX-2")
def test_a_guardian_acting_for_a_child_does_not_see_the_childs_list(
    rx, client, demo_guardian, demo_child_8, demo_child_17, demo_unit_x
):
    for child in (demo_child_8, demo_child_17):
        prescribe(child, "CUR-levaxin-25-mikrog-tablett", demo_unit_x, rx.doctor_x, 30)
        listed = medication_list(actor_for(demo_guardian, acting_for=child))
        assert not listed.visible and listed.items == []
    prescription = Prescription.objects.get(person=demo_child_8)
    log_in_client(client, resident_identity(demo_guardian, acting_for=demo_child_8))
    page = client.get("/recept/").content.decode()
    assert "Levaxin" not in page and "företräder ett barn" in page
    assert client.get(f"/recept/{prescription.pk}/fornya/").status_code == 404
    assert client.get("/api/v1/prescriptions/mine").json()["items"] == []


@pytest.mark.rule("RX-2")
def test_from_16_the_resident_sees_their_own_list(rx, demo_child_17, demo_unit_x):
    prescription = prescribe(
        demo_child_17, "CUR-cerazette-75-mikrog-filmdragerad-tablett", demo_unit_x, rx.midwife_x, 30
    )
    listed = medication_list(actor_for(demo_child_17))
    assert listed.visible and listed.items == [prescription]


@pytest.mark.rule("RX-1")
def test_another_residents_prescription_cannot_be_opened(rx, client, demo_resident_a, demo_resident_b, demo_unit_x):
    prescription = prescribe(demo_resident_a, "CUR-levaxin-50-mikrog-tablett", demo_unit_x, rx.doctor_x, 30)
    log_in_client(client, resident_identity(demo_resident_b))
    assert client.get(f"/recept/{prescription.pk}/fornya/").status_code == 404
    assert client.get("/recept/").status_code == 200


def test_the_pages_need_a_logged_in_resident(rx, client):
    assert client.get("/recept/").status_code == 302
    assert client.get("/api/v1/prescriptions/mine").status_code == 401


@pytest.mark.rule("RX-1")
def test_the_api_lists_the_residents_own_medicines(rx, client, demo_resident_a, demo_unit_x):
    prescribe(demo_resident_a, "CUR-levaxin-50-mikrog-tablett", demo_unit_x, rx.doctor_x, 30)
    log_in_client(client, resident_identity(demo_resident_a))
    body = client.get("/api/v1/prescriptions/mine").json()
    assert body["visible"] and body["items"][0]["product"]["name"] == "Levaxin"
    assert body["service_id"] == rx.services["prescription_renewal"].pk


def test_the_demo_prescriptions_load_once(rx, demo_resident_a):
    created = load_demo_prescriptions()
    assert created >= 8
    assert load_demo_prescriptions() == 0
    names = {p.product.name for p in medication_list(actor_for(demo_resident_a)).items}
    assert "Levaxin" in names and "Simvastatin Actavis" not in names  # older than five years
    assert Staff.objects.filter(prescriptions__isnull=False, profession="midwife").exists()


@pytest.mark.rule("RX-3")
def test_the_renewal_e_service_form_offers_type_ahead_from_the_drug_register(rx, client, demo_resident_a, demo_unit_x):
    log_in_client(client, resident_identity(demo_resident_a))
    service = rx.services["prescription_renewal"]
    html = client.get(f"/e-tjanster/{demo_unit_x.slug}/{service.pk}/").content.decode()
    assert 'data-product-search="/recept/sok/"' in html
    assert '<datalist id="medicine-suggestions"></datalist>' in html
    assert "prescriptions/product-search.js" in html
    assert client.get("/recept/sok/?q=Levax").json()["results"][0]["label"].startswith("Levaxin")


@pytest.mark.parametrize("path", ["/recept/", "/api/v1/prescriptions/mine"])
def test_the_medication_list_costs_the_same_with_one_medicine_as_with_five(
    rx, client, demo_resident_a, demo_unit_x, path
):
    products = list(Product.objects.order_by("npl_id").values_list("npl_id", flat=True)[:5])
    prescribe(demo_resident_a, products[0], demo_unit_x, rx.doctor_x, 30)
    log_in_client(client, resident_identity(demo_resident_a))

    def get_list():
        response = client.get(path)
        assert response.status_code == 200, response.content.decode()[:500]

    def more_medicines():
        for days_ago, npl_id in enumerate(products[1:], start=31):
            prescribe(demo_resident_a, npl_id, demo_unit_x, rx.midwife_x if days_ago % 2 else rx.doctor_x, days_ago)

    assert_same_query_count(get_list, more_medicines)
    assert Prescription.objects.filter(person=demo_resident_a).count() == 5
