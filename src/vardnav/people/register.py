"""The population register (folkbokföringen, Navet) as Vårdnav sees it.

Why an adapter: names, guardianships (ID-4) and protected identity (PRIV-1) must
come from the register, never from what a user typed. Production plugs in a
client for Skatteverket's Navet or Inera's PU-tjänsten behind the same
interface; the demo and the tests use LocalPopulationRegister, a JSON file of
Skatteverket test numbers. The backend is chosen by the dotted path in
settings.POPULATION_REGISTER_BACKEND.

Personal numbers cross this interface as twelve digits (core.personal_number).
"""

from __future__ import annotations

import abc
import json
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from vardnav.core.errors import DomainError
from vardnav.core.personal_number import parse_personal_number


class Protection(StrEnum):
    NONE = "none"
    # A warning flag: the data stays in the register but needs a secrecy review.
    SEKRETESSMARKERING = "sekretessmarkering"
    # The real address is not in the register; Skatteverket forwards mail.
    SKYDDAD_FOLKBOKFORING = "skyddad_folkbokforing"


@dataclass(frozen=True)
class PostalAddress:
    street: str
    postal_code: str
    city: str
    care_of: str = ""

    def lines(self) -> list[str]:
        care_of = [f"c/o {self.care_of}"] if self.care_of else []
        return [*care_of, self.street, f"{self.postal_code} {self.city}"]


@dataclass(frozen=True)
class RegisterRecord:
    personal_number: str
    given_name: str
    surname: str
    protection: Protection = Protection.NONE
    address: PostalAddress | None = None
    # Skatteverket's förmedlingsadress: where letters to a protected person go (PRIV-4).
    forwarding_address: PostalAddress | None = None
    deceased: bool = False

    @property
    def is_protected(self) -> bool:
        """Both kinds of skyddade personuppgifter count as protected identity (PRIV-1)."""
        return self.protection != Protection.NONE

    @property
    def mailing_address(self) -> PostalAddress | None:
        """Where a letter may be sent: only ever the forwarding address for a protected person."""
        if self.is_protected:
            return self.forwarding_address
        return self.address


class PopulationRegister(abc.ABC):
    @abc.abstractmethod
    def lookup(self, personal_number: str) -> RegisterRecord | None:
        """The register's record for a twelve-digit number, or None if it holds none."""

    @abc.abstractmethod
    def guardians_of(self, personal_number: str) -> list[str]:
        """Twelve-digit numbers of the child's guardians (vårdnadshavare)."""

    @abc.abstractmethod
    def children_of(self, personal_number: str) -> list[str]:
        """Twelve-digit numbers of the children the person is guardian of."""


@dataclass(frozen=True)
class _RegisterData:
    records: dict[str, RegisterRecord]
    guardians: dict[str, tuple[str, ...]]
    children: dict[str, tuple[str, ...]]


def _malformed(path: Path, reason: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"POPULATION_REGISTER_FILE {path} is malformed: {reason}")


def _address(raw: Any, path: Path, where: str) -> PostalAddress | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in ("street", "postal_code", "city")):
        raise _malformed(path, f"{where} needs street, postal_code and city")
    return PostalAddress(
        street=raw["street"], postal_code=raw["postal_code"], city=raw["city"], care_of=raw.get("care_of", "")
    )


def _number(raw: Any, path: Path, where: str) -> str:
    try:
        return parse_personal_number(raw).digits12
    except DomainError:
        raise _malformed(path, f"{where} is not a valid personal number") from None


@lru_cache(maxsize=4)
def _load(path: Path) -> _RegisterData:
    """Read and validate the file once per process; a bad file stops start-up loudly."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImproperlyConfigured(f"POPULATION_REGISTER_FILE {path} does not exist") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _malformed(path, str(exc)) from None
    if not isinstance(document, dict) or not isinstance(document.get("persons"), list):
        raise _malformed(path, "expected an object with a list of persons")

    records: dict[str, RegisterRecord] = {}
    for position, raw in enumerate(document["persons"]):
        where = f"persons[{position}]"
        if not isinstance(raw, dict):
            raise _malformed(path, f"{where} is not an object")
        number = _number(raw.get("personal_number"), path, f"{where}.personal_number")
        if number in records:
            raise _malformed(path, f"{where} repeats a personal number")
        try:
            protection = Protection(raw.get("protection", "none"))
        except ValueError:
            raise _malformed(path, f"{where}.protection must be one of {[p.value for p in Protection]}") from None
        names = (raw.get("given_name", ""), raw.get("surname", ""))
        if not all(isinstance(name, str) for name in names):
            raise _malformed(path, f"{where} has a name that is not text")
        record = RegisterRecord(
            personal_number=number,
            given_name=names[0],
            surname=names[1],
            protection=protection,
            address=_address(raw.get("address"), path, f"{where}.address"),
            forwarding_address=_address(raw.get("forwarding_address"), path, f"{where}.forwarding_address"),
            deceased=bool(raw.get("deceased", False)),
        )
        if record.protection == Protection.SKYDDAD_FOLKBOKFORING and (record.address or not record.forwarding_address):
            raise _malformed(path, f"{where}: skyddad folkbokföring has a forwarding address and no real address")
        records[number] = record

    guardians: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    for position, raw in enumerate(document.get("guardianships", [])):
        where = f"guardianships[{position}]"
        if not isinstance(raw, dict):
            raise _malformed(path, f"{where} is not an object")
        guardian = _number(raw.get("guardian"), path, f"{where}.guardian")
        child = _number(raw.get("child"), path, f"{where}.child")
        if guardian not in records or child not in records:
            raise _malformed(path, f"{where} names a person the file does not hold")
        guardians.setdefault(child, []).append(guardian)
        children.setdefault(guardian, []).append(child)

    return _RegisterData(
        records=records,
        guardians={k: tuple(sorted(v)) for k, v in guardians.items()},
        children={k: tuple(sorted(v)) for k, v in children.items()},
    )


class LocalPopulationRegister(PopulationRegister):
    """The register read from a JSON file (settings.POPULATION_REGISTER_FILE).

    Format: {"persons": [{"personal_number", "given_name", "surname",
    "protection", "address": {"street", "postal_code", "city"} | null,
    "forwarding_address": {...} | null, "deceased"}],
    "guardianships": [{"guardian": pnr, "child": pnr}]}.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path if path is not None else settings.POPULATION_REGISTER_FILE)

    @property
    def _data(self) -> _RegisterData:
        return _load(self.path)

    def lookup(self, personal_number: str) -> RegisterRecord | None:
        return self._data.records.get(personal_number)

    def guardians_of(self, personal_number: str) -> list[str]:
        return list(self._data.guardians.get(personal_number, ()))

    def children_of(self, personal_number: str) -> list[str]:
        return list(self._data.children.get(personal_number, ()))


def get_population_register() -> PopulationRegister:
    dotted = settings.POPULATION_REGISTER_BACKEND
    try:
        backend = import_string(dotted)
    except ImportError as exc:
        raise ImproperlyConfigured(f"POPULATION_REGISTER_BACKEND {dotted!r} cannot be imported: {exc}") from None
    if not (isinstance(backend, type) and issubclass(backend, PopulationRegister)):
        raise ImproperlyConfigured(f"POPULATION_REGISTER_BACKEND {dotted!r} is not a PopulationRegister")
    return backend()
