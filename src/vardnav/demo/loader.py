"""Turn demo.data into rows, through the actions only.

Why idempotent: `make run` loads the demo on every start, and a second run must
create nothing twice. Each row is found by its natural key (slug, HSA-id,
username, personal number) and created only when missing; rows that exist are
left as they are, so changes made while trying the demo survive a restart.
Residents are refreshed from the population register every time, which is
itself idempotent.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from vardnav.catalog.actions import do_create_service, do_offer_service, do_publish_questionnaire, do_save_questionnaire
from vardnav.catalog.models import Service, UnitService
from vardnav.core.actor import Actor
from vardnav.core.env import env_optional
from vardnav.demo import data
from vardnav.demo.billing import load_demo_billing, load_demo_ceiling
from vardnav.demo.bookings import load_demo_bookings
from vardnav.demo.complaints import load_demo_complaints
from vardnav.demo.labs import load_demo_labs
from vardnav.demo.quality import load_demo_peer_reviewer
from vardnav.demo.records import load_demo_insurers, load_demo_log_reviewer, load_demo_sharing
from vardnav.demo.services import DEMO_SERVICES
from vardnav.demo.vaccinations import load_demo_vaccinations
from vardnav.demo.visits import load_demo_visits
from vardnav.help.content import load_articles as load_help_articles
from vardnav.organizations.actions.listings import do_list_person
from vardnav.organizations.actions.providers import do_create_provider
from vardnav.organizations.actions.roles import do_grant_role
from vardnav.organizations.actions.staff import do_create_platform_admin, do_create_provider_admin, do_create_staff
from vardnav.organizations.actions.units import do_activate_eservices, do_create_unit, do_set_other_information
from vardnav.organizations.models import CareProvider, Listing, RoleGrant, ServiceOffering, Staff, Unit
from vardnav.people.actions import do_sync_person_from_register
from vardnav.people.models import Person


@dataclass
class LoadReport:
    """What one run created, by kind, so the command can say so and tests can count it."""

    created: Counter = field(default_factory=Counter)

    def add(self, kind: str, n: int = 1) -> None:
        if n:
            self.created[kind] += n

    def __str__(self) -> str:
        if not self.created:
            return "Demodata fanns redan; inget nytt skapades."
        return "Skapade: " + ", ".join(f"{kind} {n}" for kind, n in sorted(self.created.items()))


def load_demo() -> LoadReport:
    """Load everything or nothing: an interrupted run leaves no half-built provider behind."""
    report = LoadReport()
    actor = Actor.system()
    with transaction.atomic():
        for provider_data in data.PROVIDERS:
            provider = _provider(actor, provider_data, report)
            _provider_admin(actor, provider, provider_data["admin"], report)
            services = _services(actor, provider, report)
            for unit_data in provider_data["units"]:
                unit = _unit(actor, provider, unit_data, report)
                _unit_staff(actor, provider, unit, unit_data, report)
                _unit_services(actor, unit, services, unit_data, report)
        _platform_admin(actor, report)
        _residents(actor, report)
        load_demo_bookings(actor, report)
        load_demo_billing(actor, report)
        load_demo_ceiling(report)
        load_demo_visits(actor, report)
        load_demo_sharing(actor, report)
        load_demo_log_reviewer(actor, report)
        load_demo_peer_reviewer(actor, report)
        load_demo_insurers(actor, report)
        load_demo_vaccinations(report)
        load_demo_complaints(actor, report)
        load_demo_labs(actor, report)
        load_help_articles()  # product content from help's migration: back after a demo reset empties the tables
    return report


def _provider(actor: Actor, spec: dict, report: LoadReport) -> CareProvider:
    provider = CareProvider.objects.filter(slug=spec["slug"]).first()
    if provider is not None:
        return provider
    report.add("vårdgivare")
    return do_create_provider(
        actor,
        name=spec["name"],
        slug=spec["slug"],
        service_offering=spec["service_offering"],
        organization_number=spec["organization_number"],
        support_email=spec["support_email"],
    )


def _provider_admin(actor: Actor, provider: CareProvider, spec: dict, report: LoadReport) -> None:
    if Staff.objects.filter(hsa_id=spec["hsa_id"]).exists():
        return
    report.add("vårdgivaradministratörer")
    do_create_provider_admin(
        actor,
        provider=provider,
        hsa_id=spec["hsa_id"],
        given_name=spec["given_name"],
        surname=spec["surname"],
        profession=spec["profession"],
        username=spec["username"],
        email=spec["email"],
    )


def _unit(actor: Actor, provider: CareProvider, spec: dict, report: LoadReport) -> Unit:
    unit = Unit.objects.filter(slug=spec["slug"]).first()
    if unit is not None:
        return unit
    report.add("mottagningar")
    unit = do_create_unit(
        actor,
        provider=provider,
        name=spec["name"],
        slug=spec["slug"],
        hsa_id=spec["hsa_id"],
        kind=spec["kind"],
        street_address=spec["street_address"],
        postal_code=spec["postal_code"],
        city=spec["city"],
        phone=spec["phone"],
        opening_hours=spec["opening_hours"],
    )
    if spec["other_information_html"]:
        do_set_other_information(actor, unit, spec["other_information_html"])
    if spec["eservices_active"]:
        do_activate_eservices(actor, unit)
    return unit


def _unit_staff(actor: Actor, provider: CareProvider, unit: Unit, spec: dict, report: LoadReport) -> None:
    template = spec.get("staff_template", data.REGION_UNIT_STAFF)
    prefix = spec["hsa_id"].split("-", 1)[0]
    existing = {s.hsa_id: s for s in Staff.objects.filter(hsa_id__startswith=f"{prefix}-{spec['code']}")}
    held = set(RoleGrant.objects.filter(unit=unit).values_list("staff_id", "role"))
    for row, ((given_name, surname), (profession, roles)) in enumerate(zip(spec["staff"], template, strict=True)):
        hsa_id = f"{prefix}-{spec['code']}{row:02d}"
        staff = existing.get(hsa_id)
        if staff is None:
            report.add("medarbetare")
            staff = do_create_staff(
                actor,
                provider=provider,
                hsa_id=hsa_id,
                given_name=given_name,
                surname=surname,
                profession=profession,
            )
        for role in roles:
            if (staff.pk, role) not in held:
                report.add("behörigheter")
                do_grant_role(actor, staff=staff, unit=unit, role=role)


def _services(actor: Actor, provider: CareProvider, report: LoadReport) -> dict[str, Service]:
    """Every e-service of the seeds with its Swedish questionnaire, published (ORG-3)."""
    existing = {s.kind: s for s in Service.objects.filter(provider=provider)}
    for kind, content in DEMO_SERVICES.items():
        if kind in existing:
            continue
        report.add("e-tjänster")
        settings = dict(content["settings"])
        if provider.slug in data.PROVIDERS_WITHOUT_LISTING:
            settings["listing_bound"] = False  # ORG-7: a digital provider takes everyone
        service = do_create_service(actor, provider, kind=kind, **settings)
        draft = do_save_questionnaire(actor, service, title=service.name, items=content["items"])
        do_publish_questionnaire(actor, draft)
        existing[kind] = service
    return existing


def _unit_services(actor: Actor, unit: Unit, services: dict[str, Service], spec: dict, report: LoadReport) -> None:
    """ORG-2: where each unit chooses (per_unit), the demo unit offers the kinds its spec lists."""
    if unit.provider.service_offering != ServiceOffering.PER_UNIT:
        return
    offered = set(UnitService.objects.filter(unit=unit).values_list("service__kind", flat=True))
    for kind in data.UNIT_SERVICES.get(spec["slug"], []):
        if kind not in offered:
            report.add("erbjudna e-tjänster")
            do_offer_service(actor, unit, services[kind], attachments_allowed=kind in data.ATTACHMENT_SERVICES)


def _platform_admin(actor: Actor, report: LoadReport) -> None:
    if get_user_model().objects.filter(username=data.PLATFORM_ADMIN_USERNAME).exists():
        return
    report.add("plattformsadministratörer")
    do_create_platform_admin(
        actor,
        username=data.PLATFORM_ADMIN_USERNAME,
        # Without the variable the account has no usable password: nobody can
        # log in with a default that ended up in a repository.
        password=env_optional(data.PLATFORM_ADMIN_PASSWORD_ENV),
    )


def _residents(actor: Actor, report: LoadReport) -> None:
    before = Person.objects.count()
    people = {number: do_sync_person_from_register(number) for number in data.REGISTER_NUMBERS}
    report.add("personer", Person.objects.count() - before)
    units = {u.slug: u for u in Unit.objects.filter(slug__in=set(data.LISTINGS.values()))}
    listed = set(
        Listing.objects.filter(person__in=people.values(), ended_at__isnull=True).values_list("person_id", flat=True)
    )
    for number, slug in data.LISTINGS.items():
        person = people[number]
        # Someone who has listed elsewhere while trying the demo stays there.
        if person.pk in listed:
            continue
        report.add("listningar")
        do_list_person(actor, person, units[slug])
