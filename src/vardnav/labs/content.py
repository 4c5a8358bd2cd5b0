"""What the labs app ships as data: the tests a referral may name, where to turn, and the demo's labs.

The test list is a small local catalogue (a code, the Swedish name, the English
name, the sample), not a national code system: a lab answers with the same
codes. Where to turn (VISIT-7) are the usual places a digital visit sends a
resident to when it cannot help; the practitioner adds their own words.
"""

from __future__ import annotations

from typing import TypedDict

from django.utils.translation import get_language


class TestSpec(TypedDict):
    code: str
    name: str
    name_en: str
    sample: str


TESTS: list[TestSpec] = [
    {"code": "B-HB", "name": "Hemoglobin (blodvärde)", "name_en": "Haemoglobin", "sample": "blod"},
    {"code": "B-LPK", "name": "Vita blodkroppar (LPK)", "name_en": "White blood cell count", "sample": "blod"},
    {"code": "P-CRP", "name": "CRP (inflammation)", "name_en": "CRP (inflammation)", "sample": "blod"},
    {"code": "P-GLUKOS", "name": "Glukos (blodsocker)", "name_en": "Glucose (blood sugar)", "sample": "blod"},
    {
        "code": "B-HBA1C",
        "name": "HbA1c (långtidsblodsocker)",
        "name_en": "HbA1c (long-term blood sugar)",
        "sample": "blod",
    },
    {"code": "P-TSH", "name": "TSH (sköldkörtel)", "name_en": "TSH (thyroid)", "sample": "blod"},
    {"code": "P-FERRITIN", "name": "Ferritin (järndepåer)", "name_en": "Ferritin (iron stores)", "sample": "blod"},
    {
        "code": "P-KREATININ",
        "name": "Kreatinin (njurfunktion)",
        "name_en": "Creatinine (kidney function)",
        "sample": "blod",
    },
    {"code": "P-KALIUM", "name": "Kalium", "name_en": "Potassium", "sample": "blod"},
    {"code": "P-KOLESTEROL", "name": "Kolesterol", "name_en": "Cholesterol", "sample": "blod"},
    {"code": "U-STICKA", "name": "Urinsticka", "name_en": "Urine dipstick", "sample": "urin"},
    {"code": "U-ODLING", "name": "Urinodling", "name_en": "Urine culture", "sample": "urin"},
    {"code": "U-KLAMYDIA", "name": "Klamydia (PCR)", "name_en": "Chlamydia (PCR)", "sample": "urin"},
]
TESTS_BY_CODE: dict[str, TestSpec] = {test["code"]: test for test in TESTS}


def in_english() -> bool:
    return (get_language() or "").startswith("en")


def test_name(code: str) -> str:
    """A test's name in the page's language (the code itself for one no longer in the list)."""
    spec = TESTS_BY_CODE.get(code)
    if spec is None:
        return code
    return spec["name_en"] if in_english() else spec["name"]


def place_name(place: Place) -> str:
    return place["name_en"] if in_english() else place["name"]


class Place(TypedDict):
    code: str
    name: str
    name_en: str
    advice: str


# VISIT-7: where to turn when digital care cannot help (the staff choose one and add their own words).
WHERE_TO_TURN: list[Place] = [
    {
        "code": "vardcentral",
        "name": "Vårdcentral",
        "name_en": "Health centre",
        "advice": "Boka en tid på din vårdcentral för en fysisk undersökning. Ring eller använd vårdcentralens e-tjänster.",
    },
    {
        "code": "narakut",
        "name": "Närakut",
        "name_en": "Urgent care clinic",
        "advice": "Sök vård på en närakut i dag. Ring 1177 om du är osäker på vart du ska vända dig.",
    },
    {
        "code": "akutmottagning",
        "name": "Akutmottagning",
        "name_en": "Emergency department",
        "advice": "Åk till en akutmottagning nu. Ring 112 om du inte kan ta dig dit själv eller om du blir sämre.",
    },
    {
        "code": "1177",
        "name": "1177 Vårdguiden",
        "name_en": "1177 (healthcare advice line)",
        "advice": "Ring 1177 för sjukvårdsrådgivning dygnet runt. Där får du hjälp att hitta rätt vård.",
    },
    {
        "code": "ungdomsmottagning",
        "name": "Ungdomsmottagning",
        "name_en": "Youth clinic",
        "advice": "Kontakta en ungdomsmottagning. Där kan du få hjälp med kropp, sex och relationer upp till 23 år.",
    },
    {
        "code": "tandvard",
        "name": "Tandvård",
        "name_en": "Dental care",
        "advice": "Kontakta en tandläkare eller tandvårdsjouren. Besvär i tänder och mun tas inte om hand här.",
    },
    {
        "code": "psykiatri",
        "name": "Psykiatrisk mottagning",
        "name_en": "Psychiatric clinic",
        "advice": "Kontakta en psykiatrisk mottagning. Vid tankar på att ta ditt liv: ring 112 eller 1177 direkt.",
    },
]
PLACES_BY_CODE: dict[str, Place] = {place["code"]: place for place in WHERE_TO_TURN}


class LabSpec(TypedDict):
    code: str
    name: str
    town: str
    street_address: str
    postal_code: str
    phone: str
    opening_hours: str
    drop_in: bool


# The demo's directory: fictional labs in several towns (names and addresses made up for the project).
DEMO_LABS: list[LabSpec] = [
    {
        "code": "provlabbet-sthlm-city",
        "name": "Provlabbet City",
        "town": "Stockholm",
        "street_address": "Exempelgatan 12",
        "postal_code": "11122",
        "phone": "08-123 450 00",
        "opening_hours": "Mån–fre 7.30–16.00",
        "drop_in": True,
    },
    {
        "code": "provlabbet-sthlm-sodermalm",
        "name": "Provlabbet Södermalm",
        "town": "Stockholm",
        "street_address": "Testvägen 3",
        "postal_code": "11856",
        "phone": "08-123 451 00",
        "opening_hours": "Mån–tors 8.00–17.00, fre 8.00–14.00",
        "drop_in": False,
    },
    {
        "code": "blodprov-goteborg",
        "name": "Blodprovsmottagningen Centrum",
        "town": "Göteborg",
        "street_address": "Påhittade torget 5",
        "postal_code": "41101",
        "phone": "031-123 40 00",
        "opening_hours": "Mån–fre 7.00–15.00",
        "drop_in": True,
    },
    {
        "code": "lablinjen-malmo",
        "name": "Lablinjen Malmö",
        "town": "Malmö",
        "street_address": "Fiktiva gatan 40",
        "postal_code": "21120",
        "phone": "040-123 40 00",
        "opening_hours": "Mån–fre 7.30–15.30",
        "drop_in": True,
    },
    {
        "code": "provtagningen-uppsala",
        "name": "Provtagningen Uppsala",
        "town": "Uppsala",
        "street_address": "Demogatan 8",
        "postal_code": "75320",
        "phone": "018-123 40 00",
        "opening_hours": "Mån–fre 8.00–16.00",
        "drop_in": True,
    },
    {
        "code": "lablinjen-umea",
        "name": "Lablinjen Umeå",
        "town": "Umeå",
        "street_address": "Övningsvägen 2",
        "postal_code": "90326",
        "phone": "090-123 40 00",
        "opening_hours": "Tis och tors 8.00–12.00",
        "drop_in": False,
    },
]
