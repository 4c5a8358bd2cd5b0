"""Client for BankID's Relying Party API v6.0 over mutual TLS.

Why our own thin client on httpx rather than pybankid's BankIDClient: pybankid
fixes the base URL and the CA to BankID's two hosts, passes the client
certificate through httpx's deprecated `cert=` argument, and fails with a JSON
error on a non-JSON error body. Here one SSLContext presents the RP certificate
and trusts only the pinned CA, so the same code talks to BankID and to the
local simulator. pybankid still supplies BankID's pinned root certificates.
See docs/decisions/0004-bankid-client.md.

No personal data is logged: only endpoints, statuses, hint and error codes.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from vardnav.core import clock

logger = logging.getLogger(__name__)

PENDING = "pending"
FAILED = "failed"
COMPLETE = "complete"

# BankID's error codes (RP API v6) and the HTTP statuses that carry them; used
# when an error body is not the JSON BankID promises (a proxy's HTML page).
ERROR_CODES_BY_STATUS = {
    400: "invalidParameters",
    401: "unauthorized",
    403: "unauthorized",
    404: "notFound",
    408: "requestTimeout",
    500: "internalError",
    503: "maintenance",
}
TRANSPORT = "transport"

# pybankid ships BankID's own CA certificates; pin them when the base URL is BankID's.
_BUNDLED_CA_BY_HOST = {
    "appapi2.bankid.com": "appapi2.bankid.com.pem",
    "appapi2.test.bankid.com": "appapi2.test.bankid.com.pem",
}


@dataclass(frozen=True)
class OrderStart:
    order_ref: str
    auto_start_token: str
    qr_start_token: str
    qr_start_secret: str = field(repr=False)  # never to the browser, never to logs
    started_at: dt.datetime  # when the response arrived (UTC); the QR's time counts from here


@dataclass(frozen=True)
class CompletedUser:
    personal_number: str = field(repr=False)
    name: str = field(repr=False)
    given_name: str = field(repr=False)
    surname: str = field(repr=False)


@dataclass(frozen=True)
class CollectResult:
    order_ref: str
    status: str  # "pending" | "failed" | "complete"
    hint_code: str | None
    user: CompletedUser | None
    # The rest of completionData (device, bankIdIssueDate, signature, ocspResponse)
    # for a signing order that must be kept as evidence; None unless complete.
    completion_data: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)


class BankIdError(Exception):
    """BankID refused a request, or could not be reached (error_code "transport").

    error_code is BankID's errorCode: invalidParameters, alreadyInProgress,
    internalError, maintenance, unauthorized, notFound, requestTimeout (or any
    newer code BankID sends); `details` is BankID's technical text, not for users.
    """

    def __init__(self, error_code: str, details: str = "") -> None:
        super().__init__(f"{error_code}: {details}" if details else error_code)
        self.error_code = error_code
        self.details = details


class BankIdClient:
    """One RP connection pool; thread-safe, reuse it (get_bankid_client)."""

    def __init__(
        self,
        base_url: str,
        *,
        cert_file: str | Path,
        key_file: str | Path,
        ca_file: str | Path,
        timeout: float = 10.0,
        key_password: str | None = None,
    ) -> None:
        if urlsplit(base_url).scheme != "https":
            raise ImproperlyConfigured("BANKID_BASE_URL must be an https:// URL")
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._cert_file = str(cert_file)
        self._key_file = str(key_file)
        self._ca_file = str(ca_file)
        self._key_password = key_password
        self._timeout = timeout
        self._http: httpx.Client | None = None
        self._lock = threading.Lock()

    # --- the four RP calls ---------------------------------------------------
    def auth(
        self,
        end_user_ip: str,
        *,
        user_visible_data: str | None = None,
        user_non_visible_data: str | None = None,
        requirement: Mapping[str, Any] | None = None,
    ) -> OrderStart:
        payload = _order_payload(end_user_ip, user_visible_data, user_non_visible_data, requirement)
        return self._start("auth", payload)

    def sign(
        self,
        end_user_ip: str,
        user_visible_data: str,
        *,
        user_non_visible_data: str | None = None,
        requirement: Mapping[str, Any] | None = None,
    ) -> OrderStart:
        if not user_visible_data:
            raise ValueError("a signing order needs the text the user signs")
        payload = _order_payload(end_user_ip, user_visible_data, user_non_visible_data, requirement)
        return self._start("sign", payload)

    def collect(self, order_ref: str) -> CollectResult:
        data = self._post("collect", {"orderRef": order_ref})
        status = data.get("status")
        if status not in (PENDING, FAILED, COMPLETE):
            raise BankIdError("internalError", f"unexpected collect status {status!r}")
        user = None
        completion = None
        if status == COMPLETE:
            completion = data.get("completionData") or {}
            raw = completion.get("user") or {}
            try:
                user = CompletedUser(
                    personal_number=raw["personalNumber"],
                    name=raw["name"],
                    given_name=raw["givenName"],
                    surname=raw["surname"],
                )
            except KeyError as exc:
                raise BankIdError("internalError", f"completionData.user lacks {exc.args[0]}") from None
        hint_code = data.get("hintCode") if status != COMPLETE else None
        logger.info("bankid collect", extra={"bankid_status": status, "bankid_hint_code": hint_code})
        return CollectResult(
            order_ref=data.get("orderRef", order_ref),
            status=status,
            hint_code=hint_code,
            user=user,
            completion_data=completion,
        )

    def cancel(self, order_ref: str) -> None:
        self._post("cancel", {"orderRef": order_ref})

    def close(self) -> None:
        with self._lock:
            if self._http is not None:
                self._http.close()
                self._http = None

    # --- plumbing ------------------------------------------------------------
    def _start(self, endpoint: str, payload: dict[str, Any]) -> OrderStart:
        data = self._post(endpoint, payload)
        started_at = clock.now()
        try:
            return OrderStart(
                order_ref=data["orderRef"],
                auto_start_token=data["autoStartToken"],
                qr_start_token=data["qrStartToken"],
                qr_start_secret=data["qrStartSecret"],
                started_at=started_at,
            )
        except KeyError as exc:
            raise BankIdError("internalError", f"/{endpoint} response lacks {exc.args[0]}") from None

    def _post(self, endpoint: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        http = self._client()
        try:
            response = http.post(endpoint, json=payload)
        except httpx.HTTPError as exc:
            logger.warning("bankid unreachable", extra={"bankid_endpoint": endpoint, "error": type(exc).__name__})
            raise BankIdError(TRANSPORT, f"{type(exc).__name__}: {exc}") from exc
        if response.status_code == 200:
            try:
                data = response.json()
            except ValueError:
                raise BankIdError("internalError", f"/{endpoint} answered 200 without JSON") from None
            if not isinstance(data, dict):
                raise BankIdError("internalError", f"/{endpoint} answered 200 with a non-object")
            return data
        error_code, details = _error_from(response)
        logger.warning(
            "bankid refused",
            extra={"bankid_endpoint": endpoint, "http_status": response.status_code, "bankid_error": error_code},
        )
        raise BankIdError(error_code, details)

    def _client(self) -> httpx.Client:
        """Built on first use, so a missing certificate is a BankIdError the page can show, not a crash."""
        with self._lock:
            if self._http is None:
                try:
                    context = _ssl_context(self._cert_file, self._key_file, self._ca_file, self._key_password)
                except (OSError, ssl.SSLError) as exc:
                    logger.error("bankid tls set-up failed", extra={"error": type(exc).__name__})
                    raise BankIdError(TRANSPORT, f"TLS set-up failed: {exc}") from exc
                self._http = httpx.Client(
                    base_url=self.base_url,
                    verify=context,
                    timeout=self._timeout,
                    trust_env=False,  # no proxy or CA bundle from the environment: the pin is the pin
                    headers={"Content-Type": "application/json", "Accept": "application/json"},
                )
            return self._http


def _ssl_context(cert_file: str, key_file: str, ca_file: str, key_password: str | None) -> ssl.SSLContext:
    """Trust only the pinned CA (no system roots) and present the RP certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_verify_locations(cafile=ca_file)
    context.load_cert_chain(cert_file, key_file, password=key_password)
    return context


def _encode(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _order_payload(
    end_user_ip: str,
    user_visible_data: str | None,
    user_non_visible_data: str | None,
    requirement: Mapping[str, Any] | None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {"endUserIp": end_user_ip}
    if user_visible_data:
        payload["userVisibleData"] = _encode(user_visible_data)
    if user_non_visible_data:
        payload["userNonVisibleData"] = _encode(user_non_visible_data)
    if requirement:
        payload["requirement"] = dict(requirement)
    return payload


def _error_from(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("errorCode"), str):
        return body["errorCode"], str(body.get("details") or "")
    fallback = ERROR_CODES_BY_STATUS.get(response.status_code, "internalError")
    return fallback, f"HTTP {response.status_code} without a BankID error body"


def resolve_ca_file(base_url: str, ca_file: str | None) -> str:
    """The configured CA, or BankID's own root (bundled with pybankid) for BankID's hosts."""
    if ca_file:
        return ca_file
    host = urlsplit(base_url).hostname or ""
    bundled = _BUNDLED_CA_BY_HOST.get(host)
    if bundled is None:
        raise ImproperlyConfigured(f"BANKID_CA_FILE must be set for {host}: the client trusts only a pinned CA")
    from bankid.certutils import resolve_cert_path

    return str(resolve_cert_path(bundled))


@lru_cache(maxsize=4)
def _cached_client(
    base_url: str, cert_file: str, key_file: str, ca_file: str, timeout: float, key_password: str | None
) -> BankIdClient:
    return BankIdClient(
        base_url, cert_file=cert_file, key_file=key_file, ca_file=ca_file, timeout=timeout, key_password=key_password
    )


def get_bankid_client() -> BankIdClient:
    """The client for the current settings; one per configuration, so its connections are reused."""
    base_url = settings.BANKID_BASE_URL
    if not settings.BANKID_CERT_FILE or not settings.BANKID_KEY_FILE:
        raise ImproperlyConfigured("BANKID_CERT_FILE and BANKID_KEY_FILE must name the RP certificate and key (PEM)")
    return _cached_client(
        base_url,
        str(settings.BANKID_CERT_FILE),
        str(settings.BANKID_KEY_FILE),
        resolve_ca_file(base_url, settings.BANKID_CA_FILE and str(settings.BANKID_CA_FILE)),
        float(settings.BANKID_TIMEOUT),
        settings.BANKID_KEY_PASSWORD,
    )
