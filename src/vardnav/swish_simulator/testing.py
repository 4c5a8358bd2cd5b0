"""pytest support: a real Swish simulator over mutual TLS for tests of every app.

Why a fixture rather than mocks: the payment views, the callback endpoint and the
client are tested against the same protocol and TLS as the demo. One simulator runs
per test session (per xdist worker) on free ports with its own PKI; each test gets
a clean book and settings pointing the client at it.

Use: add "vardnav.swish_simulator.testing" to pytest_plugins, then

    def test_pay(swish_simulator, live_server):
        ...
        swish_simulator.pay(payment_id)  # the payer approves in the Swish app; the callback is sent
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vardnav.bankid_simulator.testing import SimulatorHandle, use_simulator
from vardnav.swish_simulator import SwishSimulator


class SwishSimulatorError(AssertionError):
    """The test app refused a step; the message is the app's Swedish text."""


class SwishSimulatorHandle(SimulatorHandle):
    """The payer's phone: every step goes through the simulator's HTTP test-app endpoints."""

    error_class = SwishSimulatorError
    timeout = 20.0

    def pay(self, payment_id: str, payer_alias: str = "46700000001") -> dict:
        """The payer approves; waits until the callback has been delivered (and answered)."""
        return self._post("pay", id=payment_id, payerAlias=payer_alias, wait=True)

    def decline(self, payment_id: str) -> dict:
        return self._post("decline", id=payment_id, wait=True)

    def resend_callback(self, payment_id: str) -> dict:
        """Deliver the final state's callback once more (Swish may repeat callbacks)."""
        return self._post("resend", id=payment_id)

    def payments(self) -> list[dict]:
        return self._get("payments")

    def callbacks(self) -> list[dict]:
        return self._get("callbacks")


@pytest.fixture(scope="session")
def swish_simulator_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SwishSimulator]:
    simulator = SwishSimulator(pki_dir=Path(tmp_path_factory.mktemp("swish")) / "pki").start()
    yield simulator
    simulator.stop()


@pytest.fixture
def swish_simulator(swish_simulator_server: SwishSimulator, settings: Any) -> Iterator[SwishSimulatorHandle]:
    """A clean simulator for this test, with the client settings pointed at it."""
    settings.SWISH_PAYEE_ALIAS = "1234679304"
    yield from use_simulator(SwishSimulatorHandle(swish_simulator_server), settings, "SWISH")
