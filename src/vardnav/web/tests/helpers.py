"""Test data for the web app's tests: care providers and units made with the ORM.

Why the ORM and not actions: organizations has no create actions for providers
and units yet; these rows need no audit trail.
"""

from __future__ import annotations

from vardnav.organizations.models import CareProvider, Unit, UnitKind


def make_provider(name: str, slug: str) -> CareProvider:
    return CareProvider.objects.create(name=name, slug=slug)


def make_unit(provider: CareProvider, name: str, slug: str, hsa_suffix: str, **fields) -> Unit:
    defaults = {"kind": UnitKind.PRIMARY_CARE, "city": "Gävle", "eservices_active": True}
    defaults.update(fields)
    return Unit.objects.create(provider=provider, name=name, slug=slug, hsa_id=f"SE2321000016-{hsa_suffix}", **defaults)
