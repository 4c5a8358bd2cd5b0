"""Antivirus scanning through ClamAV's daemon (ASVS 5.0 5.4.3), when one is configured.

Off unless CLAMD_SOCKET (a Unix socket) or CLAMD_HOST is set: the demo has no
daemon. When it is on, every uploaded file is streamed to clamd (INSTREAM)
before any parser touches it, and the upload fails closed: a file clamd calls
infected is refused, and so is every file while clamd cannot be reached or
answers with an error, because an unscanned file must not slip through.
"""

from __future__ import annotations

import logging
from pathlib import Path

import clamd
from django.conf import settings

from vardnav.attachments.errors import FileRefused

logger = logging.getLogger(__name__)


def scanner_configured() -> bool:
    return bool(settings.CLAMD_SOCKET or settings.CLAMD_HOST)


def _client() -> clamd.ClamdNetworkSocket:
    timeout = settings.CLAMD_TIMEOUT_SECONDS
    if settings.CLAMD_SOCKET:
        return clamd.ClamdUnixSocket(path=settings.CLAMD_SOCKET, timeout=timeout)
    return clamd.ClamdNetworkSocket(host=settings.CLAMD_HOST, port=settings.CLAMD_PORT, timeout=timeout)


def check_for_malware(path: Path) -> None:
    """Raise FileRefused when clamd finds something, or cannot say (fail closed)."""
    if not scanner_configured():
        return
    try:
        with path.open("rb") as handle:
            result = _client().instream(handle)
        status, signature = (result or {}).get("stream", ("ERROR", "no answer"))
    except (clamd.ClamdError, OSError) as exc:
        logger.warning("clamd unavailable: %s", type(exc).__name__)
        status, signature = "ERROR", "unavailable"
    if status == "OK":
        return
    if status == "FOUND":
        logger.warning("clamd found malware in an upload: %s", signature)
        raise FileRefused("malware", "Filen innehåller skadlig kod och togs inte emot.")
    raise FileRefused("scan-unavailable", "Filen kunde inte virussökas just nu. Försök igen om en stund.", status=503)
