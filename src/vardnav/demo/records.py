"""The demo's national-sharing policies (REC-3) and its log reviewer (HSLF-FS 2016:40).

Kliniknu has the three periods a private digital provider can have: its
contacts were shared by its principal (the region) while it was a subcontractor,
then not shared at all, and shared from the day it joined the national summary.
The regions share everything from their start. Idempotent: a provider that has
periods keeps them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vardnav.core.actor import Actor
from vardnav.demo import data
from vardnav.organizations.actions.roles import do_grant_role
from vardnav.organizations.models import CareProvider, Role, RoleGrant, Staff, Unit
from vardnav.records.actions import do_add_insurer, do_set_sharing_period
from vardnav.records.insurance import SWEDISH_HEALTH_INSURERS
from vardnav.records.models import Insurer, NationalSharingPeriod

# provider slug → (first day, last day or None, mode, principal)
DEMO_SHARING: dict[str, list[tuple[dt.date, dt.date | None, str, str]]] = {
    "region-norrsund": [(dt.date(2014, 1, 1), None, "shared", "")],
    "region-vastera": [(dt.date(2015, 3, 1), None, "shared", "")],
    "kliniknu": [
        (dt.date(2013, 6, 1), dt.date(2019, 8, 1), "principal", "Region Norrsund"),
        (dt.date(2019, 8, 2), dt.date(2022, 11, 21), "not_shared", ""),
        (dt.date(2022, 11, 22), None, "shared", ""),
    ],
}


def load_demo_sharing(actor: Actor, report: Any) -> None:
    for slug, periods in DEMO_SHARING.items():
        provider = CareProvider.objects.filter(slug=slug).first()
        if provider is None or NationalSharingPeriod.objects.filter(provider=provider).exists():
            continue
        for starts_on, ends_on, mode, principal in periods:
            do_set_sharing_period(
                actor, provider=provider, starts_on=starts_on, ends_on=ends_on, mode=mode, principal_name=principal
            )
            report.add("delningsperioder")


def load_demo_log_reviewer(actor: Actor, report: Any) -> None:
    """The head of Vårdcentralen Norrsund centrum is also Region Norrsund's log reviewer (granskare)."""
    staff = Staff.objects.filter(hsa_id=data.UNIT_ADMIN_X_HSA).first()
    unit = Unit.objects.filter(slug=data.UNIT_X_SLUG).first()
    if staff is None or unit is None or RoleGrant.objects.filter(staff=staff, role=Role.LOG_REVIEWER).exists():
        return
    do_grant_role(actor, staff=staff, unit=unit, role=Role.LOG_REVIEWER)
    report.add("granskare")


def load_demo_insurers(actor: Actor, report: Any) -> None:
    """The insurers residents choose from in an insurance e-service (REC-9); a demo reset empties the table."""
    for code, name in SWEDISH_HEALTH_INSURERS:
        if not Insurer.objects.filter(code=code).exists():
            do_add_insurer(actor, code=code, name=name)
            report.add("försäkringsbolag")
