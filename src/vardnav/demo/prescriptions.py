"""Past prescriptions for the demo residents, so the medication list (RX-1) has something to show.

Called by the demo loader; idempotent (a prescription is found by person,
product and date). The prescriber is the demo unit's doctor, contraceptives the
midwife; one prescription is older than five years to show the list's limit.
"""

from __future__ import annotations

import datetime as dt

from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.demo import identities as ids
from vardnav.organizations.models import Listing, Profession, Staff
from vardnav.people.access import get_person_by_personal_number
from vardnav.prescriptions.actions import do_load_curated_register, do_record_prescription
from vardnav.prescriptions.models import Prescription, Product

# personal number → (product npl_id, dosage, amount, days, days ago)
DEMO_PRESCRIPTIONS = {
    ids.RESIDENT_A: [
        ("CUR-levaxin-50-mikrog-tablett", "1 tablett på morgonen", "100 tabletter", 92, 80),
        ("CUR-enalapril-actavis-10-mg-tablett", "1 tablett dagligen", "100 tabletter", 92, 200),
        ("CUR-omeprazol-actavis-20-mg-enterokapsel", "1 kapsel vid behov", "56 kapslar", 92, 400),
        ("CUR-imovane-5-mg-filmdragerad-tablett", "1 tablett till natten vid behov", "10 tabletter", 30, 300),
        ("CUR-kavepenin-1-g-filmdragerad-tablett", "1 tablett 3 gånger dagligen i 10 dagar", "30 tabletter", 10, 500),
        ("CUR-simvastatin-actavis-20-mg-filmdragerad-tablett", "1 tablett till kvällen", "100 tabletter", 92, 6 * 365),
    ],
    ids.AGED_85: [
        ("CUR-metformin-mylan-500-mg-filmdragerad-tablett", "1 tablett 2 gånger dagligen", "200 tabletter", 92, 60),
        ("CUR-simvastatin-actavis-40-mg-filmdragerad-tablett", "1 tablett till kvällen", "100 tabletter", 92, 60),
        ("CUR-trombyl-75-mg-tablett", "1 tablett dagligen", "100 tabletter", 92, 60),
        (
            "CUR-alvedon-500-mg-filmdragerad-tablett",
            "2 tabletter vid behov, högst 8 per dygn",
            "100 tabletter",
            92,
            150,
        ),
    ],
    ids.CHILD_17: [
        ("CUR-cerazette-75-mikrog-filmdragerad-tablett", "1 tablett dagligen", "3 x 28 tabletter", 366, 120)
    ],
    ids.CHILD_14: [
        ("CUR-ventoline-evohaler-0-1-mg-dos-inhalationsspray-suspension", "1–2 doser vid behov", "1 inhalator", 92, 90)
    ],
}


def _prescriber(unit, midwife: bool) -> Staff | None:
    profession = Profession.MIDWIFE if midwife else Profession.DOCTOR
    return (
        Staff.objects.filter(
            provider_id=unit.provider_id, profession=profession, is_active=True, role_grants__unit=unit
        )
        .order_by("hsa_id")
        .first()
    )


def load_demo_prescriptions() -> int:
    """Seed the demo residents' past prescriptions at their listed unit; returns how many were created."""
    actor = Actor.system()
    do_load_curated_register(actor)
    products = Product.objects.in_bulk(
        [row[0] for rows in DEMO_PRESCRIPTIONS.values() for row in rows], field_name="npl_id"
    )
    created = 0
    now = clock.now().replace(hour=9, minute=0, second=0, microsecond=0)
    for number, rows in DEMO_PRESCRIPTIONS.items():
        person = get_person_by_personal_number(number)
        listing = Listing.objects.select_related("unit").filter(person=person, ended_at__isnull=True).first()
        if person is None or listing is None:
            continue
        for npl_id, dosage, amount, days, days_ago in rows:
            product = products[npl_id]
            prescriber = _prescriber(listing.unit, midwife=product.is_contraceptive)
            prescribed_at = now - dt.timedelta(days=days_ago)
            if (
                prescriber is None
                or Prescription.objects.filter(person=person, product=product, prescribed_at=prescribed_at).exists()
            ):
                continue
            do_record_prescription(
                actor,
                person=person,
                product=product,
                prescriber=prescriber,
                unit=listing.unit,
                dosage=dosage,
                amount=amount,
                duration_days=days,
                prescribed_at=prescribed_at,
            )
            created += 1
    return created
