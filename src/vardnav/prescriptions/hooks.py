"""How prescription renewal and the contraceptive services plug into the case engine.

Why hooks: the case engine knows no particular service (design.md). At
submission these checks name the product (RX-3), apply the provider's policy
(RX-5), refuse vaccination units (RX-7), block contraindicated methods (RX-8)
and set flags for staff (RX-4); they never approve anything. At reply, only a
prescriber may answer, and an approval records the prescription and sends it
(RX-6), inside the reply's transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vardnav.cases.hooks import DefaultHooks, SubmissionContext, register_service_hooks
from vardnav.cases.models import Case
from vardnav.catalog.models import ServiceKind
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import PermissionDenied
from vardnav.organizations.access import acting_staff
from vardnav.organizations.models import Profession, UnitKind
from vardnav.prescriptions.actions import do_record_prescription, get_renewal_policy
from vardnav.prescriptions.errors import PrescriptionError
from vardnav.prescriptions.models import NarcoticsPolicy, Product
from vardnav.prescriptions.register import ProductChoice, check_product_choice


def medicine_type_ahead() -> dict[str, dict[str, str]]:
    """RX-3: the medicine question suggests products from the drug register as the resident types."""
    return {
        "medicine": {
            "list": "medicine-suggestions",
            "autocomplete": "off",
            "data-product-search": reverse("prescriptions:search"),
        }
    }


CONTRACEPTIVE_KINDS = (
    ServiceKind.CONTRACEPTIVE_RENEW,
    ServiceKind.CONTRACEPTIVE_START,
    ServiceKind.CONTRACEPTIVE_CHANGE,
    ServiceKind.CONTRACEPTIVE_STOP,
)
PRESCRIBING_CONTRACEPTIVE_KINDS = CONTRACEPTIVE_KINDS[:3]
# Methods with oestrogen (combined hormonal contraception).
COMBINED_METHODS = {"p-piller": "P-piller", "p-ring": "P-ring", "p-plaster": "P-plåster"}
SMOKER_AGE_LIMIT = 35

FLAG_ADDICTIVE = "addictive"
FLAG_NARCOTIC = "narcotic"
FLAG_CONTRAINDICATION_REVIEW = "contraindication_review"
# How staff see these flags on the case and in the inbox filter.
# Lazy: shown in the language of the page that lists the flags.
FLAG_LABELS = {
    FLAG_ADDICTIVE: cast(str, _("Beroendeframkallande")),
    FLAG_NARCOTIC: cast(str, _("Narkotikaklassat")),
    FLAG_CONTRAINDICATION_REVIEW: cast(str, _("Kontrollera kontraindikation")),
}


# --- submission ------------------------------------------------------------------------


def check_not_vaccination_unit(context: SubmissionContext) -> None:
    """RX-7: vaccination clinics issue no prescriptions or renewals."""
    if context.unit.kind == UnitKind.VACCINATION:
        raise PrescriptionError.NO_PRESCRIPTIONS_AT_VACCINATION_UNIT.error()


def check_renewal_policy(choice: ProductChoice, provider_id: int, *, field: str) -> set[str]:
    """RX-5: antibiotics never; narcotics by the provider's policy. Returns the flags to set."""
    if choice.is_antibiotic:
        raise PrescriptionError.ANTIBIOTIC_RENEWAL_REFUSED.error(field=field, name=choice.name)
    flags: set[str] = set()
    if choice.is_narcotic:
        if get_renewal_policy(provider_id).narcotics == NarcoticsPolicy.REFUSE:
            raise PrescriptionError.NARCOTIC_RENEWAL_REFUSED.error(field=field, name=choice.name)
        flags |= {FLAG_NARCOTIC, FLAG_ADDICTIVE}
    return flags


def check_prescription_renewal(context: SubmissionContext, answers: dict[str, Any]) -> list[str]:
    check_not_vaccination_unit(context)
    choice = check_product_choice(answers.get("medicine", ""), field="medicine")
    flags = check_renewal_policy(choice, context.unit.provider_id, field="medicine")
    # RX-4: the resident's word or the register's is enough for the flag; it never decides anything.
    if answers.get("addictive") == "yes" or choice.is_addictive:
        flags.add(FLAG_ADDICTIVE)
    return sorted(flags)


def _blood_pressure(text: str) -> tuple[int, int] | None:
    match = re.search(r"(\d{2,3})\s*/\s*(\d{2,3})", text or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def contraindications(method: str, answers: dict[str, Any], age: int) -> list[str]:
    """Why a combined (oestrogen) method is unsuitable, in words for the resident; empty when none."""
    if method not in COMBINED_METHODS:
        return []
    reasons = []
    if answers.get("smoker") is True and age >= SMOKER_AGE_LIMIT:
        reasons.append(f"röker och är {SMOKER_AGE_LIMIT} år eller äldre")
    if answers.get("migraine_aura") is True:
        reasons.append("har migrän med aura")
    if answers.get("clot_history") is True:
        reasons.append("har haft en blodpropp")
    pressure = _blood_pressure(str(answers.get("blood_pressure", "")))
    if pressure and (pressure[0] >= 160 or pressure[1] >= 100):
        reasons.append("har högt blodtryck")
    return reasons


def check_contraceptive(kind: str) -> Callable[[SubmissionContext, dict[str, Any]], list[str]]:
    method_field = {"contraceptive_renew": "method", "contraceptive_start": "wish", "contraceptive_change": "wish"}

    def check(context: SubmissionContext, answers: dict[str, Any]) -> list[str]:
        if kind == ServiceKind.CONTRACEPTIVE_STOP:
            return []
        check_not_vaccination_unit(context)
        flags: set[str] = set()
        if kind == ServiceKind.CONTRACEPTIVE_RENEW:
            choice = check_product_choice(answers.get("product", ""), field="product")
            if not choice.is_contraceptive:
                raise PrescriptionError.NOT_A_CONTRACEPTIVE.error(field="product", name=choice.name)
        field = method_field[kind]
        method = str(answers.get(field, ""))
        reasons = contraindications(method, answers, context.subject.age_on(clock.today()))
        if reasons:
            raise PrescriptionError.CONTRACEPTIVE_CONTRAINDICATED.error(
                field=field, method=COMBINED_METHODS[method], reasons=" och ".join(reasons)
            )
        pressure = _blood_pressure(str(answers.get("blood_pressure", "")))
        if method in COMBINED_METHODS and (
            answers.get("clot_family") is True or (pressure and (pressure[0] >= 140 or pressure[1] >= 90))
        ):
            flags.add(FLAG_CONTRAINDICATION_REVIEW)
        return sorted(flags)

    return check


# --- reply ------------------------------------------------------------------------------

_DECISION = {
    "linkId": "decision",
    "type": "choice",
    "text": "Beslut",
    "required": True,
    "answerOption": [{"code": "approve", "display": "Förskriv"}, {"code": "refuse", "display": "Förskriv inte"}],
}
_APPROVE = [{"question": "decision", "operator": "=", "answer": "approve"}]


def _reply_form(product_text: str) -> list[dict[str, Any]]:
    return [
        {
            "linkId": "counter_question",
            "type": "display",
            "text": "Behöver du fråga invånaren något innan du beslutar? Använd Motfråga – ärendet väntar då på svaret.",
        },
        _DECISION,
        {"linkId": "product", "type": "string", "text": product_text, "maxLength": 120, "enableWhen": _APPROVE},
        {"linkId": "dosage", "type": "string", "text": "Dosering", "required": True, "maxLength": 200,
         "enableWhen": _APPROVE},
        {"linkId": "amount", "type": "string", "text": "Mängd (t.ex. 100 tabletter)", "required": True,
         "maxLength": 120, "enableWhen": _APPROVE},
        {"linkId": "duration_days", "type": "integer", "text": "Giltighetstid i dagar", "required": True,
         "minValue": 1, "enableWhen": _APPROVE},
        {"linkId": "reason", "type": "text", "text": "Skäl till beslutet", "required": True, "maxLength": 2000,
         "enableWhen": [{"question": "decision", "operator": "=", "answer": "refuse"}]},
        {"linkId": "reply", "type": "text", "text": "Svar till invånaren", "required": True, "maxLength": 5000},
    ]  # fmt: skip


RENEWAL_REPLY_FORM = _reply_form(
    "Läkemedel som förskrivs: namn, styrka och form ur läkemedelsregistret (tomt: det invånaren angav)"
)
CONTRACEPTIVE_REPLY_FORM = _reply_form("Preventivmedel som förskrivs: namn, styrka och form ur läkemedelsregistret")


def prescriber_professions(kind: str) -> set[str]:
    """RX-6: doctors prescribe; for contraceptives midwives too (RX-8)."""
    if kind in CONTRACEPTIVE_KINDS:
        return {Profession.DOCTOR, Profession.MIDWIFE}
    return {Profession.DOCTOR}


def may_reply_as_prescriber(actor: Actor, case: Case) -> bool:
    staff = acting_staff(actor)
    return staff is not None and staff.profession in prescriber_professions(case.service.kind)


def _requested_product(case: Case) -> str:
    return str(case.answers.get("medicine") or case.answers.get("product") or "")


def _approved_product(case: Case, answers: dict[str, Any]) -> Product:
    named = str(answers.get("product") or "").strip()
    if named:
        choice = check_product_choice(named, field="product")
    elif _requested_product(case):
        choice = check_product_choice(_requested_product(case), field="product")
    else:
        raise PrescriptionError.PRODUCT_REQUIRED.error(field="product")
    if choice.exact is None:
        raise PrescriptionError.PRODUCT_AMBIGUOUS.error(
            field="product", name=choice.name, example=choice.products[0].label
        )
    return choice.exact


def on_prescribing_reply(actor: Actor, case: Case, answers: dict[str, Any]) -> None:
    """An approval records the prescription and sends it; a refusal records nothing."""
    if answers.get("decision") != "approve":
        return
    staff = acting_staff(actor)
    if staff is None or staff.profession not in prescriber_professions(case.service.kind):
        raise PermissionDenied(PrescriptionError.PRESCRIBER_REQUIRED)
    if case.unit.kind == UnitKind.VACCINATION:
        raise PrescriptionError.NO_PRESCRIPTIONS_AT_VACCINATION_UNIT.error()
    product = _approved_product(case, answers)
    if case.service.kind in CONTRACEPTIVE_KINDS:
        if not product.is_contraceptive:
            raise PrescriptionError.NOT_A_CONTRACEPTIVE.error(field="product", name=product.label)
    else:
        check_renewal_policy(ProductChoice((product,)), case.provider_id, field="product")
    do_record_prescription(
        actor,
        person=case.subject,
        product=product,
        prescriber=staff,
        unit=case.unit,
        dosage=str(answers.get("dosage", "")),
        amount=str(answers.get("amount", "")),
        duration_days=answers.get("duration_days"),
        source_case=case,
    )


@dataclass(frozen=True)
class PrescriptionHooks(DefaultHooks):
    """The cases.hooks.ServiceHooks of prescription renewal and the contraceptive services.

    At submission: the kind's checks and flags (RX-3..RX-5, RX-7, RX-8). At
    reply: only a prescriber answers (RX-6, RX-8), and for a prescribing kind an
    approval records and sends the prescription.
    """

    kind: str = ServiceKind.PRESCRIPTION_RENEWAL
    prescribes: bool = True

    def check_submission(self, context: SubmissionContext, answers: dict[str, Any]) -> list[str]:
        if self.kind == ServiceKind.PRESCRIPTION_RENEWAL:
            return check_prescription_renewal(context, answers)
        return check_contraceptive(self.kind)(context, answers)

    def may_reply(self, actor: Actor, case: Case) -> bool:
        return may_reply_as_prescriber(actor, case)

    def on_reply(self, actor: Actor, case: Case, answers: dict[str, Any]) -> None:
        if self.prescribes:
            on_prescribing_reply(actor, case, answers)

    def form_field_attrs(self) -> dict[str, dict[str, str]]:
        return medicine_type_ahead() if self.kind == ServiceKind.PRESCRIPTION_RENEWAL else {}


def register() -> None:
    register_service_hooks(
        ServiceKind.PRESCRIPTION_RENEWAL,
        PrescriptionHooks(
            kind=ServiceKind.PRESCRIPTION_RENEWAL,
            reply_form=RENEWAL_REPLY_FORM,
            form_scripts=("prescriptions/product-search.js",),
            flag_labels=FLAG_LABELS,
        ),
    )
    for kind in PRESCRIBING_CONTRACEPTIVE_KINDS:
        register_service_hooks(
            kind, PrescriptionHooks(kind=kind, reply_form=CONTRACEPTIVE_REPLY_FORM, flag_labels=FLAG_LABELS)
        )
    # Stopping a method prescribes nothing: the default reply form, answered by a prescriber.
    register_service_hooks(
        ServiceKind.CONTRACEPTIVE_STOP,
        PrescriptionHooks(kind=ServiceKind.CONTRACEPTIVE_STOP, prescribes=False, flag_labels=FLAG_LABELS),
    )
