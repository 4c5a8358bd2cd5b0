"""The questions an insurance e-service asks at submission (REC-9), as questionnaire items.

An e-service tied to a private health insurance (records.models.InsuranceService)
has these two items in its questionnaire: which insurer, from the provider's
list of insurers, and whether the resident approves the power of attorney. The
submission (records.actions.InsuranceCaseExtension) reads them by their
linkIds; the form shows the text below, so the resident knows what they approve.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# The large Swedish health insurers (code, name): the list a fresh installation and the demo start with.
SWEDISH_HEALTH_INSURERS = [
    ("euro-accident", "Euro Accident"),
    ("folksam", "Folksam"),
    ("if", "If Skadeförsäkring"),
    ("lansforsakringar", "Länsförsäkringar"),
    ("skandia", "Skandia"),
    ("trygg-hansa", "Trygg-Hansa"),
]

# The integration scope an insurer's token needs (integrations.models.IntegrationScope.INSURER_REQUESTS;
# the two apps share a layer and import nothing of each other, so the value is written twice, tested equal).
INSURER_REQUESTS_SCOPE = "records:insurer-requests"

INSURER_ITEM = "forsakringsbolag"
POWER_OF_ATTORNEY_ITEM = "fullmakt_forsakringsbolag"

POWER_OF_ATTORNEY_TEXT = (
    "Jag ger försäkringsbolaget fullmakt att begära ut journaluppgifter om det här ärendet "
    "(sammanfattning och diagnoser). Jag kan återkalla fullmakten under Mina sidor."
)


def insurance_items(insurers: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """The two items, FHIR-shaped like every questionnaire; `insurers` as (code, name)."""
    return [
        {
            "linkId": INSURER_ITEM,
            "type": "choice",
            "text": "Vilket försäkringsbolag har du din vårdförsäkring hos?",
            "required": True,
            "answerOption": [{"code": code, "display": name} for code, name in insurers],
        },
        {
            "linkId": POWER_OF_ATTORNEY_ITEM,
            "type": "boolean",
            "text": POWER_OF_ATTORNEY_TEXT,
            "required": True,
        },
    ]
