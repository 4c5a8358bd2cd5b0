"""Short Swedish messages for each BankID state, in our own words.

Why a table: BankID's guidelines give a recommended user message (RFA) for each
collect status, hintCode and errorCode; the login page shows exactly one of
them. Unknown codes get a generic message, as the RP API asks, so a new code
from BankID never breaks the page. The RFA number each text follows is noted.
"""

from __future__ import annotations

from vardnav.identity.errors import bankid_error_code

PENDING_HINT_CODES = ("outstandingTransaction", "noClient", "started", "userMrtd", "userCallConfirm", "userSign")
FAILED_HINT_CODES = (
    "expiredTransaction",
    "certificateErr",
    "userCancel",
    "cancelled",
    "startFailed",
    "userDeclinedCall",
    "notSupportedByUserApp",
    "transactionRiskBlocked",
)
HINT_CODES = PENDING_HINT_CODES + FAILED_HINT_CODES

# Waiting: QR on another device vs. the app started on this device.
_START_QR = "Starta BankID-appen i din mobil, tryck på QR-symbolen och skanna QR-koden."  # RFA1
_START_SAME_DEVICE = "Startar BankID-appen …"  # RFA13
_SEARCHING = "Letar efter ditt BankID. Det kan ta en liten stund."  # RFA14/RFA15
_IN_PROGRESS = "Legitimering eller underskrift pågår."  # RFA21
_USER_SIGN = "Skriv in din säkerhetskod eller använd biometri i BankID-appen."  # RFA9
_USER_MRTD = "Följ instruktionerna i BankID-appen för att läsa av din id-handling."  # RFA23
_CALL_CONFIRM = "Bekräfta i BankID-appen att du pratar i telefon med oss."

_PENDING = {
    "started": _SEARCHING,
    "userSign": _USER_SIGN,
    "userMrtd": _USER_MRTD,
    "userCallConfirm": _CALL_CONFIRM,
}

_FAILED = {
    "expiredTransaction": "BankID-appen svarade inte i tid. Kontrollera att appen är startad och att du har "
    "internetanslutning, och försök sedan igen.",  # RFA8
    "certificateErr": "Ditt BankID är spärrat eller för gammalt. Använd ett annat BankID eller hämta ett nytt "
    "hos din bank.",  # RFA16
    "userCancel": "Du avbröt i BankID-appen.",  # RFA6
    "cancelled": "Inloggningen avbröts eftersom en ny påbörjades. Försök igen.",  # RFA3
    "userDeclinedCall": "Du svarade i BankID-appen att du inte pratar i telefon med oss. Åtgärden avbröts.",
    "notSupportedByUserApp": "Din BankID-app behöver uppdateras. Uppdatera den och försök igen.",
    "transactionRiskBlocked": "BankID stoppade åtgärden av säkerhetsskäl. Försök igen senare.",
}
_START_FAILED_QR = (
    "QR-koden kunde inte läsas av. Starta BankID-appen och skanna koden igen. Har du ingen BankID-app "
    "behöver du installera den och hämta ett BankID hos din bank."  # RFA17B
)
_START_FAILED_SAME_DEVICE = (
    "BankID-appen verkar inte finnas på den här enheten. Installera den och hämta ett BankID hos din bank, "
    "eller logga in med BankID på en annan enhet."  # RFA17A
)
_FAILED_GENERIC = "Något gick fel. Försök igen."  # RFA22
_COMPLETE = "Klart! Du är identifierad."


def message_for(status: str, hint_code: str | None, *, qr_flow: bool) -> str:
    """The message for a collect result; qr_flow=False when the app was started on this device."""
    if status == "complete":
        return _COMPLETE
    if status == "pending":
        if hint_code in ("outstandingTransaction", "noClient"):
            return _START_QR if qr_flow or hint_code == "noClient" else _START_SAME_DEVICE
        return _PENDING.get(hint_code or "", _IN_PROGRESS)
    if status == "failed":
        if hint_code == "startFailed":
            return _START_FAILED_QR if qr_flow else _START_FAILED_SAME_DEVICE
        return _FAILED.get(hint_code or "", _FAILED_GENERIC)
    return _FAILED_GENERIC


def message_for_error(error_code: str) -> str:
    """The message for a BankIdError; unknown codes count as a technical error."""
    return str(bankid_error_code(error_code).message)
