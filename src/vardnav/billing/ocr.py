"""OCR payment references (Bankgirot "OCR-referenskontroll"): digits only, 2 to 25 long, the last
digit a mod-10 (Luhn) check digit and the one before it a length digit, (total length) mod 10,
itself included in the check digit's sum. With "hård kontroll och variabel längd" the bank refuses a
reference whose check or length digit is wrong, so every reference Vårdnav prints is made here and
every reference read from a payment is validated here.

Worked example (Bankgirot's rules): the base 00720191224200 becomes 0072019122420063 (length 16
gives the length digit 6, Luhn over the rest gives 3).
"""

from __future__ import annotations

MIN_LENGTH = 2
MAX_LENGTH = 25


def luhn_check_digit(digits: str) -> int:
    """The digit that makes `digits` + it pass the Luhn test (weights 2,1,2,… from the right)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def make_ocr(base: str) -> str:
    """`base` followed by the length digit and the check digit."""
    if not base.isdigit() or not base.isascii():
        raise ValueError("an OCR base is digits only")
    length = len(base) + 2
    if length > MAX_LENGTH:
        raise ValueError(f"an OCR reference is at most {MAX_LENGTH} digits")
    with_length = base + str(length % 10)
    return with_length + str(luhn_check_digit(with_length))


def is_valid_ocr(reference: str, *, length_digit: bool = True) -> bool:
    """True when `reference` is 2–25 digits with a correct check digit (and length digit)."""
    if not reference.isascii() or not reference.isdigit():
        return False
    if not MIN_LENGTH <= len(reference) <= MAX_LENGTH:
        return False
    if luhn_check_digit(reference[:-1]) != int(reference[-1]):
        return False
    return not length_digit or (len(reference) >= 3 and int(reference[-2]) == len(reference) % 10)


def normalise_ocr(raw: str) -> str:
    """What a payer typed or a bank file carried, without spaces (BgMax right-aligns with spaces)."""
    return "".join(raw.split())


def invoice_ocr(case_id: int) -> str:
    """The invoice's OCR reference: "1" (an invoice, not another kind of payment) and the case
    number padded to seven digits, then the two control digits. One per case, so unique."""
    return make_ocr(f"1{case_id:07d}")
