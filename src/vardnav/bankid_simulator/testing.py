"""pytest support: a real BankID simulator over mutual TLS for tests of every app.

Why a fixture rather than mocks: the login views and the client are tested
against the same protocol, TLS and timing the demo uses. One simulator runs
per test session (per xdist worker) on free ports with its own PKI; each test
gets a clean order book and Django settings pointing the client at it.

Use: add "vardnav.bankid_simulator.testing" to pytest_plugins, then

    def test_login(bankid_simulator, client):
        start = get_bankid_client().auth("127.0.0.1")
        bankid_simulator.approve(start.order_ref, demo_identities.RESIDENT_A)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings as django_settings

from vardnav.bankid_simulator import BankIdSimulator


class SimulatorError(AssertionError):
    """The test app refused a step; the message is the app's Swedish text."""


class SimulatorHandle:
    """A simulator's test app (the tester's phone) over HTTP, and the PKI its clients use. Shared by
    the BankID and the Swish simulators' fixtures (swish_simulator.testing builds on it)."""

    error_class: type[AssertionError] = SimulatorError
    timeout = 10.0

    def __init__(self, simulator: Any) -> None:
        self._simulator = simulator
        self.base_url = simulator.base_url
        self.app_url = simulator.app_url
        self.ca_file = simulator.pki.ca_cert
        self.client_cert_file = simulator.pki.client_cert
        self.client_key_file = simulator.pki.client_key
        self._http = httpx.Client(base_url=simulator.app_url, timeout=self.timeout, trust_env=False)

    def point_settings(self, settings: Any, prefix: str) -> None:
        """Point the client's settings (`{prefix}_BASE_URL` and the certificates) at this simulator."""
        setattr(settings, f"{prefix}_BASE_URL", self.base_url)
        setattr(settings, f"{prefix}_CA_FILE", str(self.ca_file))
        setattr(settings, f"{prefix}_CERT_FILE", str(self.client_cert_file))
        setattr(settings, f"{prefix}_KEY_FILE", str(self.client_key_file))
        setattr(settings, f"{prefix}_KEY_PASSWORD", None)
        setattr(settings, f"{prefix}_TEST_APP_URL", self.app_url)

    def reset(self) -> None:
        self._post("reset")

    def close(self) -> None:
        self._http.close()

    def _get(self, listing: str) -> list[dict]:
        response = self._http.get(listing)
        response.raise_for_status()
        return response.json()[listing]

    def _post(self, action: str, **fields: Any) -> dict:
        response = self._http.post(action, json={k: v for k, v in fields.items() if v is not None})
        if response.status_code != 200:
            raise self.error_class(f"test app refused {action}: {response.json().get('error')}")
        return response.json()


def use_simulator(handle: SimulatorHandle, settings: Any, prefix: str) -> Iterator[Any]:
    """The body of a per-test simulator fixture: a clean book, the settings pointed at it, closed after."""
    handle.reset()
    handle.point_settings(settings, prefix)
    yield handle
    handle.close()


class BankIdSimulatorHandle(SimulatorHandle):
    """The tester's phone: every step goes through the simulator's HTTP test-app endpoints."""

    def scan(self, order_ref: str | None = None, personal_number: str = "", *, qr: str | None = None) -> dict:
        """Scan the QR (by content, checked against the order's secret) or pick the order by ref."""
        return self._post("scan", orderRef=order_ref, qr=qr, personalNumber=personal_number)

    def open_app(self, auto_start_token: str) -> dict:
        """The app was started on this device with the autostart token (hintCode "started")."""
        return self._post("open", autoStartToken=auto_start_token)

    def approve(self, order_ref: str | None, personal_number: str | None = None, *, qr: str | None = None) -> dict:
        """Scan (if not yet) and approve with the security code, as `personal_number`."""
        return self._post("approve", orderRef=order_ref, qr=qr, personalNumber=personal_number)

    def user_cancel(self, order_ref: str) -> dict:
        return self._post("cancel", orderRef=order_ref)

    def fail_next(self, error_code: str, endpoint: str | None = None) -> None:
        """The next RP call (to auth/sign/collect/cancel, or any) answers with this BankID error."""
        self._post("fail-next", errorCode=error_code, endpoint=endpoint)

    def configure(self, *, order_timeout: float | None = None, start_timeout: float | None = None) -> None:
        self._post("configure", orderTimeout=order_timeout, startTimeout=start_timeout)

    def pending_orders(self) -> list[dict]:
        return self._get("orders")


@pytest.fixture(scope="session")
def bankid_simulator_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BankIdSimulator]:
    simulator = BankIdSimulator(
        pki_dir=Path(tmp_path_factory.mktemp("bankid")) / "pki",
        register_file=django_settings.POPULATION_REGISTER_FILE,
    ).start()
    yield simulator
    simulator.stop()


@pytest.fixture
def bankid_simulator(bankid_simulator_server: BankIdSimulator, settings: Any) -> Iterator[BankIdSimulatorHandle]:
    """A clean simulator for this test, with the client settings pointed at it."""
    yield from use_simulator(BankIdSimulatorHandle(bankid_simulator_server), settings, "BANKID")
