"""English is complete (issue 11, item 15): with English chosen, no Swedish is shown.

Two halves. The catalogues: every English .po file of the project has a
translation for every entry and nothing marked fuzzy, so gettext never falls
back to the Swedish source text. The pages: each persona follows the links of
the product with the `django_language` cookie set to English (the crawl of
tests/test_navigation.py), and the visible text of every page it reaches
(tags, scripts and styles stripped) contains no å, ä or ö and none of a few
common Swedish words, apart from an explicit allow-list of proper names and
demo data. Every page also says `<html lang="en">`, the language it shows.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve

from tests.sessions import log_in_client, resident_identity, staff_identity
from tests.test_navigation import MAX_PER_ROUTE, SKIP_PREFIXES, attachment_folder, links_on, lived_in, not_linked

__all__ = ["attachment_folder", "lived_in"]  # fixtures used by the page tests

SRC = Path(__file__).resolve().parent.parent / "src" / "vardnav"
CATALOGUES = sorted(SRC.rglob("locale/en/LC_MESSAGES/django.po"))


# --- the catalogues -------------------------------------------------------------------------------------


def po_entries(path: Path) -> list[dict[str, str | bool]]:
    """The entries of a .po file: msgid, msgid_plural, each msgstr, and whether it is fuzzy.

    A tiny parser (the project has no polib): enough for the files gettext writes.
    """
    entries: list[dict[str, str | bool]] = []
    current: dict[str, str | bool] = {}
    key = ""

    def flush() -> None:
        if any(k.startswith("msgid") for k in current):
            entries.append(dict(current))
        current.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = ""
        elif line.startswith("#,"):
            if current.get("msgid") is not None and key:
                flush()
            current["fuzzy"] = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] = str(current[key]) + _unquote(line)
        else:
            word, _, rest = line.partition(" ")
            if word == "msgid" and "msgid" in current:
                flush()
            key = word
            current[key] = _unquote(rest)
    flush()
    return entries


def _unquote(text: str) -> str:
    return text.strip()[1:-1].encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def test_the_project_has_english_catalogues_for_the_main_locale_bookings_and_records():
    found = {path.relative_to(SRC).parts[0] for path in CATALOGUES}
    assert {"locale", "bookings", "records"} <= found


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: str(path.relative_to(SRC)))
def test_every_entry_of_an_english_catalogue_is_translated_and_none_is_fuzzy(catalogue):
    entries = [entry for entry in po_entries(catalogue) if entry.get("msgid")]
    assert entries, f"{catalogue} has no entries"
    fuzzy = [entry["msgid"] for entry in entries if entry.get("fuzzy")]
    empty = [
        entry["msgid"]
        for entry in entries
        if any(not entry[key] for key in entry if isinstance(key, str) and key.startswith("msgstr"))
    ]
    assert not fuzzy, f"fuzzy entries in {catalogue.relative_to(SRC)}: {fuzzy}"
    assert not empty, f"untranslated entries in {catalogue.relative_to(SRC)}: {empty}"


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: str(path.relative_to(SRC)))
def test_every_catalogue_is_well_formed_and_its_compiled_file_is_current(catalogue, tmp_path):
    """msgfmt --check passes without a warning (header included), and the committed .mo is what
    the .po compiles to: a translation edited but not compiled never reaches the page."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt is needed (Debian package gettext), as for compilemessages"
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(compiled), str(catalogue)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and not result.stderr, result.stderr
    assert compiled.read_bytes() == catalogue.with_suffix(".mo").read_bytes(), "run manage.py compilemessages"


# --- the pages ------------------------------------------------------------------------------------------

# Proper names that stay as they are in English, and the names of people and places of the demo.
# Swedish institutions named in English text keep their Swedish name in brackets: "(patientnämnden)".
NAMES = re.compile(
    r"Vårdnav|BankID|1177|Svenska|\(patientnämnden\)|\(verksamhetschef\)|\(vårdnadshavare\)|Lindqvist|Nyström|Åkesson|Sjöberg|Öberg|Ström|"
    r"Utslag|Ett utslag som inte går över\.?|utslag\.png"
)


def data_texts() -> list[str]:
    """Text that is data, written by providers or residents in Swedish and shown as it is, longest first.

    Unit, provider, e-service and visit type names, addresses, a unit's own information, the questions of
    a provider's questionnaires and people's names: a translation of the interface does not translate them.
    """
    from vardnav.bookings.models import VisitType
    from vardnav.catalog.models import Questionnaire, Service
    from vardnav.organizations.models import CareProvider, Staff, Unit
    from vardnav.people.models import Person
    from vardnav.prescriptions.models import Prescription

    texts: set[str] = set()
    texts.update(CareProvider.objects.values_list("name", flat=True))
    texts.update(Service.objects.values_list("name", flat=True))
    texts.update(VisitType.objects.values_list("name", flat=True))
    for items in Questionnaire.objects.values_list("items", flat=True):
        texts.update(_item_texts(items))
    for prescription in Prescription.objects.select_related("product"):
        texts.update([prescription.dosage, prescription.product.label])
    for unit in Unit.objects.all():
        texts.update([unit.name, unit.street_address, unit.city])
        own_information = _VisibleText()
        own_information.feed(unit.other_information_html)
        texts.update(own_information.parts)
        for row in unit.opening_hours or []:
            texts.update([str(row.get("days", "")), str(row.get("hours", ""))])
    for staff in Staff.objects.all():
        texts.update([staff.given_name, staff.surname])
    from vardnav.visits.models import TriageQuestionnaire

    for items in TriageQuestionnaire.objects.values_list("items", flat=True):
        texts.update(_item_texts(items))
    for person in Person.objects.all():
        texts.update([person.given_name, person.surname])
    from vardnav.records.models import Insurer

    texts.update(Insurer.objects.values_list("name", flat=True))  # company names
    return sorted((text for text in texts if text), key=len, reverse=True)


SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")
SWEDISH_WORDS = re.compile(
    r"\b(och|att|eller|för|med|inte|till|från|Skicka|ärende|ärenden|Logga|Mina|sidor|Tillbaka|Avbryt|Spara)\b"
)


def _item_texts(items: object) -> list[str]:
    """The question texts, help texts and answer options of a questionnaire's items, nested groups included."""
    found: list[str] = []
    if isinstance(items, list):
        for item in items:
            found.extend(_item_texts(item))
    elif isinstance(items, dict):
        for key, value in items.items():
            if key in ("text", "help", "display", "valueString") and isinstance(value, str):
                found.append(value)
            elif isinstance(value, (list, dict)):
                found.extend(_item_texts(value))
    return found


class _VisibleText(HTMLParser):
    """The text a reader sees: no tags, scripts, styles or templates; attribute text people read kept."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.depth += 1
        values = dict(attrs)
        for name in ("alt", "title", "placeholder", "aria-label"):
            if values.get(name):
                self.parts.append(str(values[name]))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth and data.strip():
            self.parts.append(" ".join(data.split()))


def swedish_on(html: str, data: list[str] = ()) -> list[str]:  # type: ignore[assignment]
    """The pieces of visible text that look Swedish once names and data are taken out."""
    parser = _VisibleText()
    parser.feed(html)
    flagged = []
    for part in parser.parts:
        rest = part
        for text in data:
            rest = rest.replace(text, "")
        rest = NAMES.sub("", rest)
        if SWEDISH_LETTERS.search(rest) or SWEDISH_WORDS.search(rest):
            flagged.append(part)
    return flagged


def test_the_check_flags_swedish_and_lets_english_and_names_through():
    html = (
        "<html><body><h1>Mina ärenden</h1><p>Send a message to Vårdcentralen Norrsund centrum</p>"
        "<script>var s = 'Skicka';</script><button aria-label='Stäng'>x</button></body></html>"
    )
    assert swedish_on(html, ["Vårdcentralen Norrsund centrum"]) == ["Mina ärenden", "Stäng"]


def english_pages(client: Client, start: str) -> dict[str, tuple[str, str]]:
    """Follow every same-site link from `start`; return each URL name reached with one URL and its HTML."""
    pages: dict[str, tuple[str, str]] = {}
    fetched_per_route: Counter[str] = Counter()
    seen: set[str] = set()
    queue = deque([start])
    while queue:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or path.startswith(SKIP_PREFIXES):
            continue
        seen.add(url)
        name = resolve(path).view_name
        if not_linked(name) or fetched_per_route[name] >= MAX_PER_ROUTE:
            continue
        fetched_per_route[name] += 1
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        assert response.status_code == 200, f"{url} ({name}) answered {response.status_code}"
        if response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            pages.setdefault(name, (url, html))
            queue.extend(links_on(html, path))
    return pages


PUBLIC = {"start", "organizations:unit_list", "organizations:unit_detail", "notifications:support", "identity:login"}
RESIDENT = PUBLIC - {"identity:login"} | {
    "my_pages",
    "identity:profile",
    "notifications:notices",
    "audit:log-extract",
    "cases:services",
    "cases:new",
    "cases:mine",
    "bookings:my_bookings",
    "records:my_journal",
}
STAFF = {"staff:home", "cases:inbox", "cases:staff_detail", "bookings:staff_day", "notifications:staff_notices"}
# Where each persona starts, and the pages it must at least reach (the crawl checks every page it reaches).
PERSONAS = [
    ("anonymous", "/", PUBLIC | {"staff:login"}),
    ("resident_a", "/", RESIDENT | {"cases:detail", "bookings:detail", "prescriptions:list", "prescriptions:renew"}),
    ("guardian", "/", RESIDENT | {"identity:choose_person"}),
    ("receiver_x", "/personal/", STAFF),
    (
        "booking_admin_x",
        "/personal/",
        {
            "staff:home",
            "bookings:staff_day",
            "bookings:staff_week",
            "bookings:staff_publish",
            "bookings:staff_extra_time",
        },
    ),
    ("handler_x", "/personal/", STAFF),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "start", "expected"), PERSONAS)
def test_with_english_chosen_every_page_a_persona_reaches_is_in_english(request, lived_in, persona, start, expected):
    client = Client()
    client.cookies["django_language"] = "en"
    if persona != "anonymous":
        subject = request.getfixturevalue(f"demo_{persona}")
        if persona in {"resident_a", "guardian"}:
            identity = resident_identity(subject)
        else:
            role = {"receiver_x": "receiver", "handler_x": "handler", "booking_admin_x": "booking_admin"}[persona]
            identity = staff_identity(subject, unit=request.getfixturevalue("demo_unit_x"), role=role)
        log_in_client(client, identity)

    pages = english_pages(client, start)

    assert expected <= set(pages), f"{persona} did not reach: {sorted(expected - set(pages))}"
    data = data_texts()
    wrong_lang = [url for url, html in pages.values() if '<html lang="en">' not in html]
    swedish = {f"{name} {url}": found for name, (url, html) in pages.items() if (found := swedish_on(html, data))}
    assert not wrong_lang, f"pages not marked lang=en: {wrong_lang}"
    assert not swedish, "Swedish text with English chosen:\n" + "\n".join(
        f"{page}: {texts}" for page, texts in sorted(swedish.items())
    )


# --- labels defined in code, outside templates and forms ------------------------------------------------


def test_labels_made_in_code_are_translated_flags_and_provider_policies():
    """Staff flag labels (every service's and the engine's own) and the policy labels the settings and the
    admin show have an English text in a catalogue, read in the language of the page (issue 11, item 15)."""
    from django.utils import translation

    from vardnav.cases.hooks import flag_labels
    from vardnav.organizations.models import ServiceOffering
    from vardnav.prescriptions.models import NarcoticsPolicy

    def labels() -> dict[str, str]:
        found = {f"flag {code}": str(label) for code, label in flag_labels().items()}
        for choices in (ServiceOffering, NarcoticsPolicy):
            found |= {f"{choices.__name__} {value}": str(label) for value, label in choices.choices}
        return found

    with translation.override("sv"):
        swedish = labels()
    with translation.override("en"):
        english = labels()
    assert len(english) >= 10
    untranslated = sorted(
        name for name in english if english[name] == swedish[name] or re.search("[åäöÅÄÖ]", english[name])
    )
    assert not untranslated, f"no English translation: {untranslated}"
