"""The BgMax parser (Bankgirot's payment file): record layout, structure and totals."""

from __future__ import annotations

import datetime as dt

import pytest

from vardnav.billing import bgmax

DAY = dt.date(2026, 12, 4)


def a_file(*payments: bgmax.OutgoingPayment) -> bytes:
    return bgmax.write(list(payments), payee_bankgiro="9912346", day=DAY)


def test_a_file_gives_each_payment_with_its_ocr_amount_and_serial():
    parsed = bgmax.parse(
        a_file(bgmax.OutgoingPayment("10000017", 250_00, "11"), bgmax.OutgoingPayment("", 99, "12", reference_code="1"))
    )
    assert parsed.test and len(parsed.deposits) == 1
    deposit = parsed.deposits[0]
    assert deposit.payee_bankgiro == "9912346" and deposit.payment_date == DAY and deposit.amount_ore == 250_99
    first, second = deposit.payments
    assert (first.reference, first.amount_ore, first.serial, first.line) == ("10000017", 250_00, "000000000011", 3)
    assert first.ocr_candidates() == [("10000017", 250_00)]
    assert second.ocr_candidates() == []  # reference code 1: no OCR, goes to the staff's list


def test_extra_references_of_a_payment_with_several_are_candidates():
    lines = a_file(bgmax.OutgoingPayment("", 300_00, "5", reference_code="3")).decode("iso-8859-1").splitlines()
    extra = f"22{'0':0>10}{'10000017':>25}{100_00:018d}21{'5':0>12}0".ljust(80)
    extra2 = f"22{'0':0>10}{'10000025':>25}{200_00:018d}21{'5':0>12}0".ljust(80)
    lines[3:3] = [extra, extra2]
    lines[-1] = f"70{1:08d}{0:08d}{2:08d}{1:08d}".ljust(80)
    parsed = bgmax.parse("\r\n".join(lines))
    assert parsed.payments[0].ocr_candidates() == [("10000017", 100_00), ("10000025", 200_00)]


@pytest.mark.parametrize(
    ("mutate", "line", "words"),
    [
        (lambda lines: lines.__setitem__(2, lines[2][:40] + "12x4" + lines[2][44:]), 3, "digits"),
        (lambda lines: lines.__setitem__(0, "01NOTBGMAX".ljust(80)), 1, "start"),
        (lambda lines: lines.__delitem__(1), 2, "outside a deposit"),
        (lambda lines: lines.__setitem__(3, lines[3][:54] + "9" + lines[3][55:]), 4, "sum"),
        (lambda lines: lines.__setitem__(4, "70" + "00000009" + lines[4][10:]), 5, "end record counts"),
        (lambda lines: lines.pop(), 4, "no end record"),
        (lambda lines: lines.__setitem__(2, lines[2] + "extra"), 3, "at most 80"),
    ],
)
def test_a_malformed_file_is_refused_with_the_line_number(mutate, line, words):
    lines = a_file(bgmax.OutgoingPayment("10000017", 250_00, "11")).decode("iso-8859-1").splitlines()
    mutate(lines)
    with pytest.raises(bgmax.BgMaxError) as refused:
        bgmax.parse("\r\n".join(lines))
    assert refused.value.line == line
    assert words in refused.value.message


def test_an_empty_file_and_unknown_record_types():
    with pytest.raises(bgmax.BgMaxError):
        bgmax.parse(b"")
    lines = a_file(bgmax.OutgoingPayment("10000017", 1_00, "1")).decode("iso-8859-1").splitlines()
    lines.insert(3, "99 a record type the manual says to skip".ljust(80))
    assert bgmax.parse("\n".join(lines)).payments[0].amount_ore == 1_00
