"""Services a resident can't use by age or sex are explained before anything is typed, and refused on
submit (issue 11, item 4). A guardian acting for an 8-year-old is the case the issue names."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.personas import SYSTEM, make_service
from tests.sessions import log_in_client, resident_identity
from vardnav.cases.actions import do_submit_case
from vardnav.catalog.actions import do_update_service
from vardnav.catalog.errors import CatalogError
from vardnav.catalog.models import ServiceKind, ServiceSex
from vardnav.core import clock
from vardnav.core.errors import DomainError

pytestmark = pytest.mark.django_db

ANSWERS = {"subject": "Preventivmedel", "details": "Jag vill börja med p-piller."}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def the_other_sex(person) -> str:
    return ServiceSex.FEMALE if person.number.is_male else ServiceSex.MALE


@pytest.fixture
def teen_service(world):
    """A contraceptive service from 15 years, as a youth clinic offers it."""
    service = make_service(world.provider, ServiceKind.CONTRACEPTIVE_START)
    return do_update_service(SYSTEM, service, min_age=15)


def test_a_guardian_acting_for_an_8_year_old_is_told_before_typing_and_gets_no_form(world, teen_service):
    guardian = log_in_client(Client(), resident_identity(world.guardian, acting_for=world.child_8))
    url = f"/e-tjanster/{world.unit_x.slug}/{teen_service.pk}/"

    html = guardian.get(url).content.decode()

    assert "not-eligible" in html
    assert "Den här e-tjänsten är för den som är 15 år eller äldre." in text_of(html)
    assert 'name="subject"' not in html and "Skicka ärendet" not in html
    assert f'href="/e-tjanster/{world.unit_x.slug}/"' in html  # the way on: the unit's other e-services


def test_the_service_list_explains_the_age_limit_without_a_link_to_the_form(world, teen_service):
    guardian = log_in_client(Client(), resident_identity(world.guardian, acting_for=world.child_8))

    html = guardian.get(f"/e-tjanster/{world.unit_x.slug}/").content.decode()

    assert "Den här e-tjänsten är för den som är 15 år eller äldre." in text_of(html)
    assert f"/e-tjanster/{world.unit_x.slug}/{teen_service.pk}/" not in html
    assert f"/e-tjanster/{world.unit_x.slug}/{world.open_service.pk}/" in html  # the other services stay linked


def test_the_guardian_for_themself_gets_the_form(world, teen_service):
    guardian = log_in_client(Client(), resident_identity(world.guardian))

    html = guardian.get(f"/e-tjanster/{world.unit_x.slug}/{teen_service.pk}/").content.decode()

    assert "not-eligible" not in html and 'name="subject"' in html


def test_a_post_for_a_child_too_young_is_refused_and_nothing_is_saved(world, teen_service):
    guardian = log_in_client(Client(), resident_identity(world.guardian, acting_for=world.child_8))
    url = f"/e-tjanster/{world.unit_x.slug}/{teen_service.pk}/"

    response = guardian.post(url, {**ANSWERS, "submission_key": "eligibility-key-0001"})

    assert response.status_code == 422
    assert not teen_service.cases.exists()


def test_the_submission_is_refused_by_age_at_both_ends(world, teen_service):
    child = world.child_8
    with pytest.raises(DomainError) as refused:
        do_submit_case(world.resident(world.guardian, child), service=teen_service, unit=world.unit_x, answers=ANSWERS)
    assert refused.value.code is CatalogError.TOO_YOUNG

    do_update_service(SYSTEM, teen_service, min_age=None, max_age=child.age_on(clock.today()) - 1)
    with pytest.raises(DomainError) as refused:
        do_submit_case(world.resident(world.guardian, child), service=teen_service, unit=world.unit_x, answers=ANSWERS)
    assert refused.value.code is CatalogError.TOO_OLD

    do_update_service(SYSTEM, teen_service, max_age=child.age_on(clock.today()))  # the limit itself is included
    case = do_submit_case(
        world.resident(world.guardian, child), service=teen_service, unit=world.unit_x, answers=ANSWERS
    )
    assert case.subject_id == child.pk


def test_a_sex_specific_service_is_explained_and_refused_for_the_other_sex(world):
    service = make_service(world.provider, ServiceKind.CONTRACEPTIVE_CHANGE)
    do_update_service(SYSTEM, service, sex=the_other_sex(world.resident_a))
    expected = CatalogError.ONLY_FOR_FEMALE if service.sex == ServiceSex.FEMALE else CatalogError.ONLY_FOR_MALE
    client = log_in_client(Client(), resident_identity(world.resident_a))

    html = client.get(f"/e-tjanster/{world.unit_x.slug}/{service.pk}/").content.decode()
    assert str(expected.message) in text_of(html) and 'name="subject"' not in html

    with pytest.raises(DomainError) as refused:
        do_submit_case(world.resident(world.resident_a), service=service, unit=world.unit_x, answers=ANSWERS)
    assert refused.value.code is expected

    do_update_service(
        SYSTEM, service, sex=ServiceSex.FEMALE if expected is CatalogError.ONLY_FOR_MALE else ServiceSex.MALE
    )
    assert do_submit_case(world.resident(world.resident_a), service=service, unit=world.unit_x, answers=ANSWERS)


def test_the_api_refuses_what_the_page_explains(world, teen_service):
    guardian = log_in_client(Client(), resident_identity(world.guardian, acting_for=world.child_8))

    response = guardian.post(
        "/api/v1/cases",
        {"service_id": teen_service.pk, "unit_id": world.unit_x.pk, "answers": ANSWERS},
        content_type="application/json",
        headers={"Idempotency-Key": "eligibility-api-key-0001"},
    )

    assert response.status_code == 409
    assert response.json()["code"] == "service-too-young"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"min_age": "-1"}, CatalogError.INVALID_AGE_LIMIT),
        ({"max_age": "tio"}, CatalogError.INVALID_AGE_LIMIT),
        ({"min_age": 18, "max_age": 12}, CatalogError.AGE_LIMITS_ORDER),
        ({"sex": "other"}, CatalogError.INVALID_SERVICE_SEX),
    ],
)
def test_bad_limits_are_refused_at_their_field(world, teen_service, changes, code):
    with pytest.raises(DomainError) as refused:
        do_update_service(SYSTEM, teen_service, **changes)
    assert refused.value.code is code
    teen_service.refresh_from_db()
    assert (teen_service.min_age, teen_service.max_age, teen_service.sex) == (15, None, "")


def test_the_public_catalogue_api_tells_who_may_use_a_service(world, teen_service):
    rows = Client().get(f"/api/v1/units/{world.unit_x.pk}/services").json()

    row = next(row for row in rows if row["id"] == teen_service.pk)
    assert (row["min_age"], row["max_age"], row["sex"]) == (15, None, "")
