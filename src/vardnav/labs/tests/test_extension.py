"""The case engine's one extension point: closing a digital visit frees the queue place through visits' extension,
and the staff case page gets its links (certificates, visits, labs, billing) from the extensions."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.sessions import log_in_client, staff_identity
from vardnav.cases.actions import do_close_case
from vardnav.cases.hooks import DefaultHooks, case_extensions
from vardnav.core.errors import DomainError
from vardnav.visits.models import Duty

pytestmark = pytest.mark.django_db


def test_services_have_no_close_hook_of_their_own_closing_reaches_apps_only_through_extensions():
    assert not hasattr(DefaultHooks(), "on_close")
    names = {type(each).__name__ for each in case_extensions()}
    assert {"BillingCaseExtension", "VisitCaseExtension", "CertificateCaseExtension", "LabsCaseExtension"} <= names


@pytest.mark.rule("VISIT-9")
def test_closing_a_visit_frees_the_queue_place_and_abroad_refuses_prescribed_through_the_extension(digital, resident_a):
    from vardnav.labs.tests.conftest import open_visit

    abroad = open_visit(digital, resident_a, abroad=True)
    duty = Duty.objects.get(staff=digital.specialist, unit=digital.unit)
    assert duty.open_visits == 1
    with pytest.raises(DomainError):
        do_close_case(abroad.doctor, abroad.case, outcome="prescribed")
    duty.refresh_from_db()
    assert duty.open_visits == 1
    abroad.case.refresh_from_db()
    do_close_case(abroad.doctor, abroad.case, outcome="answered")
    duty.refresh_from_db()
    assert duty.open_visits == 0


def test_the_staff_case_page_links_come_from_the_extensions(visit_of_a, digital):
    client = log_in_client(Client(), staff_identity(digital.specialist, unit=digital.unit, role="handler"))
    page = client.get(f"/personal/arenden/{visit_of_a.case.pk}/").content.decode()
    assert f"/personal/arenden/{visit_of_a.case.pk}/intyg/" in page
    assert f'/personal/digitala-besok/{visit_of_a.case.pk}/"' in page
    assert f"/personal/digitala-besok/{visit_of_a.case.pk}/remisser/" in page
