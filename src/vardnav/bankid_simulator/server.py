"""The simulator's two listeners: the RP API over mutual TLS and the test BankID app.

Why two ports: the RP API demands a client certificate (ssl.CERT_REQUIRED), as
BankID does, so a browser could never open a page on it. The test app, the
stand-in for the user's phone, is plain HTTP bound to loopback; it is a
development tool that `manage.py bankid_simulator` refuses to run in production.
Stdlib only (http.server, ssl, threads): no Django in the protocol part.
"""

from __future__ import annotations

import contextlib
import json
import logging
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, overload
from urllib.parse import parse_qs, urlencode, urlsplit

from vardnav.bankid_simulator.app_page import render_app_page
from vardnav.bankid_simulator.orders import ApiError, AppError, Order, OrderBook
from vardnav.bankid_simulator.pki import Pki, ensure_pki
from vardnav.bankid_simulator.register import Names

logger = logging.getLogger(__name__)

RP_PREFIX = "/rp/v6.0/"
APP_PREFIX = "/test-app/"
_MAX_BODY = 1_000_000


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects
    server_version = "BankID-simulator/1.0"
    sys_version = ""
    timeout = 30
    disable_nagle_algorithm = True  # headers and body go out as two writes; no 40 ms delayed-ACK stall
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        # Paths carry no personal data (numbers travel in POST bodies); keep it at debug.
        logger.debug("bankid simulator: " + format, *args)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            raise ApiError("invalidParameters", "Request too large")
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

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json")


class _RpHandler(_Handler):
    """POST /rp/v6.0/{auth,sign,collect,cancel}; everything else as BankID answers it."""

    def do_POST(self) -> None:
        book = self.server.book
        path = urlsplit(self.path).path
        endpoint = path[len(RP_PREFIX) :] if path.startswith(RP_PREFIX) else None
        try:
            body = self._body()
            if endpoint not in ("auth", "sign", "collect", "cancel"):
                raise ApiError("notFound", "Not found")
            if self.headers.get_content_type() != "application/json":
                raise ApiError("unsupportedMediaType", "Content-Type must be application/json")
            try:
                data = json.loads(body or b"null")
            except ValueError:
                raise ApiError("invalidParameters", "Invalid JSON") from None
            if not isinstance(data, dict):
                raise ApiError("invalidParameters", "Invalid JSON")
            book.check_injected_failure(endpoint)
            if endpoint in ("auth", "sign"):
                self._json(200, book.start(endpoint, data).start_response())
            elif endpoint == "collect":
                self._json(200, book.collect(data))
            else:
                book.cancel(data)
                self._json(200, {})
        except ApiError as error:
            self._json(error.http_status, error.body())
        except Exception:
            logger.exception("bankid simulator failed on an RP call")
            self._json(500, ApiError("internalError", "Internal error").body())

    def do_GET(self) -> None:
        self._json(405, ApiError("methodNotAllowed", "Method not allowed").body())

    do_PUT = do_DELETE = do_PATCH = do_GET


class _AppHandler(_Handler):
    """The test BankID app: an HTML page for people, JSON endpoints for tests."""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        if url.path in ("/", "/test-app"):
            self._send(303, b"", "text/plain", {"Location": APP_PREFIX})
        elif url.path == APP_PREFIX:
            self._page(query)
        elif url.path == APP_PREFIX + "orders":
            book = self.server.book
            now = book.now()
            self._json(200, {"orders": [order.summary(now) for order in book.pending()]})
        else:
            self._send(404, b"Sidan finns inte.", "text/plain; charset=utf-8")

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        action = url.path[len(APP_PREFIX) :] if url.path.startswith(APP_PREFIX) else ""
        as_json = self.headers.get_content_type() == "application/json"
        data: dict[str, Any] = {}
        try:
            raw = self._body()
            data = _json_object(raw) if as_json else {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
            result = self._act(action, data)
        except Exception as exc:
            error = exc if isinstance(exc, AppError | ApiError) else AppError("Simulatorn fick ett internt fel.", 500)
            if error is not exc:
                logger.exception("bankid simulator test app failed")
            message = error.message if isinstance(error, AppError) else error.details
            status = error.http_status
            if as_json:
                self._json(status, {"error": message})
            else:
                self._redirect({"fel": message, **_keep(data)})
            return
        if as_json:
            self._json(200, result)
        else:
            self._redirect({"klart": result.get("message", "Klart.")})

    def _act(self, action: str, data: dict[str, Any]) -> dict[str, Any]:
        book = self.server.book
        if action == "reset":
            book.reset(
                order_timeout=_seconds(data, "orderTimeout", 180.0), start_timeout=_seconds(data, "startTimeout")
            )
            return {}
        if action == "configure":
            book.configure(order_timeout=_seconds(data, "orderTimeout"), start_timeout=_seconds(data, "startTimeout"))
            return {}
        if action == "fail-next":
            book.fail_next(str(data.get("errorCode") or ""), data.get("endpoint") or None)
            return {}
        order = book.find(
            order_ref=data.get("orderRef") or None,
            qr=data.get("qr") or None,
            auto_start_token=data.get("autoStartToken") or None,
        )
        number = str(data.get("personalNumber") or data.get("identity") or "").strip()
        if action == "open":
            book.open_app(order)
            return _result(order, "BankID-appen är startad.")
        if action == "scan":
            book.scan(order, number)
            return _result(order, "QR-koden är skannad. Godkänn eller avbryt.")
        if action == "approve":
            book.approve(order, number or None)
            verb = "Legitimeringen" if order.kind == "auth" else "Underskriften"
            return _result(order, f"{verb} är godkänd.")
        if action == "cancel":
            book.user_cancel(order)
            return _result(order, "Du avbröt i BankID-appen.")
        raise AppError("Okänd åtgärd.", 404)

    def _page(self, query: dict[str, str]) -> None:
        book = self.server.book
        selected: Order | None = None
        if query.get("autostarttoken"):
            try:
                selected = book.open_app(book.find(auto_start_token=query["autostarttoken"]))
            except AppError as error:
                query.setdefault("fel", error.message)
        html = render_app_page(
            orders=book.pending(),
            now=book.now(),
            identities=self.server.names.identities,
            selected=selected,
            notice=query.get("klart"),
            error=query.get("fel"),
        )
        self._send(
            200,
            html.encode(),
            "text/html; charset=utf-8",
            {
                "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
            },
        )

    def _redirect(self, params: dict[str, str]) -> None:
        self._send(303, b"", "text/plain", {"Location": APP_PREFIX + "?" + urlencode(params)})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], handler: type[_Handler], book: OrderBook, names: Names, tls=None):
        self.book = book
        self.names = names
        self.tls: ssl.SSLContext | None = tls
        super().__init__(address, handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        """TLS handshake in the worker thread, so a slow or refused client never blocks accept()."""
        if self.tls is None:
            super().finish_request(request, client_address)
            return
        request.settimeout(10)
        try:
            connection = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            # No certificate, or one not issued by our CA: refused, as BankID does.
            logger.info("bankid simulator refused a TLS client", extra={"error": type(exc).__name__})
            return
        try:
            super().finish_request(connection, client_address)
        finally:
            with contextlib.suppress(OSError):
                connection.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("bankid simulator connection error", exc_info=True)


def server_context(pki: Pki) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(pki.server_cert, pki.server_key)
    context.load_verify_locations(cafile=pki.ca_cert)
    context.verify_mode = ssl.CERT_REQUIRED
    return context


class BankIdSimulator:
    """Both listeners and their shared order book; start() runs them in daemon threads."""

    def __init__(
        self,
        *,
        pki_dir: Path,
        register_file: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        app_host: str = "127.0.0.1",
        app_port: int = 0,
        order_timeout: float = 180.0,
        start_timeout: float | None = None,
    ) -> None:
        self.pki = ensure_pki(Path(pki_dir))
        self.names = Names(register_file)
        self.book = OrderBook(names=self.names, order_timeout=order_timeout, start_timeout=start_timeout)
        self._rp = _Server((host, port), _RpHandler, self.book, self.names, tls=server_context(self.pki))
        self._app = _Server((app_host, app_port), _AppHandler, self.book, self.names)
        self._threads: list[threading.Thread] = []

    @property
    def base_url(self) -> str:
        host, port = self._rp.server_address[:2]
        return f"https://{_url_host(host)}:{port}{RP_PREFIX}"

    @property
    def app_url(self) -> str:
        host, port = self._app.server_address[:2]
        return f"http://{_url_host(host)}:{port}{APP_PREFIX}"

    def start(self) -> BankIdSimulator:
        for name, server in (("rp", self._rp), ("app", self._app)):
            thread = threading.Thread(target=server.serve_forever, name=f"bankid-simulator-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in (self._rp, self._app):
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()


def _url_host(host: str | bytes | bytearray) -> str:
    text = host.decode() if isinstance(host, (bytes, bytearray)) else host
    return f"[{text}]" if ":" in text else text


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        raise AppError("Ogiltig JSON.") from None
    if not isinstance(data, dict):
        raise AppError("Ogiltig JSON.")
    return data


@overload
def _seconds(data: dict[str, Any], key: str, default: float) -> float: ...
@overload
def _seconds(data: dict[str, Any], key: str, default: None = None) -> float | None: ...
def _seconds(data: dict[str, Any], key: str, default: float | None = None) -> float | None:
    value = data.get(key)
    if value in (None, ""):
        return default
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise AppError(f"{key} måste vara ett antal sekunder.") from None
    if seconds < 0:
        raise AppError(f"{key} får inte vara negativt.")
    return seconds


def _result(order: Order, message: str) -> dict[str, Any]:
    return {"orderRef": order.order_ref, "status": order.status, "hintCode": order.hint_code, "message": message}


def _keep(data: dict[str, Any]) -> dict[str, str]:
    """After a refused form, keep the order open on the page (never the personal number in the URL)."""
    return {"order": str(data["orderRef"])} if data.get("orderRef") else {}
