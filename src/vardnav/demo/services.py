"""Swedish questionnaires for every e-service of the seeds, used by the demo data.

Each entry: the service's settings and its questionnaire items (FHIR-shaped, see
catalog.questionnaires). Providers adapt them; these are sensible starting points
written from the seeds (Min vård Gävleborg, 1177 e-tjänster, Min Doktor).
"""

from __future__ import annotations

from typing import Any

from vardnav.catalog.models import ServiceKind
from vardnav.complaints.content import COMPLAINT_ITEMS

YES_NO_UNSURE = [
    {"code": "yes", "display": "Ja"},
    {"code": "no", "display": "Nej"},
    {"code": "unsure", "display": "Vet inte"},
]

_CONTACT_BACK = [
    {"linkId": "reach_phone", "type": "phone", "text": "Telefonnummer vi kan nå dig på om vi behöver fråga något"},
]

_RENEWAL_ITEMS: list[dict[str, Any]] = [
    {
        "linkId": "info",
        "type": "display",
        "text": "Skriv läkemedlets namn som det står på förpackningen, till exempel Levaxin 50 mikrog tablett. "
        "Ett tillverkarnamn som Teva eller Sandoz räcker inte. "
        "Antibiotika förnyas inte här – skicka ett nytt ärende så gör vi en ny bedömning.",
    },
    {
        # The answer names a product of the drug register (its name as on the package, or its NPL-id);
        # prescriptions.hooks checks it (RX-3).
        "linkId": "medicine",
        "type": "string",
        "text": "Vilket läkemedel vill du förnya? (namn som på förpackningen)",
        "required": True,
        "maxLength": 120,
    },
    {"linkId": "strength", "type": "string", "text": "Styrka och form (t.ex. 50 mikrog tablett)", "maxLength": 80},
    {"linkId": "dosage", "type": "string", "text": "Hur tar du läkemedlet?", "required": True, "maxLength": 200},
    {
        "linkId": "addictive",
        "type": "choice",
        "text": "Är läkemedlet beroendeframkallande?",
        "required": True,
        "answerOption": YES_NO_UNSURE,
    },
    {"linkId": "effect", "type": "boolean", "text": "Fungerar läkemedlet bra för dig?", "required": True},
    {
        "linkId": "problems",
        "type": "text",
        "text": "Berätta om biverkningar eller annat vi bör veta",
        "required": True,
        "maxLength": 2000,
        "enableWhen": [{"question": "effect", "operator": "=", "answer": False}],
    },
    {
        "linkId": "last_followup",
        "type": "date",
        "text": "När följdes behandlingen upp senast? (ungefär)",
        "maxValue": "today",
    },
    *_CONTACT_BACK,
]

_VISIT_ITEMS = [
    {
        "linkId": "visit_date",
        "type": "date",
        "text": "Vilket datum gäller besöket?",
        "required": True,
        "minValue": "today",
    },
    {
        "linkId": "visit_time",
        "type": "string",
        "text": "Vilken tid på dagen? (om du vet, till exempel 14.30)",
        "maxLength": 5,
    },
    {"linkId": "visit_with", "type": "string", "text": "Vem skulle du träffa? (om du vet)", "maxLength": 120},
    {
        "linkId": "info_24h",
        "type": "display",
        "text": "Av- och ombokning digitalt måste ske senast 24 timmar före besöket. Ring mottagningen om det är senare.",
    },
]

_CONTRACEPTIVE_METHODS = [
    {"code": "p-piller", "display": "P-piller"},
    {"code": "minipiller", "display": "Minipiller"},
    {"code": "p-ring", "display": "P-ring"},
    {"code": "p-plaster", "display": "P-plåster"},
    {"code": "p-stav", "display": "P-stav"},
    {"code": "p-spruta", "display": "P-spruta"},
    {"code": "hormonspiral", "display": "Hormonspiral"},
]

_CONTRACEPTIVE_HEALTH = [
    {"linkId": "smoker", "type": "boolean", "text": "Röker du?", "required": True},
    {"linkId": "migraine_aura", "type": "boolean", "text": "Har du migrän med aura?", "required": True},
    {"linkId": "clot_history", "type": "boolean", "text": "Har du själv haft en blodpropp?", "required": True},
    {
        "linkId": "clot_family",
        "type": "boolean",
        "text": "Har någon nära släkting (förälder eller syskon) haft blodpropp före 50 års ålder?",
        "required": True,
    },
    {"linkId": "blood_pressure", "type": "string", "text": "Senast uppmätta blodtryck (om du vet)", "maxLength": 20},
    {
        "linkId": "free_under_21",
        "type": "display",
        "text": "Preventivmedel inom förmånen är gratis om du är under 21 år.",
    },
]

_AIDS_ITEMS = [
    {
        "linkId": "product",
        "type": "string",
        "text": "Vilka hjälpmedel vill du förnya?",
        "required": True,
        "maxLength": 300,
    },
    {
        "linkId": "amount",
        "type": "string",
        "text": "Hur mycket behöver du per månad?",
        "required": True,
        "maxLength": 120,
    },
    {
        "linkId": "changed_need",
        "type": "boolean",
        "text": "Har ditt behov förändrats sedan förra gången?",
        "required": True,
    },
    {
        "linkId": "change_details",
        "type": "text",
        "text": "Beskriv hur behovet har förändrats",
        "required": True,
        "maxLength": 2000,
        "enableWhen": [{"question": "changed_need", "operator": "=", "answer": True}],
    },
    *_CONTACT_BACK,
]

_CERTIFICATE_KINDS = [
    {"code": "driving", "display": "Körkortsintyg"},
    {"code": "work", "display": "Intyg till arbetsgivare"},
    {"code": "fk", "display": "Intyg till Försäkringskassan"},
    {"code": "school", "display": "Intyg till skola"},
    {"code": "other", "display": "Annat intyg"},
]

DEMO_SERVICES: dict[str, dict[str, Any]] = {
    ServiceKind.PRESCRIPTION_RENEWAL: {
        "settings": {"listing_bound": True, "handling_time_value": 3},
        "items": _RENEWAL_ITEMS,
    },
    ServiceKind.VISIT_REBOOK: {
        "settings": {"listing_bound": False, "handling_time_value": 1},
        "items": [
            *_VISIT_ITEMS,
            {
                "linkId": "preferred",
                "type": "choice",
                "repeats": True,
                "text": "Vilka tider passar dig?",
                "required": True,
                "answerOption": [
                    {"code": "morning", "display": "Förmiddag"},
                    {"code": "afternoon", "display": "Eftermiddag"},
                    {"code": "any", "display": "Vilken tid som helst"},
                ],
            },
            *_CONTACT_BACK,
        ],
    },
    ServiceKind.VISIT_CANCEL: {
        "settings": {"listing_bound": False, "handling_time_value": 1},
        "items": [
            *_VISIT_ITEMS,
            {"linkId": "reason", "type": "string", "text": "Orsak (frivilligt)", "maxLength": 200},
        ],
    },
    ServiceKind.CONTRACEPTIVE_RENEW: {
        "settings": {"listing_bound": False, "handling_time_value": 3},
        "items": [
            {
                "linkId": "method",
                "type": "choice",
                "text": "Vilket preventivmedel använder du?",
                "required": True,
                "answerOption": _CONTRACEPTIVE_METHODS,
            },
            {
                "linkId": "product",
                "type": "string",
                "text": "Preparatets namn som det står på förpackningen (t.ex. Microgynon, Cerazette, NuvaRing)",
                "required": True,
                "maxLength": 120,
            },
            {"linkId": "satisfied", "type": "boolean", "text": "Är du nöjd med preventivmedlet?", "required": True},
            *_CONTRACEPTIVE_HEALTH,
        ],
    },
    ServiceKind.CONTRACEPTIVE_START: {
        "settings": {"listing_bound": False, "handling_time_value": 3},
        "items": [
            {
                "linkId": "wish",
                "type": "choice",
                "text": "Vilket preventivmedel är du intresserad av?",
                "required": True,
                "answerOption": [*_CONTRACEPTIVE_METHODS, {"code": "advice", "display": "Jag vill ha råd"}],
            },
            *_CONTRACEPTIVE_HEALTH,
            *_CONTACT_BACK,
        ],
    },
    ServiceKind.CONTRACEPTIVE_CHANGE: {
        "settings": {"listing_bound": False, "handling_time_value": 3},
        "items": [
            {
                "linkId": "current",
                "type": "choice",
                "text": "Vilket preventivmedel använder du nu?",
                "required": True,
                "answerOption": _CONTRACEPTIVE_METHODS,
            },
            {
                "linkId": "wish",
                "type": "choice",
                "text": "Vilket vill du byta till?",
                "required": True,
                "answerOption": _CONTRACEPTIVE_METHODS,
            },
            {"linkId": "why", "type": "text", "text": "Varför vill du byta?", "required": True, "maxLength": 2000},
            *_CONTRACEPTIVE_HEALTH,
        ],
    },
    ServiceKind.CONTRACEPTIVE_STOP: {
        "settings": {"listing_bound": False, "handling_time_value": 5},
        "items": [
            {
                "linkId": "current",
                "type": "choice",
                "text": "Vilket preventivmedel vill du sluta med?",
                "required": True,
                "answerOption": _CONTRACEPTIVE_METHODS,
            },
            {
                "linkId": "removal",
                "type": "display",
                "text": "P-stav och hormonspiral tas ut på mottagningen. Vi kontaktar dig för en tid.",
            },
            {"linkId": "why", "type": "text", "text": "Vill du berätta varför? (frivilligt)", "maxLength": 2000},
        ],
    },
    ServiceKind.AIDS_DIABETES: {"settings": {"listing_bound": True, "handling_time_value": 5}, "items": _AIDS_ITEMS},
    ServiceKind.AIDS_INCONTINENCE: {
        "settings": {"listing_bound": True, "handling_time_value": 5},
        "items": _AIDS_ITEMS,
    },
    ServiceKind.AIDS_STOMA: {"settings": {"listing_bound": True, "handling_time_value": 5}, "items": _AIDS_ITEMS},
    ServiceKind.SPECIAL_FOODS: {
        "settings": {"listing_bound": True, "handling_time_value": 5},
        "items": [
            {
                "linkId": "product",
                "type": "string",
                "text": "Vilka speciallivsmedel eller tillbehör vill du förnya?",
                "required": True,
                "maxLength": 300,
            },
            {
                "linkId": "amount",
                "type": "string",
                "text": "Hur mycket behöver du per månad?",
                "required": True,
                "maxLength": 120,
            },
            {
                "linkId": "weight_change",
                "type": "boolean",
                "text": "Har din vikt förändrats det senaste halvåret?",
                "required": True,
            },
            *_CONTACT_BACK,
        ],
    },
    ServiceKind.CERTIFICATE_RENEW: {
        "settings": {"listing_bound": True, "handling_time_value": 10},
        "items": [
            {
                "linkId": "kind",
                "type": "choice",
                "text": "Vilket intyg vill du förnya?",
                "required": True,
                "answerOption": _CERTIFICATE_KINDS,
            },
            {
                "linkId": "valid_until",
                "type": "date",
                "text": "När slutar det nuvarande intyget att gälla?",
                "required": True,
            },
            {
                "linkId": "changes",
                "type": "text",
                "text": "Har något förändrats sedan förra intyget?",
                "required": True,
                "maxLength": 2000,
            },
            {
                "linkId": "fee",
                "type": "display",
                "text": "Intyg ingår inte i högkostnadsskyddet och kan kosta en avgift.",
            },
        ],
    },
    ServiceKind.CERTIFICATE_NEW: {
        "settings": {"listing_bound": True, "handling_time_value": 10},
        "items": [
            {
                "linkId": "kind",
                "type": "choice",
                "text": "Vilket intyg behöver du?",
                "required": True,
                "answerOption": _CERTIFICATE_KINDS,
            },
            {
                "linkId": "purpose",
                "type": "text",
                "text": "Vad ska intyget användas till?",
                "required": True,
                "maxLength": 2000,
            },
            {
                "linkId": "fee",
                "type": "display",
                "text": "Intyg ingår inte i högkostnadsskyddet och kan kosta en avgift.",
            },
        ],
    },
    ServiceKind.COMPLAINT: {
        "settings": {"listing_bound": False, "handling_time_value": 10},
        # The complaints app's form: category, whole care process, event date (CMP-4), text.
        "items": COMPLAINT_ITEMS,
    },
    ServiceKind.CONTACT_UNIT: {
        "settings": {"listing_bound": False, "handling_time_value": 2, "attachments_allowed": True},
        "items": [
            {
                "linkId": "subject",
                "type": "string",
                "text": "Vad gäller ditt ärende?",
                "required": True,
                "maxLength": 120,
            },
            {"linkId": "question", "type": "text", "text": "Skriv din fråga", "required": True, "maxLength": 5000},
            {
                "linkId": "not_urgent",
                "type": "display",
                "text": "Vid akuta besvär: ring 112. För sjukvårdsrådgivning: ring 1177.",
            },
        ],
    },
}
