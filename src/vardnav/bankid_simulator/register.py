"""Names for the simulator's completionData, read from the demo population register.

Why a plain JSON read and not people.register: the simulator stands in for
BankID, which knows names from the bank, not from our database; it must run
without Django. Numbers the register lacks get a generic test name.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

GENERIC_NAME = ("Test", "Testsson")


@dataclass(frozen=True)
class Identity:
    personal_number: str
    given_name: str
    surname: str

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.surname}"


class Names:
    def __init__(self, register_file: Path | None) -> None:
        self.identities = _load(register_file)
        self._by_number = {identity.personal_number: identity for identity in self.identities}

    def __call__(self, personal_number: str) -> tuple[str, str]:
        identity = self._by_number.get(personal_number)
        return (identity.given_name, identity.surname) if identity else GENERIC_NAME


def _load(register_file: Path | None) -> list[Identity]:
    if register_file is None or not Path(register_file).is_file():
        return []
    try:
        data = json.loads(Path(register_file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        logger.warning("population register unreadable for the BankID simulator", extra={"error": str(exc)})
        return []
    persons = data.get("persons", []) if isinstance(data, dict) else data
    identities = []
    for person in persons if isinstance(persons, list) else []:
        try:
            identities.append(
                Identity(str(person["personal_number"]), str(person["given_name"]), str(person["surname"]))
            )
        except (KeyError, TypeError):
            continue
    return identities
