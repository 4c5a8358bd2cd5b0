"""`manage.py load_demo`: the whole demo world, and nothing twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.personas import actor_for
from vardnav.audit.models import AuditEntry
from vardnav.core.hsa import is_valid_hsa_id
from vardnav.demo import data
from vardnav.demo import identities as ids
from vardnav.organizations.models import CareProvider, Listing, Profession, Role, RoleGrant, Staff, Unit, UnitKind
from vardnav.people.access import get_person_by_personal_number
from vardnav.people.models import GuardianRelation, Person

pytestmark = pytest.mark.django_db

COUNTED = [CareProvider, Unit, Staff, RoleGrant, Listing, Person, GuardianRelation, AuditEntry, Group]


def _counts():
    counts = {model.__name__: model.objects.count() for model in COUNTED}
    counts["User"] = get_user_model().objects.count()
    return counts


def test_a_second_run_creates_nothing_twice():
    first_out, second_out = StringIO(), StringIO()
    call_command("load_demo", stdout=first_out)
    after_first = _counts()
    call_command("load_demo", stdout=second_out)

    assert _counts() == after_first
    assert after_first["CareProvider"] == 4  # three care providers and the region's patient board (CMP-2)
    assert after_first["Unit"] == 9
    assert after_first["Person"] >= len(data.REGISTER_NUMBERS)
    assert "Skapade" in first_out.getvalue()
    assert "inget nytt skapades" in second_out.getvalue()


def test_a_resident_who_listed_elsewhere_stays_there_after_a_reload(demo):
    from vardnav.organizations.actions.listings import do_list_person

    resident_a = get_person_by_personal_number(ids.RESIDENT_A)
    hamnen = Unit.objects.get(slug="vardcentralen-hamnen")
    do_list_person(actor_for(resident_a), resident_a, hamnen)

    call_command("load_demo", stdout=StringIO())

    assert Listing.objects.get(person=resident_a, ended_at__isnull=True).unit == hamnen


def test_the_demo_has_three_providers_with_both_service_policies(demo):
    providers = {p.name: p for p in CareProvider.objects.all()}
    # and the region's patient board, an organisation of its own (CMP-2)
    assert set(providers) == {"Region Norrsund", "Region Västerå", "Kliniknu", "Patientnämnden Region Norrsund"}
    assert providers["Patientnämnden Region Norrsund"].units.get().kind == UnitKind.PATIENT_BOARD
    assert providers["Region Norrsund"].service_offering == "provider_wide"
    assert providers["Region Västerå"].service_offering == "per_unit"
    assert providers["Region Norrsund"].units.filter(kind=UnitKind.PRIMARY_CARE).count() == 3
    kliniknu = providers["Kliniknu"].units
    assert kliniknu.filter(kind=UnitKind.DIGITAL).count() == 1
    assert kliniknu.filter(kind=UnitKind.VACCINATION).count() == 2


def test_every_demo_unit_has_a_valid_hsa_id_and_most_offer_e_services(demo):
    units = list(Unit.objects.all())
    assert all(is_valid_hsa_id(u.hsa_id) for u in units)
    active = [u for u in units if u.eservices_active]
    assert len(units) / 2 < len(active) < len(units)
    assert any(u.other_information_html for u in units)
    assert any(not u.other_information_html for u in units)


def test_every_region_unit_has_every_profession_and_every_role(demo):
    for unit in Unit.objects.filter(provider__slug__in=["region-norrsund", "region-vastera"]):
        staff = Staff.objects.filter(role_grants__unit=unit).distinct()
        assert set(staff.values_list("profession", flat=True)) == set(Profession.values), unit.name
        roles = set(RoleGrant.objects.filter(unit=unit).values_list("role", flat=True)) - {Role.LOG_REVIEWER}
        assert roles == set(Role.values) - {Role.LOG_REVIEWER}, unit.name  # the reviewer is one per provider


def test_each_provider_has_one_admin_and_the_platform_admin_has_no_default_password(demo, monkeypatch):
    for provider in CareProvider.objects.all():
        admins = Staff.objects.filter(provider=provider, is_provider_admin=True)
        assert admins.count() == 1
        assert admins.get().user.groups.filter(name="Vårdgivaradministratör").exists()
    admin = get_user_model().objects.get(username=data.PLATFORM_ADMIN_USERNAME)
    assert admin.is_superuser
    assert not admin.has_usable_password()


def test_the_platform_admin_password_comes_from_the_environment(db, monkeypatch):
    from vardnav.demo.loader import load_demo

    monkeypatch.setenv(data.PLATFORM_ADMIN_PASSWORD_ENV, "ett-långt-demolösenord-2026")
    load_demo()
    admin = get_user_model().objects.get(username=data.PLATFORM_ADMIN_USERNAME)
    assert admin.check_password("ett-långt-demolösenord-2026")


def test_the_demo_residents_are_listed_as_the_personas_expect(
    demo,
    demo_unit_x,
    demo_other_unit,
    demo_resident_a,
    demo_resident_b,
    demo_guardian,
    demo_child_8,
    demo_child_14,
    demo_child_17,
    demo_protected,
):
    def listed_unit(person):
        return Listing.objects.get(person=person, ended_at__isnull=True).unit

    for person in (demo_resident_a, demo_guardian, demo_child_8, demo_child_14, demo_child_17):
        assert listed_unit(person) == demo_unit_x
    assert listed_unit(get_person_by_personal_number(ids.AGED_85)) == demo_unit_x
    assert listed_unit(get_person_by_personal_number(ids.COORDINATION)) == demo_unit_x
    assert listed_unit(demo_resident_b) == demo_other_unit
    assert listed_unit(demo_protected).provider.slug == data.PROVIDER_SLUG
    assert demo_protected.given_name == ""
    region_units = {listed_unit(get_person_by_personal_number(n)).slug for n in ids.RESIDENTS}
    assert len(region_units) == 4
    assert GuardianRelation.objects.filter(guardian=demo_guardian).count() == 3


def test_the_staff_personas_hold_the_roles_their_names_say(
    demo_unit_x,
    demo_other_unit,
    demo_receiver_x,
    demo_handler_x,
    demo_unit_admin_x,
    demo_other_handler,
    demo_provider_admin_other,
    demo_provider,
):
    def roles(staff, unit):
        return set(RoleGrant.objects.filter(staff=staff, unit=unit).values_list("role", flat=True))

    assert roles(demo_receiver_x, demo_unit_x) == {"receiver"}
    assert roles(demo_handler_x, demo_unit_x) == {"handler"}
    assert roles(demo_unit_admin_x, demo_unit_x) == {"unit_admin", "log_reviewer"}  # also the region's granskare
    assert roles(demo_other_handler, demo_other_unit) == {"handler"}
    assert demo_unit_x.provider == demo_provider and demo_other_unit.provider != demo_provider
    assert (
        demo_provider_admin_other.is_provider_admin and demo_provider_admin_other.provider == demo_other_unit.provider
    )


@pytest.mark.rule("VISIT-8")
def test_the_demo_has_a_digital_visit_with_a_proposed_video_meeting(demo):
    from django.test import Client

    from tests.sessions import log_in_client, resident_identity
    from vardnav.demo.visits import load_demo_meeting
    from vardnav.visits.models import MeetingAnswer, VideoMeeting

    assert load_demo_meeting() == 1
    assert load_demo_meeting() == 0  # once
    resident = get_person_by_personal_number(ids.RESIDENT_B)
    meeting = VideoMeeting.objects.select_related("visit__case").get(visit__case__subject=resident)
    assert meeting.cancelled_at is None and meeting.answer == MeetingAnswer.PENDING
    page = log_in_client(Client(), resident_identity(resident)).get(
        f"/digitalt-vardbesok/besok/{meeting.visit.case.pk}/videomote/"
    )
    assert page.status_code == 200 and "Bekräfta tiden" in page.content.decode()
