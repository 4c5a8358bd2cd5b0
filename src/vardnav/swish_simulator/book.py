"""The simulator's payment book: payment requests and refunds as Swish keeps them.

Rules followed (Swish Commerce API; developer.getswish.se, MSS test guide):
- the instruction UUID is 32 upper-case hex digits and can be used once (RP09 otherwise);
- payeeAlias must be the merchant's number (403 otherwise, as for a certificate mismatch);
- amount is a string of kronor with at most two decimals, 0.01 to 999999999999.99 (PA02, AM06, AM02);
- currency SEK (AM03); callbackUrl must be https (RP03; the simulator also accepts http on
  loopback for the demo's development server); message at most 50 characters (RP02);
- as in MSS, a message that is one of Swish's result error codes (e.g. RF07) makes the
  payment fail with that code when the payer answers;
- a final state (PAID, DECLINED, ERROR, CANCELLED) is sent to the callback URL once;
- a refund needs a paid payment's paymentReference (RF02) and at most what is left of it (PA02).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

INSTRUCTION_ID = re.compile(r"^[0-9A-F]{32}$")
RESULT_ERROR_CODES = {"RF07", "BANKIDCL", "FF10", "TM01", "DS24"}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class ApiError(Exception):
    def __init__(self, http_status: int, code: str = "", message: str = "") -> None:
        super().__init__(f"{http_status} {code} {message}")
        self.http_status = http_status
        self.code = code
        self.message = message

    def body(self) -> list[dict[str, Any]]:
        return [{"errorCode": self.code, "errorMessage": self.message, "additionalInformation": None}]


class AppError(Exception):
    def __init__(self, message: str, http_status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _amount(value: Any) -> Decimal:
    if not isinstance(value, str):
        raise ApiError(422, "PA02", "Amount value is missing or not a valid number.")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ApiError(422, "PA02", "Amount value is missing or not a valid number.") from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")) or "e" in value.lower():
        raise ApiError(422, "PA02", "Amount value is missing or not a valid number.")
    if amount < Decimal("0.01"):
        raise ApiError(422, "AM06", "Specified transaction amount is less than agreed minimum.")
    if amount > Decimal("999999999999.99"):
        raise ApiError(422, "AM02", "Amount value is too large.")
    return amount


def _callback_url(value: Any) -> str:
    url = urlsplit(value) if isinstance(value, str) else None
    if url is None or not url.hostname:
        raise ApiError(422, "RP03", "Callback URL is missing or does not use HTTPS.")
    if url.scheme == "https" or (url.scheme == "http" and url.hostname in LOOPBACK):
        return str(value)
    raise ApiError(422, "RP03", "Callback URL is missing or does not use HTTPS.")


def _message(value: Any) -> str:
    text = value or ""
    if not isinstance(text, str) or len(text) > 50:
        raise ApiError(422, "RP02", "Wrong formatted message.")
    return text


@dataclass
class Payment:
    id: str
    payee_alias: str
    amount: Decimal
    callback_url: str
    payee_payment_reference: str
    message: str
    payer_alias: str = ""
    status: str = "CREATED"
    payment_reference: str = ""
    date_created: str = field(default_factory=_now)
    date_paid: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    refunded: Decimal = Decimal("0")

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "payeePaymentReference": self.payee_payment_reference,
            "paymentReference": self.payment_reference or None,
            "callbackUrl": self.callback_url,
            "payerAlias": self.payer_alias or None,
            "payeeAlias": self.payee_alias,
            "amount": f"{self.amount:.2f}",
            "currency": "SEK",
            "message": self.message,
            "status": self.status,
            "dateCreated": self.date_created,
            "datePaid": self.date_paid,
            "errorCode": self.error_code,
            "errorMessage": self.error_message,
        }


@dataclass
class Refund:
    id: str
    original_payment_reference: str
    callback_url: str
    payer_alias: str
    amount: Decimal
    payer_payment_reference: str
    message: str
    status: str = "CREATED"
    payment_reference: str = ""
    date_created: str = field(default_factory=_now)
    date_paid: str | None = None
    error_code: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "paymentReference": self.payment_reference or None,
            "payerPaymentReference": self.payer_payment_reference,
            "originalPaymentReference": self.original_payment_reference,
            "callbackUrl": self.callback_url,
            "payerAlias": self.payer_alias,
            "amount": f"{self.amount:.2f}",
            "currency": "SEK",
            "message": self.message,
            "status": self.status,
            "dateCreated": self.date_created,
            "datePaid": self.date_paid,
            "errorCode": self.error_code,
        }


Callback = tuple[str, dict[str, Any]]


@dataclass
class PaymentBook:
    payee_alias: str
    payments: dict[str, Payment] = field(default_factory=dict)
    refunds: dict[str, Refund] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.payments.clear()
            self.refunds.clear()

    def _check_id(self, instruction_id: str) -> None:
        if not INSTRUCTION_ID.match(instruction_id):
            raise ApiError(400, "PA01", "The instruction UUID must be 32 upper-case hex characters.")
        if instruction_id in self.payments or instruction_id in self.refunds:
            raise ApiError(422, "RP09", "The given instructionUUID is not available.")

    def create_payment(self, instruction_id: str, data: dict[str, Any]) -> Payment:
        with self.lock:
            self._check_id(instruction_id)
            if not data.get("payeeAlias"):
                raise ApiError(422, "RP01", "Missing Merchant Swish Number.")
            if data["payeeAlias"] != self.payee_alias:
                raise ApiError(403, "", "The payee alias does not match the certificate's Swish number.")
            amount = _amount(data.get("amount"))
            if data.get("currency") != "SEK":
                raise ApiError(422, "AM03", "Invalid or missing Currency.")
            callback_url = _callback_url(data.get("callbackUrl"))
            reference = data.get("payeePaymentReference") or ""
            if not isinstance(reference, str) or not re.fullmatch(r"[0-9A-Za-z\-]{0,35}", reference):
                raise ApiError(422, "FF08", "Payment Reference is invalid.")
            payer = data.get("payerAlias") or ""
            if payer and not re.fullmatch(r"46\d{7,13}", str(payer)):
                raise ApiError(422, "BE18", "Payer alias is invalid.")
            payment = Payment(
                id=instruction_id,
                payee_alias=self.payee_alias,
                amount=amount,
                callback_url=callback_url,
                payee_payment_reference=reference,
                message=_message(data.get("message")),
                payer_alias=str(payer),
            )
            self.payments[instruction_id] = payment
            return payment

    def payment(self, payment_id: str) -> Payment:
        payment = self.payments.get(payment_id)
        if payment is None:
            raise ApiError(404, "RP04", "No payment request found related to the token.")
        return payment

    def pending(self) -> list[Payment]:
        with self.lock:
            return [p for p in self.payments.values() if p.status == "CREATED"]

    def answer(self, payment_id: str, *, pay: bool, payer_alias: str = "") -> Callback:
        """The payer answers in the Swish app: pay (or the MSS error code in the message) or decline."""
        with self.lock:
            payment = self.payments.get(payment_id)
            if payment is None:
                raise AppError("Betalningen finns inte.", 404)
            if payment.status != "CREATED":
                raise AppError("Betalningen är redan avslutad.", 409)
            if pay and payment.message in RESULT_ERROR_CODES:
                payment.status, payment.error_code = "ERROR", payment.message
                payment.error_message = "Simulated error"
            elif pay:
                payment.status = "PAID"
                payment.payer_alias = payer_alias or payment.payer_alias or "46700000000"
                payment.payment_reference = uuid.uuid4().hex.upper()
                payment.date_paid = _now()
            else:
                payment.status, payment.error_code = "DECLINED", "RF07"
                payment.error_message = "Transaction declined"
            return payment.callback_url, payment.as_json()

    def cancel(self, payment_id: str) -> Callback:
        with self.lock:
            payment = self.payment(payment_id)
            if payment.status != "CREATED":
                raise ApiError(422, "RP07", "Transaction operation not allowed.")
            payment.status = "CANCELLED"
            return payment.callback_url, payment.as_json()

    def callback_of(self, payment_id: str) -> Callback:
        """The callback of a final payment again (Swish may deliver a callback more than once)."""
        with self.lock:
            payment = self.payments.get(payment_id) or None
            if payment is None or payment.status == "CREATED":
                raise AppError("Betalningen har ingen återkoppling än.", 409)
            return payment.callback_url, payment.as_json()

    def create_refund(self, instruction_id: str, data: dict[str, Any]) -> Callback:
        with self.lock:
            self._check_id(instruction_id)
            if data.get("payerAlias") != self.payee_alias:
                raise ApiError(403, "", "The payer alias does not match the certificate's Swish number.")
            amount = _amount(data.get("amount"))
            if data.get("currency") != "SEK":
                raise ApiError(422, "AM03", "Invalid or missing Currency.")
            callback_url = _callback_url(data.get("callbackUrl"))
            original = next(
                (
                    p
                    for p in self.payments.values()
                    if p.status == "PAID" and p.payment_reference == data.get("originalPaymentReference")
                ),
                None,
            )
            if original is None:
                raise ApiError(
                    422, "RF02", "Original Payment not found or original payment is more than 13 months old."
                )
            if original.refunded + amount > original.amount:
                raise ApiError(422, "PA02", "Amount value is missing or not a valid number.")
            original.refunded += amount
            refund = Refund(
                id=instruction_id,
                original_payment_reference=original.payment_reference,
                callback_url=callback_url,
                payer_alias=self.payee_alias,
                amount=amount,
                payer_payment_reference=str(data.get("payerPaymentReference") or ""),
                message=_message(data.get("message")),
                status="PAID",
                payment_reference=uuid.uuid4().hex.upper(),
                date_paid=_now(),
            )
            self.refunds[instruction_id] = refund
            return refund.callback_url, refund.as_json()

    def refund(self, refund_id: str) -> Refund:
        refund = self.refunds.get(refund_id)
        if refund is None:
            raise ApiError(404, "RP04", "No refund found.")
        return refund
