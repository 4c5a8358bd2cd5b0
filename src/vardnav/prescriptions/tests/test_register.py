"""The drug register: the curated file, classification, the NPL import and type-ahead search (RX-3)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from vardnav.core.errors import DomainError
from vardnav.prescriptions.actions import CURATED_FILE, do_load_curated_register
from vardnav.prescriptions.models import Product, ProductSource
from vardnav.prescriptions.register import check_product_choice, classify, search_products

NPL_SAMPLE = Path(__file__).parent / "data" / "npl"


def test_classification_follows_the_atc_code_and_narcotic_class():
    assert classify("J01CE02", "").antibiotic
    assert not classify("J05AB11", "").antibiotic  # an antiviral is not an antibiotic
    for atc in ("N02AJ06", "N05BA04", "N05CD02", "N05CF01", "N06BA04", "N03AX16", "N03AE01", "N07BC01"):
        assert classify(atc, "").addictive, atc
    assert classify("R05FA02", "III").addictive  # a narcotic of list II–IV whatever its ATC code
    assert not classify("C09AA02", "").addictive
    assert classify("G03AA07", "").contraceptive and classify("G02BA03", "").contraceptive
    assert not classify("G03CA03", "").contraceptive  # oestrogen for menopause is not a contraceptive


@pytest.mark.rule("RX-3")
def test_the_curated_register_has_300_products_and_every_flag(register):
    rows = list(csv.DictReader(CURATED_FILE.open(encoding="utf-8")))
    assert len(rows) >= 300
    assert Product.objects.count() == len({row["npl_id"] for row in rows})
    assert Product.objects.filter(is_antibiotic=True).count() >= 10
    assert Product.objects.filter(is_addictive=True).count() >= 20
    assert Product.objects.filter(is_contraceptive=True).count() >= 10
    assert set(Product.objects.exclude(narcotic_class="").values_list("narcotic_class", flat=True)) == {
        "II",
        "III",
        "IV",
        "V",
    }
    levaxin = Product.objects.get(npl_id="CUR-levaxin-50-mikrog-tablett")
    assert (levaxin.atc_code, levaxin.is_addictive, levaxin.is_antibiotic) == ("H03AA01", False, False)
    assert Product.objects.get(npl_id="CUR-sobril-10-mg-tablett").narcotic_class == "IV"
    assert Product.objects.filter(name="Concerta", narcotic_class="II").exists()
    assert Product.objects.filter(name="Lyrica", narcotic_class="V", is_addictive=True).exists()


def test_loading_the_curated_register_twice_creates_nothing_twice(register):
    count = Product.objects.count()
    again = do_load_curated_register()
    assert (again.created, again.updated) == (0, 0)
    assert Product.objects.count() == count
    call_command("load_drug_register")
    assert Product.objects.count() == count


@pytest.mark.rule("RX-3")
def test_the_npl_import_reads_the_export_format_and_is_idempotent(register, capsys):
    call_command("import_npl", str(NPL_SAMPLE))
    levaxin = Product.objects.get(npl_id="20990101000001")
    assert (levaxin.name, levaxin.strength, levaxin.form, levaxin.atc_code) == (
        "Levaxin",
        "112 mikrog",
        "Tablett",
        "H03AA01",
    )
    assert levaxin.source == ProductSource.NPL and levaxin.manufacturer == "Takeda Pharma AB"
    oxycodone = Product.objects.get(npl_id="20990101000002")
    assert (oxycodone.narcotic_class, oxycodone.is_addictive, oxycodone.form) == ("II", True, "Kapsel, hård")
    amoxicillin = Product.objects.get(npl_id="20990101000003")
    assert amoxicillin.is_antibiotic and amoxicillin.narcotic_class == "" and not amoxicillin.is_active
    count = Product.objects.count()
    call_command("import_npl", str(NPL_SAMPLE / "several.xml"))
    assert Product.objects.count() == count
    assert "oförändrade 2" in capsys.readouterr().out


def test_the_npl_import_can_retire_the_curated_demo_products(register):
    call_command("import_npl", str(NPL_SAMPLE), "--retire-curated")
    assert not Product.objects.filter(source=ProductSource.CURATED, is_active=True).exists()
    assert [p.npl_id for p in search_products("levaxin")] == ["20990101000001"]


def test_a_broken_npl_file_imports_nothing(register, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text("<npl:medprod", encoding="utf-8")
    count = Product.objects.count()
    with pytest.raises(Exception, match="Kunde inte läsa"):
        call_command("import_npl", str(broken))
    assert Product.objects.count() == count


@pytest.mark.rule("RX-3")
def test_type_ahead_finds_products_by_the_start_of_their_name_without_diacritics(register):
    labels = [p.label for p in search_products("kave")]
    assert labels and all(label.startswith("Kåvepenin") for label in labels)
    assert search_products("Levaxin 50")[0].npl_id == "CUR-levaxin-50-mikrog-tablett"
    assert {p.name for p in search_products("sertralin", limit=20)} >= {"Sertralin Accord", "Zoloft"}
    assert len(search_products("a", limit=10)) == 0
    assert len(search_products("tablett", limit=7)) == 7


@pytest.mark.rule("RX-3")
def test_type_ahead_forgives_a_misspelling(register):
    assert any(p.name == "Levaxin" for p in search_products("levaxn"))


@pytest.mark.rule("RX-3")
@pytest.mark.parametrize(
    "name", ["Teva", "Sandoz", "mylan", "Orion", "Actavis", "KRKA", "1A Farma", "Bluefish 50 mg", "Viatris tabletter"]
)
def test_a_manufacturer_name_alone_is_refused(register, name):
    with pytest.raises(DomainError) as refused:
        check_product_choice(name, field="medicine")
    assert refused.value.code == "manufacturer-not-product"
    assert "som det står på förpackningen" in str(refused.value.message)
    assert refused.value.field_errors() == {"medicine": [refused.value.message]}


@pytest.mark.rule("RX-3")
def test_an_unknown_name_is_refused_with_suggestions(register):
    with pytest.raises(DomainError) as refused:
        check_product_choice("Levaxn 50", field="medicine")
    assert refused.value.code == "unknown-product"
    assert "Menade du: Levaxin" in str(refused.value.message)


@pytest.mark.rule("RX-3")
def test_a_product_is_named_by_label_name_npl_id_or_an_unambiguous_start(register):
    assert check_product_choice("Levaxin 50 mikrog tablett", field="m").exact.npl_id == "CUR-levaxin-50-mikrog-tablett"
    assert check_product_choice("levaxin 50 mikrog", field="m").exact.npl_id == "CUR-levaxin-50-mikrog-tablett"
    assert check_product_choice("CUR-sobril-10-mg-tablett", field="m").exact.name == "Sobril"
    assert len(check_product_choice("Levaxin", field="m").products) == 6
    assert check_product_choice("Enalapril Actavis 10", field="m").exact.strength == "10 mg"
    assert check_product_choice("Metformin Mylan", field="m").name == "Metformin Mylan"


def test_the_search_endpoint_answers_json_for_the_type_ahead(register, client):
    response = client.get("/recept/sok/", {"q": "levax"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["label"].startswith("Levaxin") and "npl_id" in results[0]
    assert client.get("/recept/sok/", {"q": "x" * 5000}).json() == {"results": []}


def test_the_api_searches_the_register(register, client):
    response = client.get("/api/v1/drugs", {"q": "cerazette"})
    assert response.status_code == 200
    assert response.json()[0]["atc_code"] == "G03AC09"
    assert client.get("/api/v1/drugs", {"q": "alvedon", "limit": "many"}).status_code == 422


def test_on_postgresql_the_search_column_has_a_trigram_index(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm exists only on PostgreSQL; SQLite searches the plain index")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'prescriptions_product_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition
