"""Prescriptions in /api/v1: the drug register's type-ahead and the resident's medication list."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema

from vardnav.core.http import ApiRequest
from vardnav.identity.api_auth import resident_auth
from vardnav.prescriptions import access
from vardnav.prescriptions.register import search_products

router = Router(tags=["prescriptions"])


class ProblemOut(Schema):
    """application/problem+json (vardnav.api.main)."""

    type: str
    title: str
    status: int
    code: str
    errors: dict[str, list[str]] | None = None


class ProductOut(Schema):
    npl_id: str
    label: str
    name: str
    strength: str
    form: str
    atc_code: str


class ProductSearchIn(Schema):
    q: str = ""
    limit: int = 10


class MedicationOut(Schema):
    id: int
    product: ProductOut
    dosage: str
    prescribed_at: dt.datetime


class MedicationListOut(Schema):
    visible: bool
    message: str
    service_id: int | None
    unit_slug: str | None
    items: list[MedicationOut]


def _product(product) -> dict:
    return {
        "npl_id": product.npl_id,
        "label": product.label,
        "name": product.name,
        "strength": product.strength,
        "form": product.form,
        "atc_code": product.atc_code,
    }


@router.get(
    "/drugs", response={200: list[ProductOut], 422: ProblemOut}, auth=None, summary="Sök i läkemedelsregistret (RX-3)"
)
def drugs(request: HttpRequest, filters: Query[ProductSearchIn]):
    return [_product(p) for p in search_products(filters.q[:120], limit=max(1, min(filters.limit, 50)))]


@router.get(
    "/prescriptions/mine",
    response={200: MedicationListOut, 401: ProblemOut, 403: ProblemOut},
    auth=resident_auth,
    summary="Mina läkemedel (RX-1)",
)
def my_medications(request: ApiRequest):
    listed = access.medication_list(request.auth)
    return {
        "visible": listed.visible,
        "message": listed.message,
        "service_id": listed.service.pk if listed.service else None,
        "unit_slug": listed.unit.slug if listed.unit else None,
        "items": [
            {"id": p.pk, "product": _product(p.product), "dosage": p.dosage, "prescribed_at": p.prescribed_at}
            for p in listed.items
        ],
    }
