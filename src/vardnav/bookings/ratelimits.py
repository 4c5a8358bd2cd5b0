"""Rate limits on cancelling by code, in the pattern of identity.ratelimits.

Why: the "Avboka tid" page is open to anyone, so it is where a guesser would
try codes. A code has 2^60 possibilities, so guessing is hopeless anyway;
the limits keep a script from even trying. Every attempt counts, right or
wrong, per client address (an IPv4 address, or the /64 of an IPv6 one).
Limits are read when a request is checked, from optional settings:
    VARDNAV_CANCEL_CODE_MINUTE_RATE "10/m" per client address
    VARDNAV_CANCEL_CODE_HOUR_RATE   "30/h" per client address
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from vardnav.identity.ratelimits import _ip_key, check_rate


def check_cancel_code_rate(request: HttpRequest) -> None:
    check_rate(
        request,
        group="bookings.cancel_code.minute",
        key=_ip_key,
        rate=getattr(settings, "VARDNAV_CANCEL_CODE_MINUTE_RATE", "10/m"),
    )
    check_rate(
        request,
        group="bookings.cancel_code.hour",
        key=_ip_key,
        rate=getattr(settings, "VARDNAV_CANCEL_CODE_HOUR_RATE", "30/h"),
    )
