"""Helpers for the people app's tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEMO_REGISTER = Path(__file__).resolve().parent.parent / "data" / "population_register.json"


def demo_document() -> dict[str, Any]:
    """A fresh copy of the demo register's document, to change for one test."""
    return json.loads(DEMO_REGISTER.read_text(encoding="utf-8"))


def set_protection(document: dict[str, Any], number: str, protection: str) -> dict[str, Any]:
    for person in document["persons"]:
        if person["personal_number"] == number:
            person["protection"] = protection
            if protection == "skyddad_folkbokforing":
                person["address"] = None
                person["forwarding_address"] = {"street": "Box 1000", "postal_code": "100 10", "city": "Stockholm"}
    return document
