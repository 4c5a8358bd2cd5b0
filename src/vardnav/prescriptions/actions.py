"""State changes of the prescriptions domain: the drug register, renewal policies, prescriptions.

Each do_* runs in one transaction with its audit entry. Register loads are
idempotent (keyed by NPL-id) so the demo loader and the nightly import can run
any number of times.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from vardnav.audit.actions import do_record
from vardnav.audit.events import AuditEvent
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.organizations.access import require_provider_admin
from vardnav.organizations.models import CareProvider, Staff, Unit
from vardnav.people.models import Person
from vardnav.prescriptions.errors import PrescriptionError
from vardnav.prescriptions.gateway import get_gateway
from vardnav.prescriptions.models import (
    NarcoticClass,
    NarcoticsPolicy,
    Prescription,
    Product,
    ProductSource,
    RenewalPolicy,
)
from vardnav.prescriptions.register import classify, normalise, search_text

CURATED_FILE = Path(__file__).resolve().parent / "data" / "products.csv"
PRODUCT_COLUMNS = ("npl_id", "name", "strength", "form", "substances", "atc_code", "narcotic_class", "manufacturer")
# RX-6: a renewal covers at most 3 months, contraceptives at most 1 year.
MAX_RENEWAL_DAYS = 92
MAX_CONTRACEPTIVE_DAYS = 366


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"nya {self.created}, ändrade {self.updated}, oförändrade {self.unchanged}"
        if self.retired:
            text += f", avregistrerade {self.retired}"
        return text


def _product_fields(row: dict[str, Any], source: str) -> dict[str, Any]:
    name = " ".join(str(row.get("name", "")).split())[:200]
    npl_id = str(row.get("npl_id", "")).strip()[:100]
    if not name or not npl_id:
        raise ValueError("a product needs an NPL-id and a name")
    narcotic = str(row.get("narcotic_class", "") or "").strip().upper()
    if narcotic not in NarcoticClass.values:
        raise ValueError(f"{npl_id}: unknown narcotic class {narcotic!r}")
    strength = " ".join(str(row.get("strength", "")).split())[:120]
    form = " ".join(str(row.get("form", "")).split())[:120]
    substances = " ".join(str(row.get("substances", "")).split())[:400]
    atc = str(row.get("atc_code", "")).strip().upper()[:8]
    flags = classify(atc, narcotic)
    return {
        "npl_id": npl_id,
        "name": name,
        "strength": strength,
        "form": form,
        "substances": substances,
        "atc_code": atc,
        "narcotic_class": narcotic,
        "manufacturer": " ".join(str(row.get("manufacturer", "")).split())[:200],
        "is_antibiotic": flags.antibiotic,
        "is_addictive": flags.addictive,
        "is_contraceptive": flags.contraceptive,
        "source": source,
        "is_active": bool(row.get("is_active", True)),
        "search_name": search_text(name, strength, form, substances),
        "name_key": normalise(name)[:200],
    }


def do_load_products(actor: Actor, rows: Iterable[dict[str, Any]], *, source: str) -> LoadResult:
    """Insert new products and update changed ones by NPL-id; the same file twice changes nothing."""
    result = LoadResult()
    prepared: dict[str, dict[str, Any]] = {}
    for number, row in enumerate(rows, start=1):
        try:
            values = _product_fields(row, source)
        except ValueError as exc:
            result.errors.append(f"rad {number}: {exc}")
            continue
        prepared[values["npl_id"]] = values
    with transaction.atomic():
        existing = Product.objects.in_bulk(list(prepared), field_name="npl_id")
        new, changed = [], []
        for npl_id, values in prepared.items():
            product = existing.get(npl_id)
            if product is None:
                new.append(Product(**values))
                continue
            if all(getattr(product, key) == value for key, value in values.items()):
                result.unchanged += 1
                continue
            for key, value in values.items():
                setattr(product, key, value)
            changed.append(product)
        Product.objects.bulk_create(new, batch_size=500)
        if changed:
            Product.objects.bulk_update(changed, [c for c in prepared[changed[0].npl_id] if c != "npl_id"], 500)
        result.created, result.updated = len(new), len(changed)
        if new or changed:
            do_record(actor, AuditEvent.DRUG_REGISTER_LOAD, object_type=Product._meta.label_lower, object_id=source)
    return result


def read_curated_rows(path: Path = CURATED_FILE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def do_load_curated_register(actor: Actor | None = None) -> LoadResult:
    """The curated demo register (prescriptions/data/products.csv), see docs/decisions/0007."""
    return do_load_products(actor or Actor.system(), read_curated_rows(), source=ProductSource.CURATED)


def do_retire_curated_products(actor: Actor) -> int:
    """After a full NPL import the curated demo rows stop being offered (prescriptions keep pointing at them)."""
    with transaction.atomic():
        retired = Product.objects.filter(source=ProductSource.CURATED, is_active=True).update(is_active=False)
        if retired:
            do_record(
                actor,
                AuditEvent.DRUG_REGISTER_RETIRE_CURATED,
                object_type=Product._meta.label_lower,
                object_id=ProductSource.CURATED,
            )
    return retired


# --- renewal policy (RX-5) -------------------------------------------------------------


def get_renewal_policy(provider_id: int) -> RenewalPolicy:
    """The provider's policy, or the defaults (unsaved) when it has never set one."""
    policy = RenewalPolicy.objects.filter(provider_id=provider_id).first()
    return policy or RenewalPolicy(provider_id=provider_id, updated_at=clock.now())


def do_set_renewal_policy(actor: Actor, provider: CareProvider, *, narcotics: str) -> RenewalPolicy:
    require_provider_admin(actor, provider.pk)
    if narcotics not in NarcoticsPolicy.values:
        raise PrescriptionError.INVALID_POLICY.error(field="narcotics")
    with transaction.atomic():
        policy, _ = RenewalPolicy.objects.update_or_create(
            provider=provider, defaults={"narcotics": narcotics, "updated_at": clock.now()}
        )
        do_record(actor, AuditEvent.RENEWAL_POLICY_SET, policy)
    return policy


# --- prescriptions (RX-6) --------------------------------------------------------------------


def check_duration(days: Any, *, contraceptive: bool) -> int:
    """RX-6: at most 92 days (3 months), contraceptives at most 366 days (1 year)."""
    try:
        value = int(days)
    except (TypeError, ValueError):
        raise PrescriptionError.INVALID_DURATION.error(field="duration_days") from None
    limit = MAX_CONTRACEPTIVE_DAYS if contraceptive else MAX_RENEWAL_DAYS
    if value < 1:
        raise PrescriptionError.INVALID_DURATION.error(field="duration_days")
    if value > limit:
        code = (
            PrescriptionError.CONTRACEPTIVE_DURATION_TOO_LONG if contraceptive else PrescriptionError.DURATION_TOO_LONG
        )
        raise code.error(field="duration_days", limit=limit)
    return value


def do_record_prescription(
    actor: Actor,
    *,
    person: Person,
    product: Product,
    prescriber: Staff,
    unit: Unit,
    dosage: str,
    amount: str,
    duration_days: int | str | None,
    source_case: Any = None,
    prescribed_at: dt.datetime | None = None,
) -> Prescription:
    """Record a prescription and send it to the e-prescription service, in one transaction."""
    duration = check_duration(duration_days, contraceptive=product.is_contraceptive)
    with transaction.atomic():
        prescription = Prescription.objects.create(
            person=person,
            product=product,
            dosage=" ".join(str(dosage).split())[:500],
            amount=" ".join(str(amount).split())[:120],
            duration_days=duration,
            prescriber=prescriber,
            prescriber_hsa_id=prescriber.hsa_id,
            provider_id=unit.provider_id,
            unit=unit,
            prescribed_at=prescribed_at or clock.now(),
            source_case=source_case,
        )
        get_gateway().send(prescription)
        do_record(
            actor,
            AuditEvent.PRESCRIPTION_CREATE,
            prescription,
            subject_person_id=person.pk,
            unit_id=unit.pk,
        )
    return prescription
