"""HSA-ids and activating a unit's e-services (ORG-1)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.personas import actor_for
from vardnav.audit.models import AuditEntry
from vardnav.core.actor import Actor
from vardnav.core.clock import STOCKHOLM
from vardnav.core.errors import DomainError, PermissionDenied
from vardnav.organizations.actions.providers import do_create_provider
from vardnav.organizations.actions.units import do_activate_eservices, do_create_unit, do_deactivate_eservices
from vardnav.organizations.checks import check_hsa_id
from vardnav.organizations.models import CareProvider, Unit

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system()


@pytest.fixture
def bare_provider():
    return do_create_provider(SYSTEM, name="Region Testsund", slug="region-testsund")


def _create_unit(provider, hsa_id, slug="vc-test"):
    return do_create_unit(
        SYSTEM, provider=provider, name="Vårdcentralen Test", slug=slug, hsa_id=hsa_id, kind="primary_care"
    )


@pytest.mark.parametrize(
    "value",
    ["SE2321000016-15CQ", "  SE2321000016-15CQ ", "se2321000016-15CQ", "SE2321000016-" + "A" * 18],
)
def test_it_accepts_and_normalises_a_valid_hsa_id(value):
    assert check_hsa_id(value) == value.strip().replace("se", "SE", 1)


@pytest.mark.parametrize(
    "value",
    [
        "SE2321000016-" + "A" * 19,  # 32 characters, one too many
        "SE2321000016-15CÅ",  # å, ä, ö are not allowed
        "SE2321000016-15C@",  # nor is @
        "SE232100001615CQ",  # the dash is missing
        "SE232100001-15CQ",  # nine digits
        "DK2321000016-15CQ",
        "SE2321000016-",
        "",
    ],
)
def test_it_refuses_an_invalid_hsa_id_naming_the_field_in_swedish(value):
    with pytest.raises(DomainError) as error:
        check_hsa_id(value)
    assert error.value.field == "hsa_id"
    assert "Ogiltigt HSA-id" in str(error.value.message)


def test_it_refuses_to_create_a_unit_with_an_invalid_hsa_id_and_saves_nothing(bare_provider):
    audit_before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as error:
        _create_unit(bare_provider, "SE2321000016_15CQ")
    assert error.value.field == "hsa_id"
    assert error.value.as_problem()["errors"]["hsa_id"]
    assert not Unit.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_created_unit_stores_the_normalised_hsa_id_and_is_audited(bare_provider):
    unit = _create_unit(bare_provider, " se2321000016-15CQ ")
    assert unit.hsa_id == "SE2321000016-15CQ"
    assert AuditEntry.objects.filter(action="unit.create", object_id=str(unit.pk)).count() == 1


def test_it_refuses_a_second_unit_with_the_same_hsa_id(bare_provider):
    _create_unit(bare_provider, "SE2321000016-15CQ")
    with pytest.raises(DomainError) as error:
        _create_unit(bare_provider, "SE2321000016-15CQ", slug="vc-annan")
    assert error.value.field == "hsa_id"
    assert Unit.objects.count() == 1


@pytest.mark.rule("ORG-1")
def test_activation_records_when_e_services_were_switched_on(bare_provider, time_machine):
    moment = dt.datetime(2026, 11, 22, 9, 30, tzinfo=STOCKHOLM)
    time_machine.move_to(moment, tick=False)
    unit = _create_unit(bare_provider, "SE2321000016-15CQ")
    assert not unit.eservices_active

    do_activate_eservices(SYSTEM, unit)

    unit.refresh_from_db()
    assert unit.eservices_active
    assert unit.eservices_activated_at == moment
    assert AuditEntry.objects.filter(action="unit.eservices_activate", object_id=str(unit.pk)).count() == 1


@pytest.mark.rule("ORG-1")
def test_it_refuses_to_activate_a_unit_whose_hsa_id_is_not_valid(bare_provider):
    unit = _create_unit(bare_provider, "SE2321000016-15CQ")
    # A row from before validation existed: written straight to the database on purpose.
    Unit.objects.filter(pk=unit.pk).update(hsa_id="SE23210000-1@")
    unit.refresh_from_db()

    with pytest.raises(DomainError) as error:
        do_activate_eservices(SYSTEM, unit)

    assert error.value.field == "hsa_id"
    unit.refresh_from_db()
    assert not unit.eservices_active
    assert unit.eservices_activated_at is None


@pytest.mark.rule("ORG-1")
def test_connecting_a_unit_costs_nothing_there_is_no_fee_field_on_the_way():
    """Connecting and using the e-services is free: nothing to pay is modelled for a unit or its provider."""
    cost_words = ("cost", "fee", "price", "charge", "invoice", "billing", "avgift", "kostnad", "pris")
    for model in (CareProvider, Unit):
        names = [f.name.lower() for f in model._meta.get_fields()]
        assert not [n for n in names if any(w in n for w in cost_words)], model
    parameters = do_activate_eservices.__code__.co_varnames[: do_activate_eservices.__code__.co_argcount]
    assert parameters == ("actor", "unit")


def test_deactivating_keeps_the_page_but_turns_e_services_off(bare_provider):
    unit = _create_unit(bare_provider, "SE2321000016-15CQ")
    do_activate_eservices(SYSTEM, unit)
    do_deactivate_eservices(SYSTEM, unit)
    unit.refresh_from_db()
    assert not unit.eservices_active
    assert AuditEntry.objects.filter(action="unit.eservices_deactivate").count() == 1


def test_a_handler_cannot_activate_e_services(unit_x, handler_x):
    do_deactivate_eservices(Actor.system(), unit_x)
    with pytest.raises(PermissionDenied):
        do_activate_eservices(actor_for(handler_x, unit=unit_x, role="handler"), unit_x)
    unit_x.refresh_from_db()
    assert not unit_x.eservices_active


def test_the_unit_admin_can_activate_e_services_at_their_unit(unit_x, unit_admin_x):
    do_deactivate_eservices(Actor.system(), unit_x)
    do_activate_eservices(actor_for(unit_admin_x, unit=unit_x, role="unit_admin"), unit_x)
    unit_x.refresh_from_db()
    assert unit_x.eservices_active
