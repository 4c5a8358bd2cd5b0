"""The complaint form every provider's "Synpunkter och klagomål" service and the patient board use.

The questionnaire is the case engine's (catalog.questionnaires); the complaint
service's hooks (hooks.py) add what a questionnaire cannot say: the event date
is never in the future, a care process is dated by its start (CMP-4), and the
text says something. The category is also a flag on the case, which is what
the follow-up counts (no personal data, no case content).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    CARE = "care", _("Vård och behandling")
    COMMUNICATION = "communication", _("Kommunikation och bemötande")
    ACCESS = "access", _("Tillgänglighet och väntetider")
    ADMINISTRATION = "administration", _("Administration, journal och intyg")
    OTHER = "other", _("Annat")


CATEGORY_FLAG_PREFIX = "complaint_"
PROCESS_FLAG = "complaint_care_process"

# The questionnaire (FHIR-shaped items, catalog.questionnaires) a complaint service publishes.
COMPLAINT_ITEMS: list[dict[str, Any]] = [
    {
        "linkId": "category",
        "type": "choice",
        "text": "Vad gäller dina synpunkter?",
        "required": True,
        "answerOption": [{"code": code, "display": str(label)} for code, label in Category.choices],
    },
    {
        "linkId": "about_process",
        "type": "boolean",
        "text": "Gäller det en hel vårdprocess, till exempel en längre behandling?",
        "required": True,
    },
    {
        "linkId": "event_date",
        "type": "date",
        "text": "När hände det? Gäller det en hel vårdprocess: när började den?",
        "required": True,
        "maxValue": "today",
    },
    {"linkId": "what", "type": "text", "text": "Beskriv vad som hände", "required": True, "maxLength": 5000},
    {"linkId": "wish", "type": "text", "text": "Vad vill du uppnå med dina synpunkter?", "maxLength": 2000},
    {"linkId": "not_anonymous", "type": "display", "text": "Synpunkter och klagomål kan inte lämnas anonymt."},
]

# The patient board's form adds where it happened, for a resident who cannot find the unit (CMP-2).
BOARD_ITEMS: list[dict[str, Any]] = [
    *COMPLAINT_ITEMS[:3],
    {
        "linkId": "place",
        "type": "string",
        "text": "Var hände det? Skriv mottagningens eller sjukhusets namn och ort så gott du kan",
        "required": True,
        "maxLength": 200,
    },
    *COMPLAINT_ITEMS[3:],
]
