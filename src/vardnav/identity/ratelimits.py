"""Rate limits on the login endpoints, shared by the pages and the API.

Why: starting a BankID order costs a call to the BankID service and each poll
costs another; an unthrottled client could run up our quota or hammer BankID on
our certificate. Counters live in the default cache (Redis in production, the
database table "vardnav_cache" otherwise), so every web process sees the same
counts. The database cache increments without a lock: under heavy concurrency
a few requests more than the limit may slip through, which is acceptable for a
guard against abuse (use Redis where it matters).

Limits are read when a request is checked (never at import) from optional
settings, with these defaults:
    VARDNAV_LOGIN_START_RATE  "10/m"  per client IP address
    VARDNAV_LOGIN_POLL_RATE   "60/m"  per session
    VARDNAV_LOGIN_PERSON_RATE "20/h"  completed logins per personal number
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

from vardnav.core.errors import DomainError
from vardnav.identity.errors import IdentityError

UNKNOWN_CLIENT = "unknown-client"

_DEFAULTS = {
    "start": ("VARDNAV_LOGIN_START_RATE", "10/m"),
    "poll": ("VARDNAV_LOGIN_POLL_RATE", "60/m"),
    "person": ("VARDNAV_LOGIN_PERSON_RATE", "20/h"),
}


def wait_text(seconds: int) -> str:
    """How long to wait, as a person says it: "45 sekunder", "2 minuter", "1 timme"."""
    if seconds < 60:
        return ngettext("%(count)d sekund", "%(count)d sekunder", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return ngettext("%(count)d minut", "%(count)d minuter", minutes) % {"count": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext("%(count)d timme", "%(count)d timmar", hours) % {"count": hours}


class RateLimited(DomainError):
    """429 with how long to wait: in the message, and as Retry-After for programs (RFC 9110 10.2.3)."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, retry_after)
        super().__init__(
            IdentityError.RATE_LIMITED,
            headers={"Retry-After": str(self.retry_after)},
            wait=wait_text(self.retry_after),
        )


def check_rate(request: HttpRequest, *, group: str, key: Any, rate: str) -> None:
    """Count this request in `group`; over the rate, refuse it with the seconds left in the window."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage is not None and usage["should_limit"]:
        raise RateLimited(int(usage["time_left"]))


def _rate(kind: str) -> str:
    name, default = _DEFAULTS[kind]
    return getattr(settings, name, default)


def _client_address(request: HttpRequest) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """REMOTE_ADDR as an address; None when the request has none or it is not an address."""
    try:
        return ipaddress.ip_address((request.META.get("REMOTE_ADDR") or "").strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address BankID is told the user is at (it refuses anything but an IP address: 127.0.0.1 if unknown)."""
    address = _client_address(request)
    return str(address) if address is not None else "127.0.0.1"


def _ip_key(group: str, request: HttpRequest) -> str:
    """The per-IP counter's key: the client's network (an IPv6 client's /64), or UNKNOWN_CLIENT.

    Why not django-ratelimit's own key="ip": it reads request.META["REMOTE_ADDR"]
    unchecked and fails with KeyError (a 500) when a server or test client sends
    none, and with ValueError when it is not an address (e.g. "unix:" behind some
    proxies). Requests without a usable address share one counter instead: they
    are still limited, never an error.
    """
    address = _client_address(request)
    if address is None:
        return UNKNOWN_CLIENT
    prefix = 64 if address.version == 6 else 32
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def _session_key(group: str, request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or client_ip(request)


def check_login_start_rate(request: HttpRequest) -> None:
    """10 BankID orders a minute from one IP address (default)."""
    check_rate(request, group="identity.login.start", key=_ip_key, rate=_rate("start"))


def check_login_poll_rate(request: HttpRequest) -> None:
    """60 status polls a minute from one session (default); the page polls every 2 s."""
    check_rate(request, group="identity.login.poll", key=_session_key, rate=_rate("poll"))


def check_login_person_rate(request: HttpRequest, personal_number: str) -> None:
    """Completed logins per personal number (default 20 an hour), counted under a hash of the number.

    Why: a stolen BankID used in a script would otherwise open sessions without
    limit. The cache key is a hash so the number never sits in the cache.
    """
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{personal_number}".encode()).hexdigest()

    def key(group: str, request: HttpRequest) -> str:
        return digest

    check_rate(request, group="identity.login.person", key=key, rate=_rate("person"))
