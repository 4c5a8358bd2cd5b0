"""The simulator's two listeners: the Swish Commerce API over mutual TLS and the test Swish app.

Why two ports (as the BankID simulator): the API demands a client certificate, as
Swish does, so a browser could never open a page on it. The test app, the stand-in
for the payer's phone, is plain HTTP bound to loopback. Callbacks go out from a
thread per final state to the payment's callback URL, as Swish sends them (JSON POST);
the simulator keeps what each delivery answered so tests can look.
Stdlib and httpx only: no Django in the protocol part.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Callable
from html import escape
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from vardnav.bankid_simulator.pki import Pki, ensure_pki
from vardnav.bankid_simulator.server import _Server, server_context
from vardnav.swish_simulator.book import ApiError, AppError, Callback, PaymentBook

logger = logging.getLogger(__name__)

API_PREFIX = "/swish-cpcapi/api/"
APP_PREFIX = "/test-app/"
_MAX_BODY = 100_000


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Swish-simulator/1.0"
    sys_version = ""
    timeout = 30
    disable_nagle_algorithm = True
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("swish simulator: " + format, *args)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            raise ApiError(400, "PA01", "Request too large")
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        body = b"" if data is None else json.dumps(data).encode()
        self._send(status, body, "application/json", headers)


class _ApiHandler(_Handler):
    """PUT v2/paymentrequests/{id}, GET v1/paymentrequests/{id}, PATCH (cancel), PUT v2/refunds/{id}, GET v1/refunds/{id}."""

    def _route(self) -> tuple[str, str, str]:
        path = urlsplit(self.path).path
        if not path.startswith(API_PREFIX):
            raise ApiError(404, "", "Not found")
        parts = path[len(API_PREFIX) :].split("/")
        if len(parts) != 3 or parts[0] not in ("v1", "v2") or parts[1] not in ("paymentrequests", "refunds"):
            raise ApiError(404, "", "Not found")
        return parts[0], parts[1], parts[2]

    def _data(self) -> dict[str, Any]:
        body = self._body()
        if self.headers.get_content_type() not in ("application/json", "application/json-patch+json"):
            raise ApiError(415, "", "Content-Type must be application/json")
        try:
            data = json.loads(body or b"null")
        except ValueError:
            raise ApiError(400, "", "Malformed JSON") from None
        return data

    def _answer(self, work: Callable[[], None]) -> None:
        try:
            work()
        except ApiError as error:
            self._json(error.http_status, error.body() if error.code else None)
        except Exception:
            logger.exception("swish simulator failed on an API call")
            self._json(500, None)

    def do_PUT(self) -> None:
        def work() -> None:
            version, kind, instruction_id = self._route()
            if version != "v2":
                raise ApiError(405, "", "Method not allowed")
            data = self._data()
            if not isinstance(data, dict):
                raise ApiError(400, "", "Malformed JSON")
            book = self.server.book
            if kind == "paymentrequests":
                book.create_payment(instruction_id, data)
                location = f"{self.server.base_url}api/v1/paymentrequests/{instruction_id}"
                self._json(201, None, {"Location": location, "PaymentRequestToken": instruction_id.lower()})
            else:
                callback = book.create_refund(instruction_id, data)
                self._json(201, None, {"Location": f"{self.server.base_url}api/v1/refunds/{instruction_id}"})
                self.server.deliver(callback)

        self._answer(work)

    def do_GET(self) -> None:
        def work() -> None:
            version, kind, item_id = self._route()
            if version != "v1":
                raise ApiError(405, "", "Method not allowed")
            book = self.server.book
            with book.lock:
                item = book.payment(item_id) if kind == "paymentrequests" else book.refund(item_id)
                data = item.as_json()
            self._json(200, data)

        self._answer(work)

    def do_PATCH(self) -> None:
        def work() -> None:
            version, kind, item_id = self._route()
            data = self._data()
            wanted = [{"op": "replace", "path": "/status", "value": "cancelled"}]
            if version != "v1" or kind != "paymentrequests" or data != wanted:
                raise ApiError(422, "PA01", "Parameter is not correct.")
            callback = self.server.book.cancel(item_id)
            self._json(200, callback[1])
            self.server.deliver(callback)

        self._answer(work)

    def do_POST(self) -> None:
        self._json(405, None)

    do_DELETE = do_POST


class _AppHandler(_Handler):
    """The test Swish app: an HTML page for people, JSON endpoints for tests."""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        if url.path == APP_PREFIX:
            self._send(
                200,
                _page(self.server.book.pending(), query).encode(),
                "text/html; charset=utf-8",
                {
                    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
                    "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer",
                },
            )
        elif url.path == APP_PREFIX + "payments":
            with self.server.book.lock:
                payments = [p.as_json() for p in self.server.book.payments.values()]
            self._json(200, {"payments": payments})
        elif url.path == APP_PREFIX + "callbacks":
            with self.server.deliveries_lock:
                self._json(200, {"callbacks": list(self.server.deliveries)})
        else:
            self._send(404, b"Sidan finns inte.", "text/plain; charset=utf-8")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        action = url.path[len(APP_PREFIX) :] if url.path.startswith(APP_PREFIX) else ""
        as_json = self.headers.get_content_type() == "application/json"
        try:
            raw = self._body()
            if as_json:
                data = json.loads(raw or b"{}")
                if not isinstance(data, dict):
                    raise AppError("Ogiltig JSON.")
            else:
                data = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
            message = self._act(action, data)
        except (AppError, ApiError, ValueError) as exc:
            text = exc.message if isinstance(exc, AppError | ApiError) else "Ogiltig JSON."
            status = exc.http_status if isinstance(exc, AppError | ApiError) else 400
            if as_json:
                self._json(status, {"error": text})
            else:
                self._send(303, b"", "text/plain", {"Location": APP_PREFIX + "?" + urlencode({"fel": text})})
            return
        if as_json:
            self._json(200, {"message": message})
        else:
            self._send(303, b"", "text/plain", {"Location": APP_PREFIX + "?" + urlencode({"klart": message})})

    def _act(self, action: str, data: dict[str, Any]) -> str:
        book = self.server.book
        payment_id = str(data.get("id") or "")
        if action == "reset":
            book.reset()
            with self.server.deliveries_lock:
                self.server.deliveries.clear()
            return "Tömd."
        if action in ("pay", "decline"):
            callback = book.answer(payment_id, pay=action == "pay", payer_alias=str(data.get("payerAlias") or ""))
            self.server.deliver(callback, wait=bool(data.get("wait")))
            return "Betalningen är genomförd." if callback[1]["status"] == "PAID" else "Betalningen avbröts."
        if action == "resend":
            self.server.deliver(book.callback_of(payment_id), wait=True)
            return "Återkopplingen är skickad igen."
        raise AppError("Okänd åtgärd.", 404)


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5}"
    ".payment{border:1px solid #767676;border-radius:.5rem;padding:1rem;margin:1rem 0}"
    ".notice{background:#e6f4ea;border-left:4px solid #1e7e34;padding:.5rem 1rem}"
    ".error{background:#fdecea;border-left:4px solid #b00020;padding:.5rem 1rem}"
    "button{font:inherit;padding:.4rem 1rem;margin:.5rem .5rem 0 0}"
    "button.pay{background:#193e4f;color:#fff;border:0;border-radius:.3rem}"
    ":focus-visible{outline:3px solid #f5a623;outline-offset:2px}"
)


def _page(payments: list[Any], query: dict[str, str]) -> str:
    parts = [
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Test-Swish – Vårdnav</title><style>{_STYLE}</style></head><body><main>",
        "<h1>Test-Swish</h1>",
        "<p>Den här sidan låtsas vara Swish-appen i mobilen. Betala eller avböj en betalning. "
        "Endast för utveckling och test.</p>",
    ]
    if query.get("klart"):
        parts.append(f'<p class="notice" role="status">{escape(query["klart"])}</p>')
    if query.get("fel"):
        parts.append(f'<p class="error" role="alert">{escape(query["fel"])}</p>')
    parts.append("<h2>Väntande betalningar</h2>")
    if not payments:
        parts.append("<p>Inga betalningar väntar.</p>")
    for payment in payments:
        amount = f"{payment.amount:.2f}".replace(".", ",")
        parts.append(
            f'<section class="payment" aria-label="Betalning {escape(payment.payee_payment_reference)}">'
            f"<p><strong>{amount} kr</strong> till {escape(payment.payee_alias)}<br>"
            f"Meddelande: {escape(payment.message) or '–'}<br>Referens: {escape(payment.payee_payment_reference)}</p>"
            f'<form method="post" action="{APP_PREFIX}pay"><input type="hidden" name="id" value="{payment.id}">'
            '<button class="pay">Betala</button></form>'
            f'<form method="post" action="{APP_PREFIX}decline"><input type="hidden" name="id" value="{payment.id}">'
            "<button>Avböj</button></form></section>"
        )
    parts.append("</main></body></html>")
    return "".join(parts)


class _SwishServer(_Server):
    base_url = ""

    def __init__(self, address: tuple[str, int], handler: type[_Handler], book: PaymentBook, tls: Any = None):
        super().__init__(address, handler, book, None, tls)  # type: ignore[arg-type]
        self.deliveries: list[dict[str, Any]] = []
        self.deliveries_lock = threading.Lock()
        self.callback_verify: Any = True

    def deliver(self, callback: Callback, *, wait: bool = False) -> None:
        thread = threading.Thread(target=self._post, args=callback, name="swish-simulator-callback", daemon=True)
        thread.start()
        if wait:
            thread.join(timeout=15)

    def _post(self, url: str, payload: dict[str, Any]) -> None:
        status: int | None = None
        try:
            with httpx.Client(timeout=10, trust_env=False, verify=self.callback_verify) as http:
                status = http.post(url, json=payload).status_code
        except httpx.HTTPError as exc:
            logger.info("swish simulator could not deliver a callback", extra={"error": type(exc).__name__})
        with self.deliveries_lock:
            self.deliveries.append({"id": payload["id"], "status": payload["status"], "answered": status})


class SwishSimulator:
    """Both listeners and their shared book; start() runs them in daemon threads."""

    def __init__(
        self,
        *,
        pki_dir: Path,
        payee_alias: str = "1234679304",
        host: str = "127.0.0.1",
        port: int = 0,
        app_host: str = "127.0.0.1",
        app_port: int = 0,
    ) -> None:
        self.pki: Pki = ensure_pki(Path(pki_dir))
        self.book = PaymentBook(payee_alias=payee_alias)
        self._api = _SwishServer((host, port), _ApiHandler, self.book, tls=server_context(self.pki))
        self._app = _SwishServer((app_host, app_port), _AppHandler, self.book)
        self._api.base_url = self._app.base_url = self.base_url
        # Callbacks are delivered by the API server's deliveries; the app's actions use the same list.
        self._app.deliver = self._api.deliver  # type: ignore[method-assign]
        self._app.deliveries = self._api.deliveries
        self._app.deliveries_lock = self._api.deliveries_lock
        self._threads: list[threading.Thread] = []

    @property
    def base_url(self) -> str:
        host, port = self._api.server_address[:2]
        text = host.decode() if isinstance(host, (bytes, bytearray)) else str(host)
        return f"https://{f'[{text}]' if ':' in text else text}:{port}/swish-cpcapi/"

    @property
    def app_url(self) -> str:
        host, port = self._app.server_address[:2]
        text = host.decode() if isinstance(host, (bytes, bytearray)) else str(host)
        return f"http://{f'[{text}]' if ':' in text else text}:{port}{APP_PREFIX}"

    def start(self) -> SwishSimulator:
        for name, server in (("api", self._api), ("app", self._app)):
            thread = threading.Thread(target=server.serve_forever, name=f"swish-simulator-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in (self._api, self._app):
            with contextlib.suppress(Exception):
                server.shutdown()
                server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()
