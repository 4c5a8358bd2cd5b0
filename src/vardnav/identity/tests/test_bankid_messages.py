"""Every BankID state has a short Swedish message; unknown codes get a generic one."""

from __future__ import annotations

import pytest

from vardnav.identity.bankid.messages import message_for, message_for_error

# BankID's recommended user messages (RFA codes, BankID RP API v6 documentation), written out here on purpose.
PENDING = ["outstandingTransaction", "noClient", "started", "userMrtd", "userCallConfirm", "userSign"]
FAILED = [
    "expiredTransaction",
    "certificateErr",
    "userCancel",
    "cancelled",
    "startFailed",
    "userDeclinedCall",
    "notSupportedByUserApp",
    "transactionRiskBlocked",
]
ERRORS = ["invalidParameters", "alreadyInProgress", "internalError", "maintenance", "unauthorized", "notFound"]
ERRORS += ["requestTimeout", "transport"]


@pytest.mark.parametrize("qr_flow", [True, False])
@pytest.mark.parametrize(("status", "hint_code"), [("pending", c) for c in PENDING] + [("failed", c) for c in FAILED])
def test_every_hint_code_has_its_own_swedish_message(status, hint_code, qr_flow):
    message = message_for(status, hint_code, qr_flow=qr_flow)
    generic = message_for(status, "aCodeBankIdInventsNextYear", qr_flow=qr_flow)
    assert message and message != generic
    assert message[-1] in ".…"
    assert not any(word in message.lower() for word in (" the ", " please ", "error", "failed"))


def test_unknown_codes_get_a_generic_message():
    assert message_for("pending", "somethingNew", qr_flow=True) == message_for("pending", None, qr_flow=True)
    assert message_for("failed", "somethingNew", qr_flow=True) == "Något gick fel. Försök igen."
    assert message_for("weird", None, qr_flow=False) == "Något gick fel. Försök igen."


def test_the_qr_flow_and_the_same_device_flow_are_told_different_things():
    assert "QR" in message_for("pending", "outstandingTransaction", qr_flow=True)
    assert "QR" not in message_for("pending", "outstandingTransaction", qr_flow=False)
    assert message_for("failed", "startFailed", qr_flow=True) != message_for("failed", "startFailed", qr_flow=False)


def test_a_completed_order_says_so():
    assert "identifierad" in message_for("complete", None, qr_flow=True)


@pytest.mark.parametrize("code", ERRORS)
def test_every_error_code_has_a_message(code):
    assert message_for_error(code)


def test_already_in_progress_tells_the_user_to_finish_the_other_one():
    assert "redan" in message_for_error("alreadyInProgress")
    assert message_for_error("someFutureError") == message_for_error("internalError")


def test_our_own_faults_are_not_blamed_on_bankid():
    assert "hos BankID" not in message_for_error("invalidParameters")
    assert "hos BankID" in message_for_error("maintenance")
