"""A digital care provider takes residents regardless of listing (ORG-7); regions route by listing (CASE-1)."""

from __future__ import annotations

import pytest

from tests.personas import SYSTEM, actor_for, make_service
from vardnav.cases.actions import do_submit_case
from vardnav.catalog.actions import do_offer_service
from vardnav.catalog.models import ServiceKind
from vardnav.core.errors import DomainError

pytestmark = pytest.mark.django_db

ANSWERS = {"subject": "Intyg", "details": "Min arbetsgivare vill ha ett intyg om min arbetsförmåga."}


@pytest.mark.rule("ORG-7")
def test_a_resident_listed_in_a_region_can_use_the_digital_provider_without_listing_there(world):
    """The other provider works as a digital provider: its certificate service is not bound to a listing."""
    digital = world.other_unit
    service = make_service(world.other_provider, ServiceKind.CERTIFICATE_NEW, listing_bound=False)
    do_offer_service(SYSTEM, digital, service)

    case = do_submit_case(actor_for(world.resident_b), service=service, unit=digital, answers=dict(ANSWERS))

    assert case.unit == digital


@pytest.mark.rule("CASE-1")
def test_the_same_resident_cannot_send_a_listing_bound_case_to_another_regions_unit(world):
    """resident_b is listed at unit_y of one provider; the other provider's listing-bound service refuses them."""
    other_region = world.other_unit
    service = make_service(world.other_provider, ServiceKind.CERTIFICATE_NEW, listing_bound=True)
    do_offer_service(SYSTEM, other_region, service)

    with pytest.raises(DomainError) as caught:
        do_submit_case(actor_for(world.resident_b), service=service, unit=other_region, answers=dict(ANSWERS))

    assert caught.value.code == "not-listed"
