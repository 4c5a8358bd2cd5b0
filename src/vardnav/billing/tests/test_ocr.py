"""OCR references (FEE-6's payment by invoice): Luhn check digit and length digit, per Bankgirot."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vardnav.billing.ocr import invoice_ocr, is_valid_ocr, luhn_check_digit, make_ocr, normalise_ocr


def test_bankgirot_worked_example() -> None:
    # The ocrgenerator README's example: base 00720191224200, length 16 → 6, Luhn → 3.
    assert make_ocr("00720191224200") == "0072019122420063"
    assert is_valid_ocr("0072019122420063")


@given(st.text(alphabet="0123456789", min_size=1, max_size=23))
def test_every_made_reference_validates_and_carries_its_length(base: str) -> None:
    ocr = make_ocr(base)
    assert ocr.startswith(base)
    assert len(ocr) == len(base) + 2
    assert int(ocr[-2]) == len(ocr) % 10
    assert is_valid_ocr(ocr)


@given(st.text(alphabet="0123456789", min_size=1, max_size=23), st.data())
def test_one_changed_digit_is_refused(base: str, data: st.DataObject) -> None:
    ocr = make_ocr(base)
    position = data.draw(st.integers(min_value=0, max_value=len(ocr) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != ocr[position]]))
    assert not is_valid_ocr(ocr[:position] + wrong + ocr[position + 1 :])


def test_length_digit_checked_separately() -> None:
    # 12-digit reference with a correct Luhn digit but a wrong length digit (3 instead of 2).
    body = "12345678903"
    reference = body + str(luhn_check_digit(body))
    assert is_valid_ocr(reference, length_digit=False)
    assert not is_valid_ocr(reference)


@pytest.mark.parametrize("bad", ["", "1", "12a4", "1" * 26, "١٢٣", " 123"])
def test_malformed_references_are_refused(bad: str) -> None:
    assert not is_valid_ocr(bad)


def test_make_refuses_what_cannot_be_a_reference() -> None:
    with pytest.raises(ValueError):
        make_ocr("12x")
    with pytest.raises(ValueError):
        make_ocr("1" * 24)


def test_invoice_references_are_unique_per_case_and_valid() -> None:
    references = {invoice_ocr(case_id) for case_id in range(1, 2000)}
    assert len(references) == 1999
    assert all(is_valid_ocr(ref) for ref in references)
    assert normalise_ocr("   1000004208") == "1000004208"
