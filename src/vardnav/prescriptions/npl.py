"""Read products from Läkemedelsverket's NPL XML export (one XML file per product).

The element names were not verified against the official schema (see
docs/decisions/0007-drug-register.md); those seen in a public parser are used
(mpa:nplid, mpa:atc-code-lx v="…"), the others are assumptions written in the
same style. Matching is on local names, so the namespace URIs do not matter:

    <npl:medprod>                                   one product (or the file's root)
      <mpa:nplid>…</mpa:nplid>                      NPL-id
      <mpa:tradename>Levaxin</mpa:tradename>        product name as sold
      <mpa:strength-text>50 mikrog</mpa:strength-text>
      <mpa:pharmaceutical-form-lx v="TAB" dn="Tablett"/>   form: dn (display name), else v
      <mpa:atc-code-lx v="H03AA01"/>
      <mpa:narcotic-class-lx v="IV"/>               I–V (roman or 1–5); 0, NA or absent: none
      <mpa:substance-name>levotyroxinnatrium</mpa:substance-name>   one per active substance
      <mpa:mah><mpa:orgname>Takeda Pharma AB</mpa:orgname></mpa:mah>
      <mpa:marketed v="true"/>                      false: not offered for renewal
    </npl:medprod>

A value is read from the element's `v` attribute, else its `mpa:v` child, else
its text. Files are parsed with defusedxml: no entities, no network.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

PRODUCT_ELEMENT = "medprod"
ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find_all(element: Element, name: str) -> list[Element]:
    return [child for child in element.iter() if _local(child.tag) == name]


def _value(element: Element | None) -> str:
    if element is None:
        return ""
    if element.get("v") is not None:
        return element.get("v", "").strip()
    for child in element:
        if _local(child.tag) == "v":
            return (child.text or "").strip()
    return (element.text or "").strip()


def _first(element: Element, *names: str) -> Element | None:
    for name in names:
        found = _find_all(element, name)
        if found:
            return found[0]
    return None


def _narcotic_class(raw: str) -> str:
    value = raw.strip().upper()
    value = ROMAN.get(value, value)
    return value if value in {"I", "II", "III", "IV", "V"} else ""


def product_from_element(element: Element) -> dict[str, Any]:
    form = _first(element, "pharmaceutical-form-lx", "pharmaceutical-form-text")
    marketed = _value(_first(element, "marketed")).lower()
    return {
        "npl_id": _value(_first(element, "nplid")),
        "name": _value(_first(element, "tradename", "product-name")),
        "strength": _value(_first(element, "strength-text")),
        "form": (form.get("dn") or _value(form)) if form is not None else "",
        "atc_code": _value(_first(element, "atc-code-lx")),
        "narcotic_class": _narcotic_class(_value(_first(element, "narcotic-class-lx"))),
        "substances": ", ".join(_value(e) for e in _find_all(element, "substance-name") if _value(e)),
        "manufacturer": _value(_first(element, "orgname")),
        "is_active": marketed not in ("false", "0", "nej"),
    }


def read_npl_file(path: Path) -> Iterator[dict[str, Any]]:
    root = ElementTree.parse(path).getroot()
    products = [root] if _local(root.tag) == PRODUCT_ELEMENT else _find_all(root, PRODUCT_ELEMENT)
    for element in products:
        yield product_from_element(element)


def read_npl(path: Path) -> Iterator[dict[str, Any]]:
    """Every product in a file, or in every *.xml file of a directory (sorted, for repeatable runs)."""
    files = sorted(path.rglob("*.xml")) if path.is_dir() else [path]
    for file in files:
        yield from read_npl_file(file)
