"""HSA-id validation.

Format (Inera): "SE" + the catalogue owner's 10-digit organisation number + "-" +
one or more of A-Z, a-z, 0-9; at most 31 characters; å, ä, ö and @ are not allowed.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

HSA_ID_RE = re.compile(r"^SE\d{10}-[A-Za-z0-9]+$")
HSA_ID_MAX_LENGTH = 31


def is_valid_hsa_id(value: str) -> bool:
    return len(value) <= HSA_ID_MAX_LENGTH and bool(HSA_ID_RE.match(value))


def normalize_hsa_id(value: str) -> str:
    """Trim and upper-case the country prefix; the rest is kept as given."""
    value = value.strip()
    if value[:2].lower() == "se":
        value = "SE" + value[2:]
    return value


def validate_hsa_id(value: str) -> None:
    if not is_valid_hsa_id(value):
        raise ValidationError(
            "Ogiltigt HSA-id. Det ska se ut som SE2321000016-15CQ: SE, tio siffror, bindestreck "
            "och bokstäver eller siffror (högst 31 tecken).",
            code="invalid_hsa_id",
        )
