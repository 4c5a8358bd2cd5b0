"""The demo's national-sharing policies (REC-3): each provider's periods, as the seeds describe providers.

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
from vardnav.organizations.models import CareProvider
from vardnav.records.actions import do_set_sharing_period
from vardnav.records.models import NationalSharingPeriod

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
