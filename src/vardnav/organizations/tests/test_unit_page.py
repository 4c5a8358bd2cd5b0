"""The public unit page and the list of units."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.personas import SYSTEM, make_unit
from tests.queries import assert_same_query_count, count_queries
from vardnav.organizations.actions.units import do_update_unit
from vardnav.organizations.models import Unit

pytestmark = pytest.mark.django_db


def test_the_unit_page_shows_name_kind_address_phone_and_opening_hours(client, unit_x):
    do_update_unit(
        SYSTEM,
        unit_x,
        street_address="Storgatan 12",
        postal_code="871 30",
        city="Norrsund",
        phone="0611-12 34 00",
        opening_hours=[{"days": "Måndag–fredag", "hours": "08.00–17.00"}],
    )

    response = client.get(f"/mottagningar/{unit_x.slug}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv"' in page
    for text in ("Testcentralen 1", "Vårdcentral", "Storgatan 12", "871 30 Norrsund", "0611-12 34 00"):
        assert text in page
    assert "Måndag–fredag" in page and "08.00–17.00" in page
    assert "Du kan kontakta mottagningen via e-tjänster" in page


def test_a_unit_without_e_services_still_has_a_page_that_says_so(client, provider):
    unit = make_unit(
        provider, "Barnmorskemottagningen Test", "SE2321000016-BM1", kind="midwife", eservices_active=False
    )
    page = client.get(reverse("organizations:unit_detail", args=[unit.slug])).content.decode()
    assert "Barnmorskemottagningen Test" in page
    assert "Mottagningen har inga e-tjänster just nu." in page
    assert "Du kan kontakta mottagningen via e-tjänster" not in page


def test_an_unknown_unit_is_not_found(client):
    assert client.get("/mottagningar/finns-inte/").status_code == 404


def test_the_unit_page_runs_a_fixed_small_number_of_queries(client, unit_x, django_assert_max_num_queries):
    """One object, not a list: a small fixed number is the point here (the third: whether the provider
    shows the complaint service on unit pages, CMP-5)."""
    with django_assert_max_num_queries(3):
        assert client.get(f"/mottagningar/{unit_x.slug}/").status_code == 200


def test_the_unit_list_runs_the_same_number_of_queries_however_many_units(client, provider):
    url = reverse("organizations:unit_list")

    def add_units() -> None:
        for n in range(3):
            make_unit(provider, f"Vårdcentralen Ny {n}", f"SE2321000016-NY{n}", slug=f"vardcentralen-ny-{n}")

    assert_same_query_count(lambda: client.get(url), add_units)
    queries, _ = count_queries(lambda: client.get(url))
    assert queries <= 3
    second = client.get(url)
    assert second.status_code == 200
    assert "Vårdcentralen Ny 2" in second.content.decode()


def test_the_unit_list_links_every_unit(client, world):
    page = client.get(reverse("organizations:unit_list")).content.decode()
    units = Unit.objects.all()
    assert units.count() >= 3
    for unit in units:
        assert f'href="/mottagningar/{unit.slug}/"' in page
