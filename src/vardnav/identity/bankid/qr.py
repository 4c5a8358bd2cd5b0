"""The animated BankID QR code and the same-device autostart link.

Why computed on the server every second: the QR content is an HMAC keyed with
qrStartSecret, which must never reach the browser; the page polls for a fresh
code (RP API v6, "Animated QR code").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import re
from urllib.parse import quote

import segno

from vardnav.core import clock

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
QR_LABEL = "QR-kod för inloggning med BankID. Skanna den med BankID-appen i din mobil."


def qr_auth_code(qr_start_secret: str, seconds: int) -> str:
    return hmac.new(qr_start_secret.encode(), str(seconds).encode(), hashlib.sha256).hexdigest()


def qr_content(qr_start_token: str, qr_start_secret: str, seconds: int) -> str:
    """`bankid.{qrStartToken}.{time}.{HMAC-SHA256(qrStartSecret, time) as hex}`."""
    if seconds < 0:
        raise ValueError("seconds must not be negative")
    return f"bankid.{qr_start_token}.{seconds}.{qr_auth_code(qr_start_secret, seconds)}"


def qr_seconds(started_at: dt.datetime, now: dt.datetime | None = None) -> int:
    """Whole seconds since the /auth or /sign response arrived (OrderStart.started_at)."""
    elapsed = ((now or clock.now()) - started_at).total_seconds()
    return max(0, math.floor(elapsed))


def qr_svg(content: str, *, label: str = QR_LABEL) -> str:
    """Inline SVG that scales with CSS (viewBox, no fixed size) and has an accessible name."""
    svg = segno.make(content, error="l", micro=False).svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="bankid-qr", lineclass=None, title=label
    )
    # The namespace matters: the page swaps in each new code by parsing this text as
    # image/svg+xml, and without xmlns the parsed element is not SVG and renders as text.
    return re.sub(r"^<svg\b", f'<svg xmlns="{SVG_NAMESPACE}" role="img" aria-label="{_attr(label)}"', svg, count=1)


def autostart_url(auto_start_token: str, redirect: str = "null") -> str:
    """Link that starts the BankID app on the same device (redirect "null": stay in the app)."""
    return f"bankid:///?autostarttoken={quote(auto_start_token, safe='')}&redirect={quote(redirect, safe='')}"


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
