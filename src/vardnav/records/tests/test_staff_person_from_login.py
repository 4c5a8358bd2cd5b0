"""The log review's staff personal numbers come from the staff login's personal-number claim, not only by hand.

Over real HTTP on the live server: the demo IdP sends the personal number on the
(pretend) SITHS card of the HSA-id, and the login stores it as the staff member's
StaffPerson, audited once; a later login with the same number writes nothing.
"""

from __future__ import annotations

import pytest

from vardnav.audit.events import AuditEvent
from vardnav.audit.models import AuditEntry
from vardnav.demo_idp.access import DEMO_CARD_HOLDERS
from vardnav.identity.staff.oidc import personal_number_from_claims
from vardnav.identity.tests.test_staff_login import base_url, browser, grant, log_in, make_staff, make_unit  # noqa: F401
from vardnav.organizations.models import Role
from vardnav.records.models import StaffPerson

pytestmark = pytest.mark.django_db(transaction=True)

HSA_WITH_CARD = "SE2321000901-NC01"


def test_the_staff_login_fills_in_the_staff_members_personal_number_from_the_claim(base_url, browser):  # noqa: F811
    staff = make_staff(HSA_WITH_CARD, given_name="Hugo", surname="Ek")
    grant(staff, make_unit("Vårdcentralen Norr", "SE2321000016-U001"), Role.HANDLER)
    assert log_in(browser, base_url, staff.hsa_id).status_code == 200
    link = StaffPerson.objects.select_related("person").get(staff=staff)
    assert link.person.personal_number == DEMO_CARD_HOLDERS[HSA_WITH_CARD]
    assert AuditEntry.objects.filter(action=AuditEvent.STAFF_PERSON_LINK, actor_staff_id=staff.pk).count() == 1

    browser.cookies.clear()
    assert log_in(browser, base_url, staff.hsa_id).status_code == 200
    assert AuditEntry.objects.filter(action=AuditEvent.STAFF_PERSON_LINK, actor_staff_id=staff.pk).count() == 1


def test_a_login_without_the_claim_leaves_the_staff_person_alone(base_url, browser):  # noqa: F811
    staff = make_staff("SE2321000016-15CQ")
    grant(staff, make_unit("Vårdcentralen Norr", "SE2321000016-U001"), Role.HANDLER)
    assert log_in(browser, base_url, staff.hsa_id).status_code == 200
    assert not StaffPerson.objects.filter(staff=staff).exists()


@pytest.mark.parametrize("value", [None, 12, "", "not a number", "197601012390"])
def test_a_missing_or_malformed_claim_gives_no_personal_number(settings, value):
    assert personal_number_from_claims({settings.STAFF_OIDC_PERSONAL_NUMBER_CLAIM: value}) is None


def test_a_well_formed_claim_gives_the_twelve_digits(settings):
    claims = {settings.STAFF_OIDC_PERSONAL_NUMBER_CLAIM: "19800308-2396"}
    assert personal_number_from_claims(claims) == "198003082396"
    settings.STAFF_OIDC_PERSONAL_NUMBER_CLAIM = ""
    assert personal_number_from_claims(claims) is None
