"""Client for the Swish Commerce API (payment requests, status, refunds) over mutual TLS.

Why our own thin client on httpx: the same code must talk to Swish (production
`https://cpc.getswish.net/swish-cpcapi/`, the merchant test system MSS) and to the
local simulator (`manage.py swish_simulator`), with the merchant certificate
presented from one SSLContext and only the configured CA trusted, as the BankID
client does. The settings choose the endpoint (`SWISH_BASE_URL`) and the
certificates (`SWISH_CERT_FILE`, `SWISH_KEY_FILE`, `SWISH_CA_FILE`).

The protocol (Swish Commerce API; developer.getswish.se):
- create: `PUT api/v2/paymentrequests/{instructionUUID}` → 201 (errors: 422 with
  `[{errorCode, errorMessage}]`, 400/401/403 as HTTP statuses);
- status: `GET api/v1/paymentrequests/{id}`;
- refund: `PUT api/v2/refunds/{instructionUUID}`; its status `GET api/v1/refunds/{id}`.
The instruction UUID is 32 upper-case hex digits; amounts are strings in kronor with
two decimals (Vårdnav keeps öre as integers and converts only here).

Callbacks are not signed by Swish, so Vårdnav never trusts one: the callback only
names a payment, whose status is then fetched from Swish with `retrieve_payment`
over this mutually authenticated connection (Swish's server certificate checked
against the configured chain). See billing.actions.do_handle_swish_callback.

No personal data is logged: only endpoints, statuses and error codes.
"""

from __future__ import annotations

import logging
import re
import ssl
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

CREATED = "CREATED"
PAID = "PAID"
DECLINED = "DECLINED"
ERROR = "ERROR"
CANCELLED = "CANCELLED"
FINAL_STATES = frozenset({PAID, DECLINED, ERROR, CANCELLED})
REFUND_PAID = "PAID"
REFUND_FINAL_STATES = frozenset({"PAID", "ERROR"})

INSTRUCTION_ID = re.compile(r"^[0-9A-F]{32}$")
TRANSPORT = "transport"


class SwishError(Exception):
    """Swish refused a request (`code` is Swish's error code, or an HTTP/transport marker)."""

    def __init__(self, code: str, http_status: int | None = None, message: str = "") -> None:
        super().__init__(f"swish {code} ({http_status}) {message}".strip())
        self.code = code
        self.http_status = http_status
        self.message = message


@dataclass(frozen=True)
class PaymentStatus:
    id: str
    status: str
    amount_ore: int
    currency: str
    payee_alias: str
    payee_payment_reference: str
    payment_reference: str  # Swish's reference of a paid payment (needed for a refund)
    error_code: str
    date_paid: str

    @property
    def final(self) -> bool:
        return self.status in FINAL_STATES


@dataclass(frozen=True)
class RefundStatus:
    id: str
    status: str
    amount_ore: int
    original_payment_reference: str
    error_code: str


def new_instruction_id() -> str:
    return uuid.uuid4().hex.upper()


def format_amount(amount_ore: int) -> str:
    return f"{amount_ore // 100}.{amount_ore % 100:02d}"


def parse_amount(value: object) -> int:
    """Swish's amount (a string or number in kronor, at most two decimals) as öre."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise SwishError("PA02", None, "amount is not a number") from None
    ore = amount * 100
    if ore != ore.to_integral_value() or ore < 0:
        raise SwishError("PA02", None, "amount has more than two decimals")
    return int(ore)


def payment_status(data: Any) -> PaymentStatus:
    """A payment-request object (as created, retrieved or called back) read strictly."""
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not isinstance(data.get("status"), str):
        raise SwishError("PA01", None, "not a payment request object")
    return PaymentStatus(
        id=data["id"],
        status=data["status"],
        amount_ore=parse_amount(data.get("amount")),
        currency=str(data.get("currency") or ""),
        payee_alias=str(data.get("payeeAlias") or ""),
        payee_payment_reference=str(data.get("payeePaymentReference") or ""),
        payment_reference=str(data.get("paymentReference") or ""),
        error_code=str(data.get("errorCode") or ""),
        date_paid=str(data.get("datePaid") or ""),
    )


def refund_status(data: Any) -> RefundStatus:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not isinstance(data.get("status"), str):
        raise SwishError("PA01", None, "not a refund object")
    return RefundStatus(
        id=data["id"],
        status=data["status"],
        amount_ore=parse_amount(data.get("amount")),
        original_payment_reference=str(data.get("originalPaymentReference") or ""),
        error_code=str(data.get("errorCode") or ""),
    )


class SwishClient:
    """One merchant's connection to Swish (or the simulator)."""

    def __init__(
        self,
        base_url: str,
        *,
        cert_file: str,
        key_file: str,
        ca_file: str | None,
        payee_alias: str,
        timeout: float = 10.0,
        key_password: str | None = None,
    ) -> None:
        if not base_url.startswith("https://"):
            raise ImproperlyConfigured("SWISH_BASE_URL must be an https:// URL (mutual TLS)")
        context = ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(cert_file, key_file, password=key_password)
        self.payee_alias = payee_alias
        self._http = httpx.Client(base_url=base_url.rstrip("/") + "/", verify=context, timeout=timeout, trust_env=False)

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            logger.warning("swish transport error", extra={"endpoint": path.split("/")[2], "error": type(exc).__name__})
            raise SwishError(TRANSPORT, None, type(exc).__name__) from None
        if response.status_code >= 400:
            code, message = f"HTTP{response.status_code}", ""
            try:
                body = response.json()
                if isinstance(body, list) and body and isinstance(body[0], dict):
                    code = str(body[0].get("errorCode") or code)
                    message = str(body[0].get("errorMessage") or "")
            except ValueError:
                pass
            logger.info("swish refused a request", extra={"status": response.status_code, "code": code})
            raise SwishError(code, response.status_code, message)
        return response

    def create_payment(
        self,
        instruction_id: str,
        *,
        amount_ore: int,
        callback_url: str,
        payee_payment_reference: str,
        message: str = "",
        payer_alias: str | None = None,
    ) -> None:
        """Ask Swish for a payment (m-commerce without payer alias: the payer opens the Swish app)."""
        if not INSTRUCTION_ID.match(instruction_id):
            raise SwishError("PA01", None, "instruction id must be 32 upper-case hex digits")
        body: dict[str, Any] = {
            "payeeAlias": self.payee_alias,
            "amount": format_amount(amount_ore),
            "currency": "SEK",
            "callbackUrl": callback_url,
            "payeePaymentReference": payee_payment_reference,
            "message": message,
        }
        if payer_alias:
            body["payerAlias"] = payer_alias
        self._request("PUT", f"api/v2/paymentrequests/{instruction_id}", json=body)

    def retrieve_payment(self, payment_id: str) -> PaymentStatus:
        if not INSTRUCTION_ID.match(payment_id):
            raise SwishError("PA01", None, "payment id must be 32 upper-case hex digits")
        return payment_status(self._request("GET", f"api/v1/paymentrequests/{payment_id}").json())

    def create_refund(
        self,
        instruction_id: str,
        *,
        original_payment_reference: str,
        amount_ore: int,
        callback_url: str,
        payer_payment_reference: str = "",
        message: str = "",
    ) -> None:
        if not INSTRUCTION_ID.match(instruction_id):
            raise SwishError("PA01", None, "instruction id must be 32 upper-case hex digits")
        body = {
            "originalPaymentReference": original_payment_reference,
            "callbackUrl": callback_url,
            "payerAlias": self.payee_alias,
            "amount": format_amount(amount_ore),
            "currency": "SEK",
            "payerPaymentReference": payer_payment_reference,
            "message": message,
        }
        self._request("PUT", f"api/v2/refunds/{instruction_id}", json=body)

    def retrieve_refund(self, refund_id: str) -> RefundStatus:
        if not INSTRUCTION_ID.match(refund_id):
            raise SwishError("PA01", None, "refund id must be 32 upper-case hex digits")
        return refund_status(self._request("GET", f"api/v1/refunds/{refund_id}").json())


@lru_cache(maxsize=4)
def _cached_client(
    base_url: str, cert_file: str, key_file: str, ca_file: str | None, payee_alias: str, timeout: float
) -> SwishClient:
    return SwishClient(
        base_url,
        cert_file=cert_file,
        key_file=key_file,
        ca_file=ca_file,
        payee_alias=payee_alias,
        timeout=timeout,
        key_password=settings.SWISH_KEY_PASSWORD,
    )


def get_swish_client() -> SwishClient:
    """The client for the current settings; one per configuration, so its connections are reused."""
    if not settings.SWISH_BASE_URL or not settings.SWISH_CERT_FILE or not settings.SWISH_KEY_FILE:
        raise ImproperlyConfigured("SWISH_BASE_URL, SWISH_CERT_FILE and SWISH_KEY_FILE must be set")
    return _cached_client(
        str(settings.SWISH_BASE_URL),
        str(settings.SWISH_CERT_FILE),
        str(settings.SWISH_KEY_FILE),
        settings.SWISH_CA_FILE and str(settings.SWISH_CA_FILE),
        str(settings.SWISH_PAYEE_ALIAS),
        float(settings.SWISH_TIMEOUT),
    )
