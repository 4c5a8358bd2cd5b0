"""Mutual TLS: the client trusts only the pinned CA; the simulator demands an RP certificate from its CA."""

from __future__ import annotations

import ssl

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured

from vardnav.bankid_simulator.pki import ensure_pki
from vardnav.identity.bankid.client import BankIdClient, BankIdError, get_bankid_client


@pytest.fixture(scope="module")
def other_pki(tmp_path_factory):
    """A second, unrelated CA with its own server and client certificates."""
    return ensure_pki(tmp_path_factory.mktemp("other-bankid") / "pki")


def test_the_client_refuses_a_server_whose_certificate_is_not_from_the_pinned_ca(bankid_simulator, other_pki):
    client = BankIdClient(
        bankid_simulator.base_url,
        cert_file=bankid_simulator.client_cert_file,
        key_file=bankid_simulator.client_key_file,
        ca_file=other_pki.ca_cert,
    )
    with pytest.raises(BankIdError) as error:
        client.auth("127.0.0.1")
    assert error.value.error_code == "transport"
    assert "CERTIFICATE_VERIFY_FAILED" in error.value.details
    assert bankid_simulator.pending_orders() == []


def test_the_simulator_refuses_a_client_without_a_certificate(bankid_simulator):
    context = ssl.create_default_context(cafile=str(bankid_simulator.ca_file))
    with httpx.Client(verify=context, trust_env=False, timeout=5) as http, pytest.raises(httpx.TransportError):
        http.post(bankid_simulator.base_url + "auth", json={"endUserIp": "127.0.0.1"})
    assert bankid_simulator.pending_orders() == []


def test_the_simulator_refuses_a_client_certificate_from_another_ca(bankid_simulator, other_pki):
    client = BankIdClient(
        bankid_simulator.base_url,
        cert_file=other_pki.client_cert,
        key_file=other_pki.client_key,
        ca_file=bankid_simulator.ca_file,
    )
    with pytest.raises(BankIdError) as error:
        client.auth("127.0.0.1")
    assert error.value.error_code == "transport"
    assert bankid_simulator.pending_orders() == []


def test_the_pki_is_generated_once_and_then_reused(tmp_path):
    first = ensure_pki(tmp_path / "pki")
    ca = first.ca_cert.read_bytes()
    second = ensure_pki(tmp_path / "pki")
    assert second.ca_cert.read_bytes() == ca
    assert oct(first.client_key.stat().st_mode & 0o777) == "0o600"


def test_bankids_own_hosts_get_bankids_bundled_root_when_no_ca_is_configured(settings):
    settings.BANKID_BASE_URL = "https://appapi2.bankid.com/rp/v6.0/"
    settings.BANKID_CA_FILE = None
    client = get_bankid_client()
    assert client._ca_file.endswith("appapi2.bankid.com.pem")


def test_any_other_host_needs_a_pinned_ca(settings):
    settings.BANKID_BASE_URL = "https://bankid.example.se/rp/v6.0/"
    settings.BANKID_CA_FILE = None
    with pytest.raises(ImproperlyConfigured, match="BANKID_CA_FILE"):
        get_bankid_client()


def test_plain_http_is_refused():
    with pytest.raises(ImproperlyConfigured, match="https"):
        BankIdClient("http://127.0.0.1:8443/rp/v6.0/", cert_file="c", key_file="k", ca_file="a")
