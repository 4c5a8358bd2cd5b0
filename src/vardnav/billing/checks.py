"""Checking and normalising what staff type into the fee schedule."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from vardnav.billing.errors import BillingError
from vardnav.billing.models import ContactKind
from vardnav.core import clock
from vardnav.organizations.models import Profession

MAX_AMOUNT_ORE = 10_000_000  # 100 000 kr: far above any patient fee, and the model's check constraint
_AMOUNT = re.compile(r"^(\d{1,6})(?:[.,](\d{1,2}))?$")


def check_amount_ore(value: Any, *, field: str = "amount") -> int:
    """ "100", "87,50", "87.5" or an integer number of öre from the API → öre; never floats."""
    if isinstance(value, bool):
        raise BillingError.INVALID_AMOUNT.error(field=field)
    if isinstance(value, int):
        ore = value
    else:
        match = _AMOUNT.match(str(value).strip().replace("\u00a0", "").replace(" ", ""))
        if match is None:
            raise BillingError.INVALID_AMOUNT.error(field=field)
        ore = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    if not 0 <= ore <= MAX_AMOUNT_ORE:
        raise BillingError.INVALID_AMOUNT.error(field=field)
    return ore


def check_profession(value: Any, *, field: str = "profession") -> str:
    if value not in Profession.values:
        raise BillingError.INVALID_PROFESSION.error(field=field)
    return str(value)


def check_contact_kind(value: Any, *, field: str = "contact_kind") -> str:
    if value not in ContactKind.values:
        raise BillingError.INVALID_CONTACT_KIND.error(field=field)
    return str(value)


def check_child_age(value: Any, *, field: str = "child_free_under_age") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 25:
        raise BillingError.INVALID_CHILD_AGE.error(field=field)
    return value


MAX_RETURN_WINDOW_DAYS = 30  # VISIT-3's revisit period: a free return never outlasts it


def check_return_window(value: Any, *, field: str = "return_window_days") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RETURN_WINDOW_DAYS:
        raise BillingError.INVALID_RETURN_WINDOW.error(field=field)
    return value


_CARD_NUMBER = re.compile(r"^[A-Z0-9-]{4,20}$")
MAX_CARD_DAYS = 366  # a frikort runs to the end of a twelve-month period


def check_card_number(value: Any, *, field: str = "card_number") -> str:
    text = str(value or "").strip().upper().replace(" ", "")
    if not _CARD_NUMBER.match(text):
        raise BillingError.INVALID_CARD_NUMBER.error(field=field)
    return text


def check_issuer(value: Any, *, field: str = "issuer") -> str:
    text = str(value or "").strip()
    if not 2 <= len(text) <= 100:
        raise BillingError.INVALID_ISSUER.error(field=field)
    return text


def check_card_period(valid_from: dt.date, valid_until: dt.date) -> None:
    """A frikort covers at most twelve months and must still be valid today."""
    if valid_until < valid_from or (valid_until - valid_from).days >= MAX_CARD_DAYS:
        raise BillingError.INVALID_CARD_PERIOD.error(field="valid_until")
    if valid_until < clock.today():
        raise BillingError.CARD_EXPIRED.error(field="valid_until")


def check_credit_reason(value: Any, *, field: str = "reason") -> str:
    """Why an invoice is credited, in a few words (no health data: it is printed on the credit note)."""
    text = " ".join(str(value or "").split())
    if not 3 <= len(text) <= 300:
        raise BillingError.INVALID_CREDIT_REASON.error(field=field)
    return text


def check_swish_phone(value: Any) -> str:
    """A Swedish mobile number as Swish's payerAlias wants it: country code and number, digits only
    (e.g. 46701234567). Anything else is refused at the field."""
    import phonenumbers

    text = str(value or "").strip()[:30]
    try:
        number = phonenumbers.parse(text, "SE")
    except phonenumbers.NumberParseException:
        raise BillingError.DESK_PHONE_INVALID.error(field="phone") from None
    if (
        not phonenumbers.is_valid_number(number)
        or number.country_code != 46
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise BillingError.DESK_PHONE_INVALID.error(field="phone")
    return f"{number.country_code}{number.national_number}"
