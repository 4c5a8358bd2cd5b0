"""The test BankID app's one HTML page: what the user's phone would show.

Why hand-written HTML with html.escape: the simulator runs without Django and
the page is tiny. Swedish, usable with keyboard and screen reader, no script.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from vardnav.bankid_simulator.orders import Order
from vardnav.bankid_simulator.register import Identity

_KIND = {"auth": "Legitimering", "sign": "Underskrift"}
_HINT = {
    "outstandingTransaction": "Väntar på att QR-koden skannas",
    "noClient": "Väntar på att QR-koden skannas",
    "started": "Appen är startad",
    "userSign": "Väntar på godkännande",
}

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:46rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin:0 0 .5rem}
.order,.scan{border:1px solid #767676;border-radius:.5rem;padding:1rem;margin:1rem 0}
.order.selected{border:3px solid #193e4f}
.notice{background:#e6f4ea;border-left:4px solid #1e7e34;padding:.5rem 1rem}
.error{background:#fdecea;border-left:4px solid #b00020;padding:.5rem 1rem}
label{display:block;font-weight:600;margin-top:.5rem}
select,input,textarea{font:inherit;padding:.3rem;width:100%;box-sizing:border-box}
button{font:inherit;padding:.4rem 1rem;margin:.75rem .5rem 0 0;cursor:pointer}
button.approve{background:#193e4f;color:#fff;border:0;border-radius:.3rem}
blockquote{margin:.5rem 0;padding:.5rem;background:#f3f3f3;white-space:pre-wrap}
.meta{color:#4a4a4a;font-size:.9rem}
:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
"""


def render_app_page(
    *,
    orders: Iterable[Order],
    now: float,
    identities: list[Identity],
    selected: Order | None,
    notice: str | None,
    error: str | None,
) -> str:
    orders = list(orders)
    parts = [
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Test-BankID – Vårdnav</title><style>{_STYLE}</style></head><body><main>",
        "<h1>Test-BankID</h1>",
        "<p>Den här sidan låtsas vara BankID-appen i mobilen. Välj en testperson och godkänn "
        "eller avbryt – som när man skannar QR-koden och legitimerar sig. Endast för utveckling och test.</p>",
    ]
    if notice:
        parts.append(f'<p class="notice" role="status">{escape(notice)}</p>')
    if error:
        parts.append(f'<p class="error" role="alert">{escape(error)}</p>')
    parts.append('<section class="scan" aria-labelledby="scan-heading"><h2 id="scan-heading">Skanna QR-kod</h2>')
    parts.append('<form method="post" action="/test-app/approve">')
    parts.append(
        '<label for="qr">QR-kodens innehåll</label>'
        '<textarea id="qr" name="qr" rows="2" required placeholder="bankid.…"></textarea>'
    )
    parts.append(_person_fields("qr", identities))
    parts.append('<button class="approve" type="submit">Legitimera</button></form></section>')
    parts.append(f'<h2 id="orders-heading">Pågående order ({len(orders)})</h2>')
    if not orders:
        parts.append(
            '<p>Inga pågående order. Starta en inloggning i Vårdnav och <a href="/test-app/">uppdatera</a>.</p>'
        )
    for order in orders:
        parts.append(_order_section(order, now, identities, order is selected))
    parts.append('<p><a href="/test-app/">Uppdatera listan</a></p></main></body></html>')
    return "".join(parts)


def _order_section(order: Order, now: float, identities: list[Identity], selected: bool) -> str:
    ref = escape(order.order_ref)
    prefix = f"o-{ref[:8]}"
    kind = _KIND.get(order.kind, order.kind)
    status = _HINT.get(order.hint_code or "", order.hint_code or "")
    parts = [
        f'<section class="order{" selected" if selected else ""}" aria-labelledby="{prefix}-h">',
        f'<h2 id="{prefix}-h">{kind} – startad för {int(now - order.created)} s sedan</h2>',
        f'<p class="meta">Status: {escape(status)}. Order: <code>{ref}</code></p>',
    ]
    if order.user_visible_data:
        parts.append(f"<p>Text från tjänsten:</p><blockquote>{escape(order.user_visible_data)}</blockquote>")
    parts.append(f'<form method="post" action="/test-app/approve"><input type="hidden" name="orderRef" value="{ref}">')
    parts.append(_person_fields(prefix, identities, locked=order.personal_number))
    verb = "Legitimera" if order.kind == "auth" else "Skriv under"
    parts.append(
        f'<button class="approve" type="submit">{verb}</button>'
        f'<button type="submit" formaction="/test-app/cancel">Avbryt</button></form></section>'
    )
    return "".join(parts)


def _person_fields(prefix: str, identities: list[Identity], locked: str | None = None) -> str:
    if locked:
        return (
            "<p>Skannad av <strong>"
            + escape(_display_number(locked))
            + f'</strong>.</p><input type="hidden" name="personalNumber" value="{escape(locked)}">'
        )
    options = "".join(
        f'<option value="{escape(i.personal_number)}">{escape(i.name)} ({escape(_display_number(i.personal_number))})'
        "</option>"
        for i in identities
    )
    return (
        f'<label for="{prefix}-identity">Testperson</label>'
        f'<select id="{prefix}-identity" name="identity"><option value="">Välj testperson …</option>{options}</select>'
        f'<label for="{prefix}-pnr">eller Skatteverkets testpersonnummer (12 siffror)</label>'
        f'<input id="{prefix}-pnr" name="personalNumber" inputmode="numeric" autocomplete="off" '
        'placeholder="ÅÅÅÅMMDD-NNNN">'
    )


def _display_number(number: str) -> str:
    return f"{number[:8]}-{number[8:]}" if len(number) == 12 else number
