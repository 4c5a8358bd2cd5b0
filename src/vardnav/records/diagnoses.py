"""ICD-10-SE diagnosis codes: the list a record note's codes are checked against.

Why a shipped file: a diagnosis in the record must be a code of the national
classification, not free text, and the check must work offline and the same on
every machine. The file (data/icd10se-subset.csv) names its source; it is a
labelled subset until the official list replaces it (same columns).
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from vardnav.records.errors import RecordError

CODE_LIST = Path(__file__).resolve().parent / "data" / "icd10se-subset.csv"
MAX_DIAGNOSES = 10
_SEPARATORS = re.compile(r"[\s,;]+")
# A letter, two digits, then optionally a dot and one or two more characters (ICD-10-SE's fifth is a letter).
_SHAPE = re.compile(r"^([A-Z]\d{2})\.?([0-9A-Z]{1,2})?$")


@cache
def code_titles() -> dict[str, str]:
    """Every code the project accepts, with its Swedish title; read once per process."""
    with CODE_LIST.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["code"].strip(): row["title"].strip() for row in rows}


def normalise_code(raw: str) -> str:
    """'j069' and 'J06.9' both become 'J06.9'; anything that is not code-shaped comes back upper-cased."""
    text = raw.strip().upper()
    match = _SHAPE.match(text)
    if match is None:
        return text
    head, tail = match.groups()
    return f"{head}.{tail}" if tail else head


def check_diagnosis_codes(raw: str | list[str] | None, *, field: str = "diagnosis_codes") -> list[str]:
    """The codes as a list of known ICD-10-SE codes, each once, in the order given; a Swedish refusal otherwise."""
    items = _SEPARATORS.split(raw) if isinstance(raw, str) else list(raw or [])
    known = code_titles()
    codes: list[str] = []
    for item in items:
        if not str(item).strip():
            continue
        code = normalise_code(str(item))
        if code not in known:
            raise RecordError.UNKNOWN_DIAGNOSIS_CODE.error(field=field, diagnosis=code[:12])
        if code not in codes:
            codes.append(code)
    if len(codes) > MAX_DIAGNOSES:
        raise RecordError.TOO_MANY_DIAGNOSES.error(field=field, limit=MAX_DIAGNOSES)
    return codes


def diagnosis_label(code: str) -> str:
    """'J06.9 Akut övre luftvägsinfektion, ospecificerad' (the code alone if the list no longer has it)."""
    title = code_titles().get(code)
    return f"{code} {title}" if title else code
