"""The demo's lab directory: fictional labs in several towns (labs.content.DEMO_LABS), added through do_add_lab."""

from __future__ import annotations

from typing import Any

from vardnav.core.actor import Actor
from vardnav.labs.actions import do_add_lab
from vardnav.labs.content import DEMO_LABS
from vardnav.labs.models import Lab


def load_demo_labs(actor: Actor, report: Any) -> None:
    have = set(Lab.objects.values_list("code", flat=True))
    for spec in DEMO_LABS:
        if spec["code"] in have:
            continue
        do_add_lab(actor, **dict(spec))
        report.add("provtagningsställen")
