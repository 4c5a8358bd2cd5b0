"""The national e-prescription service, behind an interface.

Why an interface: production sends prescriptions to eHälsomyndigheten's
e-prescription service (an agreement, certificates and a test environment we do
not have here). The local implementation records the outgoing message in the
database inside the approval's transaction, so nothing is "sent" for an
approval that rolls back, and a worker can later forward recorded messages to
the real service (an outbox).
"""

from __future__ import annotations

from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from vardnav.core import clock
from vardnav.prescriptions.models import EPrescriptionMessage, Prescription


class EPrescriptionGateway(Protocol):
    def send(self, prescription: Prescription) -> str:
        """Hand the prescription over; return the reference of the sent message."""


def prescription_message(prescription: Prescription) -> dict[str, Any]:
    """The message content, shaped after what an e-prescription carries (product, dosage, prescriber)."""
    product = prescription.product
    return {
        "npl_id": product.npl_id,
        "product": product.label,
        "atc_code": product.atc_code,
        "dosage": prescription.dosage,
        "amount": prescription.amount,
        "duration_days": prescription.duration_days,
        "prescriber_hsa_id": prescription.prescriber_hsa_id,
        "unit_id": prescription.unit_id,
        "patient_id": prescription.person_id,
        "prescribed_at": prescription.prescribed_at.isoformat(),
    }


class LocalEPrescriptionGateway:
    """Records the outgoing message as a row (EPrescriptionMessage)."""

    def send(self, prescription: Prescription) -> str:
        message = EPrescriptionMessage.objects.create(
            prescription=prescription,
            payload=prescription_message(prescription),
            created_at=clock.now(),
        )
        return f"local-{message.pk}"


def get_gateway() -> EPrescriptionGateway:
    path = getattr(settings, "EPRESCRIPTION_GATEWAY", "vardnav.prescriptions.gateway.LocalEPrescriptionGateway")
    return import_string(path)()
