"""The public unit page and the list of units."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vardnav.core.actor import Actor
from vardnav.organizations.actions.units import do_create_unit
from vardnav.organizations.models import Unit

pytestmark = pytest.mark.django_db


def test_the_unit_page_shows_name_kind_address_phone_and_opening_hours(client, unit_x):
    response = client.get(f"/mottagningar/{unit_x.slug}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv"' in page
    for text in ("Vårdcentralen Norrsund centrum", "Vårdcentral", "Storgatan 12", "871 30 Norrsund", "0611-12 34 00"):
        assert text in page
    assert "Måndag–fredag" in page and "08.00–17.00" in page
    assert "Du kan kontakta mottagningen via e-tjänster" in page


def test_a_unit_without_e_services_still_has_a_page_that_says_so(client):
    unit = Unit.objects.get(slug="barnmorskemottagningen-vastera")
    page = client.get(reverse("organizations:unit_detail", args=[unit.slug])).content.decode()
    assert "Barnmorskemottagningen Västerå" in page
    assert "Mottagningen har inga e-tjänster just nu." in page
    assert "Du kan kontakta mottagningen via e-tjänster" not in page


def test_an_unknown_unit_is_not_found(client):
    assert client.get("/mottagningar/finns-inte/").status_code == 404


def test_the_unit_page_runs_a_fixed_small_number_of_queries(client, unit_x, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get(f"/mottagningar/{unit_x.slug}/").status_code == 200


def test_the_unit_list_runs_the_same_number_of_queries_however_many_units(client, provider):
    url = reverse("organizations:unit_list")
    with CaptureQueriesContext(connection) as before:
        first = client.get(url)
    for n in range(3):
        do_create_unit(
            Actor.system(),
            provider=provider,
            name=f"Vårdcentralen Ny {n}",
            slug=f"vardcentralen-ny-{n}",
            hsa_id=f"SE2321000901-NY{n}",
            kind="primary_care",
        )
    with CaptureQueriesContext(connection) as after:
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert "Vårdcentralen Ny 2" in second.content.decode()
    assert len(after.captured_queries) == len(before.captured_queries) <= 3


def test_the_unit_list_links_every_unit(client):
    page = client.get(reverse("organizations:unit_list")).content.decode()
    for unit in Unit.objects.all():
        assert f'href="/mottagningar/{unit.slug}/"' in page
