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

import httpx
import pytest

from vardnav.swish_simulator import SwishSimulator


class SwishSimulatorError(AssertionError):
    """The test app refused a step; the message is the app's Swedish text."""


class SwishSimulatorHandle:
    """The payer's phone: every step goes through the simulator's HTTP test-app endpoints."""

    def __init__(self, simulator: SwishSimulator) -> None:
        self.base_url = simulator.base_url
        self.app_url = simulator.app_url
        self.ca_file = simulator.pki.ca_cert
        self.client_cert_file = simulator.pki.client_cert
        self.client_key_file = simulator.pki.client_key
        self._http = httpx.Client(base_url=simulator.app_url, timeout=20, trust_env=False)

    def pay(self, payment_id: str, payer_alias: str = "46700000001") -> dict:
        """The payer approves; waits until the callback has been delivered (and answered)."""
        return self._post("pay", id=payment_id, payerAlias=payer_alias, wait=True)

    def decline(self, payment_id: str) -> dict:
        return self._post("decline", id=payment_id, wait=True)

    def resend_callback(self, payment_id: str) -> dict:
        """Deliver the final state's callback once more (Swish may repeat callbacks)."""
        return self._post("resend", id=payment_id)

    def payments(self) -> list[dict]:
        response = self._http.get("payments")
        response.raise_for_status()
        return response.json()["payments"]

    def callbacks(self) -> list[dict]:
        response = self._http.get("callbacks")
        response.raise_for_status()
        return response.json()["callbacks"]

    def reset(self) -> None:
        self._post("reset")

    def close(self) -> None:
        self._http.close()

    def _post(self, action: str, **fields: Any) -> dict:
        response = self._http.post(action, json={k: v for k, v in fields.items() if v is not None})
        if response.status_code != 200:
            raise SwishSimulatorError(f"test app refused {action}: {response.json().get('error')}")
        return response.json()


@pytest.fixture(scope="session")
def swish_simulator_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SwishSimulator]:
    simulator = SwishSimulator(pki_dir=Path(tmp_path_factory.mktemp("swish")) / "pki").start()
    yield simulator
    simulator.stop()


@pytest.fixture
def swish_simulator(swish_simulator_server: SwishSimulator, settings: Any) -> Iterator[SwishSimulatorHandle]:
    """A clean simulator for this test, with the client settings pointed at it."""
    handle = SwishSimulatorHandle(swish_simulator_server)
    handle.reset()
    settings.SWISH_BASE_URL = handle.base_url
    settings.SWISH_CA_FILE = str(handle.ca_file)
    settings.SWISH_CERT_FILE = str(handle.client_cert_file)
    settings.SWISH_KEY_FILE = str(handle.client_key_file)
    settings.SWISH_KEY_PASSWORD = None
    settings.SWISH_PAYEE_ALIAS = "1234679304"
    settings.SWISH_TEST_APP_URL = handle.app_url
    yield handle
    handle.close()
