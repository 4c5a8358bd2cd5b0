"""A digital care provider takes residents regardless of listing (ORG-7); regions route by listing (CASE-1)."""

from __future__ import annotations

import pytest

from vardnav.cases.actions import do_submit_case
from vardnav.catalog.models import Service
from vardnav.core.actor import Actor, ActorKind
from vardnav.core.errors import DomainError
from vardnav.organizations.models import Unit

ANSWERS = {"kind": "work", "purpose": "Min arbetsgivare vill ha ett intyg om min arbetsförmåga."}


def certificate_at(unit: Unit) -> Service:
    return Service.objects.get(provider=unit.provider, kind="certificate_new")


@pytest.mark.rule("ORG-7")
def test_a_resident_listed_in_a_region_can_use_the_digital_provider_without_listing_there(resident_b):
    digital = Unit.objects.get(slug="kliniknu-digital")
    actor = Actor(kind=ActorKind.RESIDENT, person_id=resident_b.pk)
    case = do_submit_case(actor, service=certificate_at(digital), unit=digital, answers=dict(ANSWERS))
    assert case.unit == digital


@pytest.mark.rule("CASE-1")
def test_the_same_resident_cannot_send_a_listing_bound_case_to_another_regions_unit(resident_b):
    other_region = Unit.objects.get(slug="vardcentralen-norrsund-centrum")
    actor = Actor(kind=ActorKind.RESIDENT, person_id=resident_b.pk)
    with pytest.raises(DomainError) as caught:
        do_submit_case(actor, service=certificate_at(other_region), unit=other_region, answers=dict(ANSWERS))
    assert caught.value.code == "not-listed"
