"""A parser for Bankgirot's payment file, BgMax (Bankgiro Inbetalningar).

One record per line, 80 characters, ISO-8859-1; the first two characters are the
transaction code (TK). The file is `01 (05 (20|21 (22|23)* 25* 26? 27? 28? 29?)+ 15)+ 70`:
a start record, deposits (an opening record, payments, a deposit record with the
deposit's count and sum) and an end record with the file's counts. Positions below
are 1-based and inclusive, as in Bankgirot's manual "Bankgiro Inbetalningar –
Teknisk manual"; amounts are in öre.

The file is refused whole, naming the line, when a record is malformed, out of
order, or when a deposit's or the file's counts and sums do not add up: nothing of
a broken file is booked. Unknown record types are skipped, as the manual asks.

Matching (done by the caller): a payment with reference code 2 (a correct OCR
reference) is matched by OCR; with code 3 each extra reference (TK22, code 2) is
tried; the rest go to the staff's list of unmatched payments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

RECORD_LENGTH = 80

# Reference codes (TK20/21/22/23 position 56).
REFERENCE_OCR = "2"
REFERENCE_SEVERAL = "3"


class BgMaxError(ValueError):
    """The file is refused; `line` is the 1-based line number (0 for the file as a whole)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class ExtraReference:
    reference: str
    reference_code: str
    amount_ore: int  # negative for TK23


@dataclass
class BgMaxPayment:
    line: int
    payer_bankgiro: str
    reference: str
    reference_code: str
    amount_ore: int  # negative for a deduction (TK21)
    channel: str
    serial: str  # BGC's serial number, unique per payment
    deduction: bool = False
    extra_references: list[ExtraReference] = field(default_factory=list)
    payer_name: str = ""
    information: list[str] = field(default_factory=list)

    def ocr_candidates(self) -> list[tuple[str, int]]:
        """The OCR references this payment may be matched by, with the amount for each."""
        if self.reference_code == REFERENCE_OCR and self.reference:
            return [(self.reference, self.amount_ore)]
        if self.reference_code == REFERENCE_SEVERAL:
            return [
                (extra.reference, extra.amount_ore)
                for extra in self.extra_references
                if extra.reference_code == REFERENCE_OCR and extra.reference and extra.amount_ore > 0
            ]
        return []


@dataclass
class BgMaxDeposit:
    line: int
    payee_bankgiro: str
    currency: str
    payments: list[BgMaxPayment] = field(default_factory=list)
    payment_date: dt.date | None = None
    deposit_serial: str = ""
    amount_ore: int = 0


@dataclass
class BgMaxFile:
    timestamp: str
    test: bool
    deposits: list[BgMaxDeposit] = field(default_factory=list)

    @property
    def payments(self) -> list[BgMaxPayment]:
        return [payment for deposit in self.deposits for payment in deposit.payments]


def _field(line: str, start: int, end: int) -> str:
    """Positions `start`..`end`, 1-based and inclusive, as the manual writes them."""
    return line[start - 1 : end]


def _digits(number: int, line: str, start: int, end: int, what: str) -> int:
    text = _field(line, start, end)
    if not text.isdigit() or not text.isascii():
        raise BgMaxError(number, f"{what} (positions {start}–{end}) must be digits, not {text.strip()!r}")
    return int(text)


def _payment(number: int, line: str, tk: str) -> BgMaxPayment:
    amount = _digits(number, line, 38, 55, "the amount")
    reference_code = _field(line, 56, 56)
    if reference_code not in "012345" or not reference_code:
        raise BgMaxError(number, f"unknown reference code {reference_code!r}")
    serial = _field(line, 58, 69).strip()
    if not serial.isdigit():
        raise BgMaxError(number, "the BGC serial number (positions 58–69) must be digits")
    return BgMaxPayment(
        line=number,
        payer_bankgiro=str(_digits(number, line, 3, 12, "the payer's bankgiro number")),
        reference=_field(line, 13, 37).strip(),
        reference_code=reference_code,
        amount_ore=-amount if tk == "21" else amount,
        channel=_field(line, 57, 57),
        serial=serial,
        deduction=tk == "21",
    )


def parse(data: bytes | str) -> BgMaxFile:
    """Parse a whole BgMax file, or raise BgMaxError naming the first bad line."""
    text = data.decode("iso-8859-1") if isinstance(data, bytes) else data
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise BgMaxError(0, "the file is empty")
    parsed: BgMaxFile | None = None
    deposit: BgMaxDeposit | None = None
    payment: BgMaxPayment | None = None
    counts = {"payments": 0, "deductions": 0, "extra": 0, "deposits": 0}
    ended = False
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r")
        if ended:
            raise BgMaxError(number, "records after the end record (TK70)")
        if len(line.rstrip()) > RECORD_LENGTH:
            raise BgMaxError(number, f"a record is at most {RECORD_LENGTH} characters")
        line = line.ljust(RECORD_LENGTH)
        tk = line[:2]
        if parsed is None:
            if tk != "01" or _field(line, 3, 22).strip() != "BGMAX":
                raise BgMaxError(number, "the file must start with a BGMAX start record (TK01)")
            test_marker = _field(line, 45, 45)
            if test_marker not in ("T", "P"):
                raise BgMaxError(number, "the start record must say T (test) or P (production) in position 45")
            parsed = BgMaxFile(timestamp=_field(line, 25, 44).strip(), test=test_marker == "T")
            continue
        if tk == "01":
            raise BgMaxError(number, "a second start record (TK01)")
        if tk == "05":
            if deposit is not None:
                raise BgMaxError(number, "an opening record (TK05) before the previous deposit's TK15")
            deposit = BgMaxDeposit(
                line=number,
                payee_bankgiro=str(_digits(number, line, 3, 12, "the payee's bankgiro number")),
                currency=_field(line, 23, 25).strip() or "SEK",
            )
            payment = None
        elif tk in ("20", "21"):
            if deposit is None:
                raise BgMaxError(number, f"a payment record (TK{tk}) outside a deposit (no TK05 before it)")
            payment = _payment(number, line, tk)
            deposit.payments.append(payment)
            counts["deductions" if tk == "21" else "payments"] += 1
        elif tk in ("22", "23"):
            if payment is None:
                raise BgMaxError(number, f"an extra reference (TK{tk}) without a payment before it")
            amount = _digits(number, line, 38, 55, "the amount")
            payment.extra_references.append(
                ExtraReference(_field(line, 13, 37).strip(), _field(line, 56, 56), -amount if tk == "23" else amount)
            )
            counts["extra"] += 1
        elif tk in ("25", "26", "27", "28", "29"):
            if payment is None:
                raise BgMaxError(number, f"a record TK{tk} without a payment before it")
            if tk == "25":
                payment.information.append(_field(line, 3, 52).strip())
            elif tk == "26":
                payment.payer_name = _field(line, 3, 37).strip()
        elif tk == "15":
            if deposit is None:
                raise BgMaxError(number, "a deposit record (TK15) without an opening record (TK05)")
            date_text = _field(line, 38, 45)
            try:
                deposit.payment_date = dt.date(int(date_text[:4]), int(date_text[4:6]), int(date_text[6:8]))
            except ValueError:
                raise BgMaxError(number, f"the payment date (positions 38–45) is not a date: {date_text!r}") from None
            deposit.deposit_serial = _field(line, 46, 50).strip()
            deposit.amount_ore = _digits(number, line, 51, 68, "the deposit amount")
            count = _digits(number, line, 72, 79, "the number of payments")
            if count != len(deposit.payments):
                raise BgMaxError(number, f"the deposit says {count} payments but {len(deposit.payments)} were listed")
            total = sum(p.amount_ore for p in deposit.payments)
            if total != deposit.amount_ore:
                raise BgMaxError(
                    number, f"the deposit's sum {deposit.amount_ore} öre differs from its payments' {total} öre"
                )
            parsed.deposits.append(deposit)
            counts["deposits"] += 1
            deposit = None
            payment = None
        elif tk == "70":
            if deposit is not None:
                raise BgMaxError(number, "the end record (TK70) inside an open deposit (no TK15)")
            expected = {
                "payments": _digits(number, line, 3, 10, "the number of payment records"),
                "deductions": _digits(number, line, 11, 18, "the number of deduction records"),
                "extra": _digits(number, line, 19, 26, "the number of extra reference records"),
                "deposits": _digits(number, line, 27, 34, "the number of deposit records"),
            }
            for key, value in expected.items():
                if value != counts[key]:
                    raise BgMaxError(number, f"the end record counts {value} {key} but the file has {counts[key]}")
            ended = True
        elif not tk.strip() or not tk.isdigit():
            raise BgMaxError(number, f"not a BgMax record: {tk!r}")
        # Any other numeric record type is skipped, as the manual asks.
    if not ended:
        raise BgMaxError(len(lines), "the file has no end record (TK70)")
    assert parsed is not None
    return parsed


# --- writing (tests, the demo and the simulator of a bank's file) -----------------------------------


@dataclass(frozen=True)
class OutgoingPayment:
    reference: str
    amount_ore: int
    serial: str
    reference_code: str = REFERENCE_OCR
    payer_bankgiro: str = "0"


def write(payments: list[OutgoingPayment], *, payee_bankgiro: str, day: dt.date, test: bool = True) -> bytes:
    """A BgMax file with one deposit holding `payments` (ISO-8859-1, CRLF as the bank sends it)."""
    lines = [
        f"01{'BGMAX':<20}01{day:%Y%m%d}000000000000{'T' if test else 'P'}",
        f"05{payee_bankgiro:0>10}{'':10}SEK",
    ]
    for payment in payments:
        lines.append(
            f"20{payment.payer_bankgiro:0>10}{payment.reference:>25}{payment.amount_ore:018d}"
            f"{payment.reference_code}1{payment.serial:0>12}0"
        )
    total = sum(p.amount_ore for p in payments)
    lines.append(f"15{'':35}{day:%Y%m%d}{1:05d}{total:018d}SEK{len(payments):08d}")
    lines.append(f"70{len(payments):08d}{0:08d}{0:08d}{1:08d}")
    return "".join(line.ljust(RECORD_LENGTH) + "\r\n" for line in lines).encode("iso-8859-1")
