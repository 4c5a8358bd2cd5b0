"""The drug register's rules: classification, normalised search and naming a product (RX-3).

Why one module: the renewal form, the type-ahead endpoint, the API and the
prescriber's approval must agree exactly on what counts as "a real product".
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from vardnav.prescriptions.errors import PrescriptionError
from vardnav.prescriptions.models import Product

# ATC prefixes whose products are addictive (RX-4), besides any narcotic of list II–IV.
ADDICTIVE_ATC_PREFIXES = ("N02A", "N05BA", "N05CD", "N05CF", "N06BA", "N03AX16", "N03AE01", "N07BC")
ADDICTIVE_NARCOTIC_CLASSES = {"II", "III", "IV"}
ANTIBIOTIC_ATC_PREFIXES = ("J01",)
CONTRACEPTIVE_ATC_PREFIXES = ("G03A", "G02B")

# Marketing-authorisation holders and parallel importers whose names residents
# type instead of the product's (the seed: "it is not possible to ask for 'Teva'
# or 'Sandoz'"). Normalised like search text.
MANUFACTURERS = frozenset(
    {
        "teva", "sandoz", "mylan", "orion", "actavis", "krka", "accord", "stada", "viatris", "bluefish",
        "1a farma", "ratiopharm", "hexal", "zentiva", "aurobindo", "medical valley", "orifarm", "paranova",
        "abacus medicine", "ebb medical", "glenmark", "sun pharma", "pfizer", "novartis", "astrazeneca",
        "takeda", "bayer", "msd", "gsk", "glaxosmithkline", "sanofi", "abcur", "meda", "alternova", "jubilant",
        "evolan", "unimedic", "apotek", "apoteket", "generic", "generika", "2care4", "cross pharma",
        "medartuum", "omega pharma", "nordic drugs", "navamedic", "recip", "grindeks", "zydus",
    }
)  # fmt: skip
# Words that describe a package rather than name a product: dropped before the manufacturer test.
PACKAGE_WORDS = frozenset(
    {
        "mg", "g", "mikrog", "ug", "ml", "ie", "e", "st", "tablett", "tabletter", "tabl", "kapsel", "kapslar",
        "depottablett", "depottabletter", "filmdragerad", "filmdragerade", "losning", "kram", "salva", "spray",
        "brustablett", "brustabletter", "och", "fran", "av", "generisk", "generiska", "ab", "as", "oy", "gmbh",
    }
)  # fmt: skip

SUGGESTION_COUNT = 8
MAX_QUERY_LENGTH = 120


@dataclass(frozen=True)
class Flags:
    antibiotic: bool
    addictive: bool
    contraceptive: bool


def classify(atc_code: str, narcotic_class: str) -> Flags:
    atc = (atc_code or "").strip().upper()
    return Flags(
        antibiotic=atc.startswith(ANTIBIOTIC_ATC_PREFIXES),
        addictive=atc.startswith(ADDICTIVE_ATC_PREFIXES) or narcotic_class in ADDICTIVE_NARCOTIC_CLASSES,
        contraceptive=atc.startswith(CONTRACEPTIVE_ATC_PREFIXES),
    )


def normalise(text: str) -> str:
    """Lower case, no diacritics, decimal commas as points, one space between words: 'Kåvepenin 1 g' → 'kavepenin 1 g'."""
    decomposed = unicodedata.normalize("NFKD", str(text).lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"(\d),(\d)", r"\1.\2", plain)
    return " ".join(re.sub(r"[^a-z0-9.+/%-]+", " ", plain).split())


def search_text(name: str, strength: str, form: str, substances: str) -> str:
    return normalise(f"{name} {strength} {form} {substances}")[:900]


def _tokens(query: str) -> list[str]:
    return normalise(query[:MAX_QUERY_LENGTH]).split()[:8]


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def active_products() -> QuerySet[Product]:
    return Product.objects.filter(is_active=True)


def search_products(query: str, limit: int = 10) -> list[Product]:
    """Type-ahead (RX-3): products whose text contains every word typed, names starting with it first.

    On PostgreSQL a trigram word-similarity match (GIN index, migration 0002)
    also finds misspellings; on SQLite a close-spelling fallback does that work
    over the products sharing the first letters.
    """
    tokens = _tokens(query)
    limit = max(1, min(int(limit), 50))
    if not tokens or len("".join(tokens)) < 2:
        return []
    condition = Q()
    for token in tokens:
        condition &= Q(search_name__contains=token)
    joined = " ".join(tokens)
    ranked = active_products().annotate(
        rank=Case(
            When(search_name__startswith=joined, then=Value(0)),
            When(name_key__startswith=tokens[0], then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    found: list[Product] = list(ranked.filter(condition).order_by("rank", "name", "strength", "form")[:limit])
    if found:
        return found
    return _similar_products(joined, limit)


def _similar_products(joined: str, limit: int) -> list[Product]:
    if _is_postgres():
        from django.contrib.postgres.search import TrigramWordSimilarity

        return list(
            active_products()
            .annotate(similarity=TrigramWordSimilarity(joined, "search_name"))
            .filter(similarity__gte=0.4)
            .order_by("-similarity", "name", "strength")[:limit]
        )
    head = joined.split()[0]
    candidates = list(active_products().filter(name_key__startswith=head[:2])[:500])
    scored = [
        (difflib.SequenceMatcher(None, joined, product.search_name[: len(joined) + 4]).ratio(), product)
        for product in candidates
    ]
    return [product for score, product in sorted(scored, key=lambda pair: (-pair[0], pair[1].label)) if score >= 0.6][
        :limit
    ]


def is_manufacturer_only(query: str) -> bool:
    """'Teva', 'sandoz 50 mg', '1A Farma tabletter': a company name and package words, no product name."""
    words = [w for w in _tokens(query) if w not in PACKAGE_WORDS and not re.fullmatch(r"[\d.,/%]+", w)]
    if not words:
        return False
    text = " ".join(words)
    if text in MANUFACTURERS:
        return True
    return all(word in MANUFACTURERS or any(word in m.split() for m in MANUFACTURERS) for word in words)


@dataclass(frozen=True)
class ProductChoice:
    """What a resident's answer names: one exact product, or every strength and form of one product name."""

    products: tuple[Product, ...]

    @property
    def exact(self) -> Product | None:
        return self.products[0] if len(self.products) == 1 else None

    @property
    def name(self) -> str:
        return self.products[0].name

    @property
    def is_antibiotic(self) -> bool:
        return any(p.is_antibiotic for p in self.products)

    @property
    def is_addictive(self) -> bool:
        return any(p.is_addictive for p in self.products)

    @property
    def is_narcotic(self) -> bool:
        return any(p.is_narcotic for p in self.products)

    @property
    def is_contraceptive(self) -> bool:
        return any(p.is_contraceptive for p in self.products)


def find_product_choice(answer: str) -> ProductChoice | None:
    """The product an answer names: an NPL-id, a full label from the list, or a product name (any strength)."""
    text = " ".join(str(answer or "").split())[:MAX_QUERY_LENGTH]
    if not text:
        return None
    by_id = active_products().filter(npl_id=text).first()
    if by_id is not None:
        return ProductChoice((by_id,))
    key = normalise(text)
    candidates = list(active_products().filter(search_name__startswith=key).order_by("name", "strength", "form")[:200])
    exact = [p for p in candidates if key in (normalise(p.label), normalise(f"{p.name} {p.strength}"))]
    if exact:
        return ProductChoice((exact[0],))
    same_name = [p for p in candidates if p.name_key == key]
    if same_name:
        return ProductChoice(tuple(same_name))
    # "Levaxin 50" when only one product starts that way: unambiguous, so accepted.
    if len(candidates) == 1 and key.startswith(candidates[0].name_key):
        return ProductChoice((candidates[0],))
    return None


def check_product_choice(answer: str, *, field: str) -> ProductChoice:
    """RX-3: refuse a manufacturer's name and any name that is not in the register, with suggestions."""
    text = " ".join(str(answer or "").split())
    choice = find_product_choice(text)
    if choice is not None:
        return choice
    if is_manufacturer_only(text):
        raise PrescriptionError.MANUFACTURER_NOT_PRODUCT.error(field=field, name=text)
    suggestions = search_products(text, limit=SUGGESTION_COUNT)
    hint = (
        _("Menade du: %(names)s?") % {"names": "; ".join(p.label for p in suggestions)}
        if suggestions
        else _("Kontrollera stavningen mot förpackningen.")
    )
    raise PrescriptionError.UNKNOWN_PRODUCT.error(field=field, name=text, hint=hint)
