"""The demo world as plain data: three fictional care providers, their units, staff and residents.

Why plain data: the loader (demo.loader) turns this into rows through the same
actions as production, so the demo can never hold a state the product could
not reach. Every name, address, organisation number and HSA-id here is
fictional: the organisation numbers 232100-09xx belong to no region, and the
personal numbers come only from demo.identities.

The constants at the top name the rows the shared test personas
(tests/fixtures.py) are built from.
"""

from __future__ import annotations

from typing import Any

from vardnav.demo import identities as ids

# --- persona keys (the `demo_*` fixtures of tests/fixtures.py) ---------------------------

PROVIDER_SLUG = "region-norrsund"  # `demo_provider`
OTHER_PROVIDER_SLUG = "region-vastera"  # `demo_provider_admin_other` administers it
UNIT_X_SLUG = "vardcentralen-norrsund-centrum"  # `demo_unit_x`: RESIDENT_A and the Lindqvist family are listed here
UNIT_Y_SLUG = "vardcentralen-vastera-soder"  # `demo_other_unit` (Region Västerå): RESIDENT_B is listed here
RECEIVER_X_HSA = "SE2321000901-NC07"  # undersköterska, ärendemottagare at demo_unit_x
BOOKING_ADMIN_X_HSA = "SE2321000901-NC08"  # administratör, ärendemottagare and tidbokningsansvarig at demo_unit_x
HANDLER_X_HSA = "SE2321000901-NC01"  # läkare, ärendehanterare at demo_unit_x
UNIT_ADMIN_X_HSA = "SE2321000901-NC00"  # läkare, verksamhetschef at demo_unit_x
HANDLER_Y_HSA = "SE2321000902-VS01"  # läkare, ärendehanterare at demo_other_unit (`demo_other_handler`)
PROVIDER_ADMIN_OTHER_HSA = "SE2321000902-ADM1"

PLATFORM_ADMIN_USERNAME = "admin"
PLATFORM_ADMIN_PASSWORD_ENV = "VARDNAV_DEMO_ADMIN_PASSWORD"

# --- staff at every region unit ---------------------------------------------------------

# One staff member per row, in this order, at every region unit: every
# profession and every role (ORG-4, ORG-8). The HSA-id suffix is the unit's code
# plus the row number (00, 01, …).
REGION_UNIT_STAFF = [
    ("doctor", ["unit_admin"]),  # 00 verksamhetschef
    ("doctor", ["handler"]),  # 01
    ("nurse", ["receiver", "handler"]),  # 02
    ("psychologist", ["handler"]),  # 03
    ("physiotherapist", ["handler"]),  # 04
    ("midwife", ["handler"]),  # 05
    ("sexologist", ["handler"]),  # 06
    ("assistant_nurse", ["receiver"]),  # 07
    ("administrative", ["receiver", "booking_admin"]),  # 08 also keeps the appointment book (tidbokningsansvarig)
]

_WEEKDAYS = "Måndag–fredag"

PROVIDERS: list[dict[str, Any]] = [
    {
        "slug": "region-norrsund",
        "name": "Region Norrsund",
        "service_offering": "provider_wide",
        "organization_number": "232100-0901",
        "support_email": "e-tjanster@norrsund.example",
        "admin": {
            "username": "norrsund-admin",
            "hsa_id": "SE2321000901-ADM1",
            "given_name": "Birgitta",
            "surname": "Forsell",
            "profession": "administrative",
            "email": "birgitta.forsell@norrsund.example",
        },
        "units": [
            {
                "slug": "vardcentralen-norrsund-centrum",
                "code": "NC",
                "name": "Vårdcentralen Norrsund centrum",
                "hsa_id": "SE2321000901-NC",
                "kind": "primary_care",
                "street_address": "Storgatan 12",
                "postal_code": "871 30",
                "city": "Norrsund",
                "phone": "0611-12 34 00",
                "opening_hours": [
                    {"days": _WEEKDAYS, "hours": "08.00–17.00"},
                    {"days": "Lördag", "hours": "10.00–14.00 (drop-in)"},
                ],
                "other_information_html": (
                    "<h2>Parkering</h2><p>Besöksparkering finns på <strong>baksidan</strong> av huset, "
                    "de första två timmarna är gratis.</p>"
                    "<h3>Inför ditt besök</h3><ul><li>Ta med legitimation.</li>"
                    "<li>Kom tio minuter före din tid.</li></ul>"
                    '<p>Läs mer om <a href="https://www.1177.se/" target="_blank" title="1177">vård i '
                    "regionen</a>.</p>"
                ),
                "eservices_active": True,
                "staff": [
                    ("Maria", "Sjöberg"),
                    ("Henrik", "Dahl"),
                    ("Sara", "Öberg"),
                    ("Jonas", "Ljung"),
                    ("Petra", "Nyström"),
                    ("Helena", "Åkesson"),
                    ("Mikael", "Strand"),
                    ("Therese", "Falk"),
                    ("Ulf", "Bergqvist"),
                ],
            },
            {
                "slug": "vardcentralen-hamnen",
                "code": "HA",
                "name": "Vårdcentralen Hamnen",
                "hsa_id": "SE2321000901-HA",
                "kind": "primary_care",
                "street_address": "Hamngatan 3",
                "postal_code": "871 31",
                "city": "Norrsund",
                "phone": "0611-12 35 00",
                "opening_hours": [{"days": _WEEKDAYS, "hours": "07.30–16.30"}],
                "other_information_html": "",
                "eservices_active": True,
                "staff": [
                    ("Karl", "Lundmark"),
                    ("Ingrid", "Wallin"),
                    ("Fredrik", "Hedlund"),
                    ("Camilla", "Boström"),
                    ("Anders", "Vikström"),
                    ("Elin", "Sandberg"),
                    ("Tomas", "Ek"),
                    ("Jenny", "Marklund"),
                    ("Rolf", "Näslund"),
                ],
            },
            {
                "slug": "vardcentralen-bjorkby",
                "code": "BJ",
                "name": "Vårdcentralen Björkby",
                "hsa_id": "SE2321000901-BJ",
                "kind": "primary_care",
                "street_address": "Björkvägen 7",
                "postal_code": "872 40",
                "city": "Björkby",
                "phone": "0612-55 10 00",
                "opening_hours": [
                    {"days": "Måndag–torsdag", "hours": "08.00–16.30"},
                    {"days": "Fredag", "hours": "08.00–15.00"},
                ],
                "other_information_html": ("<p>Mottagningen har <em>begränsad tillgänglighet</em> under vecka 52.</p>"),
                "eservices_active": True,
                "staff": [
                    ("Annika", "Holmgren"),
                    ("Stefan", "Lindgren"),
                    ("Malin", "Westin"),
                    ("Oskar", "Edlund"),
                    ("Lena", "Björk"),
                    ("Karin", "Hägglund"),
                    ("David", "Engström"),
                    ("Sanna", "Lundqvist"),
                    ("Göran", "Forsberg"),
                ],
            },
        ],
    },
    {
        "slug": "region-vastera",
        "name": "Region Västerå",
        "service_offering": "per_unit",
        "organization_number": "232100-0902",
        "support_email": "e-tjanster@vastera.example",
        "admin": {
            "username": "vastera-admin",
            "hsa_id": "SE2321000902-ADM1",
            "given_name": "Patrik",
            "surname": "Almgren",
            "profession": "administrative",
            "email": "patrik.almgren@vastera.example",
        },
        "units": [
            {
                "slug": "vardcentralen-vastera-soder",
                "code": "VS",
                "name": "Vårdcentralen Västerå söder",
                "hsa_id": "SE2321000902-VS",
                "kind": "primary_care",
                "street_address": "Södra vägen 40",
                "postal_code": "652 20",
                "city": "Västerå",
                "phone": "054-61 20 00",
                "opening_hours": [{"days": _WEEKDAYS, "hours": "08.00–17.00"}],
                "other_information_html": (
                    "<p>Vi har <strong>drop-in för vaccination</strong> tisdagar 13–15.</p>"
                    "<ol><li>Ta en nummerlapp.</li><li>Vänta på ditt nummer.</li></ol>"
                ),
                "eservices_active": True,
                "staff": [
                    ("Eva", "Rosén"),
                    ("Magnus", "Kvist"),
                    ("Hanna", "Ek"),
                    ("Johan", "Sundin"),
                    ("Linda", "Blom"),
                    ("Frida", "Lund"),
                    ("Niklas", "Berglund"),
                    ("Åsa", "Holm"),
                    ("Per", "Wikström"),
                ],
            },
            {
                "slug": "barnmorskemottagningen-vastera",
                "code": "BM",
                "name": "Barnmorskemottagningen Västerå",
                "hsa_id": "SE2321000902-BM",
                "kind": "midwife",
                "street_address": "Kyrkogatan 9",
                "postal_code": "652 24",
                "city": "Västerå",
                "phone": "054-61 25 00",
                "opening_hours": [{"days": _WEEKDAYS, "hours": "08.30–16.00"}],
                "other_information_html": "",
                # Not yet connected: its page says e-services are not available.
                "eservices_active": False,
                "staff": [
                    ("Cecilia", "Norén"),
                    ("Erik", "Sjögren"),
                    ("Louise", "Dahlberg"),
                    ("Viktor", "Hellström"),
                    ("Moa", "Lindholm"),
                    ("Johanna", "Ekman"),
                    ("Kristina", "Moberg"),
                    ("Amir", "Haddad"),
                    ("Lisa", "Gran"),
                ],
            },
        ],
    },
    {
        "slug": "kliniknu",
        "name": "Kliniknu",
        "service_offering": "per_unit",
        "organization_number": "",
        "support_email": "hjalp@kliniknu.example",
        "admin": {
            "username": "kliniknu-admin",
            "hsa_id": "SE2321000903-ADM1",
            "given_name": "Nora",
            "surname": "Björklund",
            "profession": "administrative",
            "email": "nora.bjorklund@kliniknu.example",
        },
        "units": [
            {
                "slug": "kliniknu-digital",
                "code": "DG",
                "name": "Kliniknu digital mottagning",
                "hsa_id": "SE2321000903-DG",
                "kind": "digital",
                "street_address": "",
                "postal_code": "",
                "city": "",
                "phone": "010-100 20 00",
                "opening_hours": [{"days": "Alla dagar", "hours": "07.00–22.00"}],
                "other_information_html": (
                    "<p>Du kan söka vård hos oss <strong>oavsett var du är listad</strong>.</p>"
                ),
                "eservices_active": True,
                "staff": [
                    ("Sofia", "Lindblad"),
                    ("Alexander", "Berg"),
                    ("Julia", "Nordin"),
                    ("Mattias", "Söderlund"),
                    ("Elsa", "Hammar"),
                    ("Ebba", "Sjöstrand"),
                    ("Isak", "Wahlberg"),
                    ("Tove", "Lindén"),
                    ("Robin", "Axelsson"),
                ],
            },
            {
                "slug": "kliniknu-vaccination-centrum",
                "code": "VC",
                "name": "Kliniknu vaccination Centrum",
                "hsa_id": "SE2321000903-VC",
                "kind": "vaccination",
                "street_address": "Drottninggatan 21",
                "postal_code": "871 32",
                "city": "Norrsund",
                "phone": "010-100 21 00",
                "opening_hours": [
                    {"days": _WEEKDAYS, "hours": "09.00–18.00"},
                    {"days": "Lördag–söndag", "hours": "10.00–15.00"},
                ],
                "other_information_html": "<p>Drop-in utan tidsbokning. Barn från 2 år.</p>",
                "eservices_active": True,
                "staff": [("Alva", "Kjellberg"), ("Simon", "Rydberg")],
                "staff_template": [("nurse", ["unit_admin", "receiver", "handler"]), ("nurse", ["handler"])],
            },
            {
                "slug": "kliniknu-vaccination-vast",
                "code": "VV",
                "name": "Kliniknu vaccination Väst",
                "hsa_id": "SE2321000903-VV",
                "kind": "vaccination",
                "street_address": "Västra torget 2",
                "postal_code": "652 21",
                "city": "Västerå",
                "phone": "010-100 22 00",
                "opening_hours": [{"days": _WEEKDAYS, "hours": "10.00–18.00"}],
                "other_information_html": "",
                "eservices_active": True,
                "staff": [("Wilma", "Högberg"), ("Leo", "Sundqvist")],
                "staff_template": [("nurse", ["unit_admin", "receiver", "handler"]), ("nurse", ["handler"])],
            },
        ],
    },
    {
        # CMP-2: the region's patient board, an organisation of its own with its own inbox and staff.
        "slug": "patientnamnden-norrsund",
        "name": "Patientnämnden Region Norrsund",
        "service_offering": "per_unit",
        "organization_number": "",
        "support_email": "patientnamnden@norrsund.example",
        "admin": {
            "username": "patientnamnden-admin",
            "hsa_id": "SE2321000904-ADM1",
            "given_name": "Greta",
            "surname": "Falk",
            "profession": "administrative",
            "email": "greta.falk@norrsund.example",
        },
        "units": [
            {
                "slug": "patientnamnden-norrsund",
                "code": "PN",
                "name": "Patientnämnden Region Norrsund",
                "hsa_id": "SE2321000904-PN",
                "kind": "patient_board",
                "street_address": "Storgatan 5",
                "postal_code": "871 30",
                "city": "Norrsund",
                "phone": "010-100 30 00",
                "opening_hours": [{"days": _WEEKDAYS, "hours": "09.00–12.00"}],
                "other_information_html": "<p>Patientnämnden är fristående från vården och hjälper dig att få svar.</p>",
                "eservices_active": True,
                "staff": [("Hedda", "Lund"), ("Viktor", "Ek")],
                "staff_template": [("administrative", ["receiver", "handler"]), ("administrative", ["handler"])],
            },
        ],
    },
]

# --- residents -------------------------------------------------------------------------------

# Every demo identity is fetched from the population register (guardians bring their children).
REGISTER_NUMBERS = [
    ids.GUARDIAN,
    ids.GUARDIAN_2,
    ids.CHILD_8,
    ids.CHILD_14,
    ids.CHILD_17,
    ids.PROTECTED,
    ids.AGED_85,
    ids.COORDINATION,
    ids.RESIDENT_A,
    ids.RESIDENT_B,
    *ids.RESIDENTS,
]

_REGION_PRIMARY_CARE = [
    "vardcentralen-norrsund-centrum",
    "vardcentralen-hamnen",
    "vardcentralen-bjorkby",
    "vardcentralen-vastera-soder",
]

# personal number → slug of the vårdcentral the person is listed at.
LISTINGS = {
    ids.RESIDENT_A: UNIT_X_SLUG,
    ids.GUARDIAN: UNIT_X_SLUG,
    ids.GUARDIAN_2: UNIT_X_SLUG,
    ids.CHILD_8: UNIT_X_SLUG,
    ids.CHILD_14: UNIT_X_SLUG,
    ids.CHILD_17: UNIT_X_SLUG,
    ids.AGED_85: UNIT_X_SLUG,
    ids.COORDINATION: UNIT_X_SLUG,
    ids.PROTECTED: "vardcentralen-hamnen",
    ids.RESIDENT_B: UNIT_Y_SLUG,
    **{number: _REGION_PRIMARY_CARE[i % len(_REGION_PRIMARY_CARE)] for i, number in enumerate(ids.RESIDENTS)},
}

# ORG-2: what each unit of a per_unit provider chose to offer (provider_wide units offer everything).
_PRIMARY_CARE = [
    "prescription_renewal",
    "visit_rebook",
    "visit_cancel",
    "aids_diabetes",
    "aids_incontinence",
    "aids_stoma",
    "special_foods",
    "certificate_renew",
    "certificate_new",
    "complaint",
    "contact_unit",
]
_CONTRACEPTION = [
    "contraceptive_renew",
    "contraceptive_start",
    "contraceptive_change",
    "contraceptive_stop",
    "visit_rebook",
    "visit_cancel",
    "contact_unit",
]
UNIT_SERVICES = {
    "patientnamnden-norrsund": ["complaint"],
    "vardcentralen-vastera-soder": _PRIMARY_CARE,
    "barnmorskemottagningen-vastera": _CONTRACEPTION,
    "kliniknu-digital": ["prescription_renewal", "certificate_new", "complaint", "contact_unit", *_CONTRACEPTION[:4]],
    "kliniknu-vaccination-centrum": ["visit_rebook", "visit_cancel", "contact_unit"],
    "kliniknu-vaccination-vast": ["visit_rebook", "visit_cancel", "contact_unit"],
}
# ATT-4: services where the demo units let residents attach files.
ATTACHMENT_SERVICES = {"contact_unit"}
# ORG-7: a digital care provider takes residents regardless of listing or home region.
PROVIDERS_WITHOUT_LISTING = {"kliniknu"}
