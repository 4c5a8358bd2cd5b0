"""The simulator's order book: BankID's order life cycle, without HTTP.

Why separate from the server: the rules (expiry, one order per person, what
collect answers when) are the part that must match BankID, and they read best
on their own. Every method takes the lock; the HTTP threads share one book.
Time is time.monotonic(): tests freeze the wall clock, not the simulator.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from personnummer import personnummer

OUTSTANDING = "outstandingTransaction"
STARTED = "started"
USER_SIGN = "userSign"
WAITING_FOR_APP = (OUTSTANDING, "noClient", STARTED)

# An order that was neither collected nor cancelled is dropped this long after it ended.
_FORGET_AFTER = 600.0
_QR = re.compile(r"^bankid\.([0-9a-fA-F-]{36})\.(\d{1,6})\.([0-9a-f]{64})$")
# BankID's limits on the data to show and to sign (RP API v6).
_MAX_VISIBLE = 1500
_MAX_NON_VISIBLE = 200_000

ERROR_STATUS = {
    "invalidParameters": 400,
    "alreadyInProgress": 400,
    "unauthorized": 401,
    "notFound": 404,
    "methodNotAllowed": 405,
    "requestTimeout": 408,
    "unsupportedMediaType": 415,
    "internalError": 500,
    "maintenance": 503,
}


class ApiError(Exception):
    """An RP API error, answered as BankID does: HTTP status + {"errorCode", "details"}."""

    def __init__(self, error_code: str, details: str) -> None:
        super().__init__(f"{error_code}: {details}")
        self.error_code = error_code
        self.details = details
        self.http_status = ERROR_STATUS.get(error_code, 400)

    def body(self) -> dict[str, str]:
        return {"errorCode": self.error_code, "details": self.details}


class AppError(Exception):
    """The test app refuses what the tester did; the message is Swedish, for the page."""

    def __init__(self, message: str, http_status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status


@dataclass
class Order:
    kind: str  # "auth" | "sign"
    end_user_ip: str
    user_visible_data: str | None
    user_non_visible_data: str | None
    required_personal_number: str | None
    created: float
    order_ref: str = field(default_factory=lambda: str(uuid.uuid4()))
    auto_start_token: str = field(default_factory=lambda: str(uuid.uuid4()))
    qr_start_token: str = field(default_factory=lambda: str(uuid.uuid4()))
    qr_start_secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: str = "pending"
    hint_code: str | None = OUTSTANDING
    personal_number: str | None = None
    completion_data: dict[str, Any] | None = None
    ended: float | None = None

    def start_response(self) -> dict[str, str]:
        return {
            "orderRef": self.order_ref,
            "autoStartToken": self.auto_start_token,
            "qrStartToken": self.qr_start_token,
            "qrStartSecret": self.qr_start_secret,
        }

    def collect_response(self) -> dict[str, Any]:
        body: dict[str, Any] = {"orderRef": self.order_ref, "status": self.status}
        if self.status == "complete":
            body["completionData"] = self.completion_data
        else:
            body["hintCode"] = self.hint_code
        return body

    def summary(self, now: float) -> dict[str, Any]:
        return {
            "orderRef": self.order_ref,
            "kind": self.kind,
            "status": self.status,
            "hintCode": self.hint_code,
            "ageSeconds": int(now - self.created),
            "userVisibleData": self.user_visible_data,
            "autoStartToken": self.auto_start_token,
        }


def normalise_personal_number(text: str) -> str:
    """Twelve digits, or AppError: the test app takes only a valid 12-digit number."""
    digits = re.sub(r"[\s-]", "", text or "")
    if not re.fullmatch(r"\d{12}", digits) or not personnummer.valid(digits):
        raise AppError("Skriv ett giltigt personnummer med tolv siffror, till exempel 19790101-2380.")
    return digits


class OrderBook:
    def __init__(
        self,
        *,
        names: Callable[[str], tuple[str, str]],
        order_timeout: float = 180.0,
        start_timeout: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._names = names
        self.order_timeout = order_timeout
        self.start_timeout = start_timeout
        self._clock = clock
        self._orders: dict[str, Order] = {}
        self._fail_next: list[tuple[str | None, str]] = []
        self._lock = threading.RLock()

    # --- configuration for tests ---------------------------------------------
    def reset(self, *, order_timeout: float = 180.0, start_timeout: float | None = None) -> None:
        with self._lock:
            self._orders.clear()
            self._fail_next.clear()
            self.order_timeout = order_timeout
            self.start_timeout = start_timeout

    def configure(self, *, order_timeout: float | None = None, start_timeout: float | None = None) -> None:
        with self._lock:
            if order_timeout is not None:
                self.order_timeout = order_timeout
            if start_timeout is not None:
                self.start_timeout = start_timeout or None

    def fail_next(self, error_code: str, endpoint: str | None = None) -> None:
        """The next RP call (to `endpoint`, or any) answers with this error."""
        if error_code not in ERROR_STATUS:
            raise AppError(f"Okänd felkod: {error_code}")
        with self._lock:
            self._fail_next.append((endpoint, error_code))

    # --- the RP API ---------------------------------------------------------
    def check_injected_failure(self, endpoint: str) -> None:
        with self._lock:
            for index, (wanted, code) in enumerate(self._fail_next):
                if wanted in (None, endpoint):
                    del self._fail_next[index]
                    raise ApiError(code, "Simulated failure")

    def start(self, kind: str, body: dict[str, Any]) -> Order:
        end_user_ip = body.get("endUserIp")
        if not isinstance(end_user_ip, str) or not _is_ip(end_user_ip):
            raise ApiError("invalidParameters", "Invalid endUserIp")
        visible = _decode(body, "userVisibleData", _MAX_VISIBLE)
        if kind == "sign" and visible is None:
            raise ApiError("invalidParameters", "Missing userVisibleData")
        non_visible = _decode(body, "userNonVisibleData", _MAX_NON_VISIBLE)
        fmt = body.get("userVisibleDataFormat")
        if fmt is not None and fmt != "simpleMarkdownV1":
            raise ApiError("invalidParameters", "Invalid userVisibleDataFormat")
        requirement = body.get("requirement") or {}
        if not isinstance(requirement, dict):
            raise ApiError("invalidParameters", "Invalid requirement")
        required = requirement.get("personalNumber")
        if required is not None and (
            not isinstance(required, str) or not re.fullmatch(r"\d{12}", required) or not personnummer.valid(required)
        ):
            raise ApiError("invalidParameters", "Invalid requirement.personalNumber")
        with self._lock:
            self._tick()
            if required is not None:
                in_progress = [
                    o for o in self._pending() if required in (o.personal_number, o.required_personal_number)
                ]
                if in_progress:
                    # BankID: the order already in progress is cancelled too, and no new one is made.
                    for other in in_progress:
                        self._fail(other, "cancelled")
                    raise ApiError("alreadyInProgress", "Order already in progress for pno")
            order = Order(
                kind=kind,
                end_user_ip=end_user_ip,
                user_visible_data=visible,
                user_non_visible_data=non_visible,
                required_personal_number=required,
                created=self._clock(),
            )
            self._orders[order.order_ref] = order
            return order

    def collect(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._tick()
            order = self._order_for_rp(body)
            response = order.collect_response()
            if order.status != "pending":
                # BankID forgets an order once its final state has been collected.
                del self._orders[order.order_ref]
            return response

    def cancel(self, body: dict[str, Any]) -> None:
        with self._lock:
            self._tick()
            order = self._order_for_rp(body)
            del self._orders[order.order_ref]

    # --- the test app (the user's phone) ------------------------------------
    def find(
        self, *, order_ref: str | None = None, qr: str | None = None, auto_start_token: str | None = None
    ) -> Order:
        with self._lock:
            self._tick()
            if qr:
                return self._order_from_qr(qr.strip())
            if auto_start_token:
                for order in self._orders.values():
                    if order.auto_start_token == auto_start_token.strip() and order.status == "pending":
                        return order
                raise AppError("Ingen pågående order har den startkoden.", 404)
            if order_ref:
                found = self._orders.get(order_ref.strip())
                if found is not None and found.status == "pending":
                    return found
                raise AppError("Ingen pågående order med det ordernumret.", 404)
            raise AppError("Skanna en QR-kod eller välj en order.")

    def open_app(self, order: Order) -> Order:
        """The app was started with autoStartToken but has not found a usable BankID yet."""
        with self._lock:
            self._require_pending(order)
            if order.hint_code in WAITING_FOR_APP:
                order.hint_code = STARTED
            return order

    def scan(self, order: Order, personal_number: str) -> Order:
        """The user's app has the order; a new order for a person cancels their older one."""
        with self._lock:
            self._require_pending(order)
            number = normalise_personal_number(personal_number)
            if order.required_personal_number and order.required_personal_number != number:
                raise AppError("Ordern gäller ett annat personnummer.", 409)
            if order.personal_number and order.personal_number != number:
                raise AppError("Ordern har redan öppnats av en annan person.", 409)
            for other in self._pending():
                if other is not order and other.personal_number == number:
                    self._fail(other, "cancelled")
            order.personal_number = number
            order.hint_code = USER_SIGN
            return order

    def approve(self, order: Order, personal_number: str | None = None) -> Order:
        with self._lock:
            self._require_pending(order)
            if personal_number or not order.personal_number:
                self.scan(order, personal_number or "")
            assert order.personal_number is not None
            order.status = "complete"
            order.hint_code = None
            order.completion_data = self._completion_data(order)
            order.ended = self._clock()
            return order

    def user_cancel(self, order: Order) -> Order:
        with self._lock:
            self._require_pending(order)
            self._fail(order, "userCancel")
            return order

    def pending(self) -> list[Order]:
        with self._lock:
            self._tick()
            return sorted(self._pending(), key=lambda o: o.created)

    def now(self) -> float:
        return self._clock()

    # --- internals ----------------------------------------------------------
    def _pending(self) -> list[Order]:
        return [o for o in self._orders.values() if o.status == "pending"]

    def _require_pending(self, order: Order) -> None:
        self._tick()
        if self._orders.get(order.order_ref) is not order or order.status != "pending":
            raise AppError("Ordern är inte längre pågående.", 409)

    def _fail(self, order: Order, hint_code: str) -> None:
        order.status = "failed"
        order.hint_code = hint_code
        order.ended = self._clock()

    def _tick(self) -> None:
        now = self._clock()
        for order in list(self._orders.values()):
            age = now - order.created
            if order.status == "pending":
                if age >= self.order_timeout:
                    self._fail(order, "expiredTransaction")
                elif (
                    self.start_timeout is not None and order.hint_code in WAITING_FOR_APP and age >= self.start_timeout
                ):
                    self._fail(order, "startFailed")
            elif order.ended is not None and now - order.ended > _FORGET_AFTER:
                del self._orders[order.order_ref]

    def _order_for_rp(self, body: dict[str, Any]) -> Order:
        order_ref = body.get("orderRef")
        if not isinstance(order_ref, str) or not order_ref:
            raise ApiError("invalidParameters", "Missing orderRef")
        order = self._orders.get(order_ref)
        if order is None:
            raise ApiError("invalidParameters", "No such order")
        return order

    def _order_from_qr(self, content: str) -> Order:
        match = _QR.match(content)
        if not match:
            raise AppError("Det där är ingen BankID-QR-kod.")
        token, seconds, code = match.group(1), int(match.group(2)), match.group(3)
        order = next(
            (o for o in self._orders.values() if o.qr_start_token == token and o.status == "pending"),
            None,
        )
        if order is None:
            raise AppError("QR-koden hör inte till någon pågående order.", 404)
        expected = hmac.new(order.qr_start_secret.encode(), str(seconds).encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, code):
            raise AppError("QR-koden är förfalskad eller felaktig.")
        # A code from the future cannot have been made from this order's start; a
        # few seconds of slack cover the RP's clock and network latency.
        if seconds > self._clock() - order.created + 5:
            raise AppError("QR-koden har en tid som inte stämmer med ordern.")
        return order

    def _completion_data(self, order: Order) -> dict[str, Any]:
        number = order.personal_number or ""
        given_name, surname = self._names(number)
        signed = {
            "simulator": "Vårdnav BankID-simulator – ingen riktig signatur",
            "orderRef": order.order_ref,
            "kind": order.kind,
            "personalNumber": number,
            "userVisibleData": order.user_visible_data,
            "userNonVisibleData": order.user_non_visible_data,
        }
        signature_xml = (
            '<?xml version="1.0" encoding="UTF-8"?><Signature xmlns="http://www.w3.org/2000/09/xmldsig#">'
            f"<Object><bankIdSignedData>{_xml(json.dumps(signed, ensure_ascii=False))}</bankIdSignedData>"
            "</Object></Signature>"
        )
        return {
            "user": {
                "personalNumber": number,
                "name": f"{given_name} {surname}",
                "givenName": given_name,
                "surname": surname,
            },
            "device": {
                "ipAddress": order.end_user_ip,
                "uhi": base64.urlsafe_b64encode(hashlib.sha256(f"uhi:{number}".encode()).digest()[:20]).decode(),
            },
            "bankIdIssueDate": "2024-03-01",
            "stepUp": {"mrtd": False},
            "signature": base64.b64encode(signature_xml.encode()).decode(),
            "ocspResponse": base64.b64encode(f"simulated-ocsp:{order.order_ref}".encode()).decode(),
        }


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _decode(body: dict[str, Any], key: str, max_length: int) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value or len(value) > max_length * 4 // 3 + 4:
        raise ApiError("invalidParameters", f"Invalid {key}")
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ApiError("invalidParameters", f"Invalid {key}") from None


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
