"""The simulator speaks BankID's wire format, serves the test app, and runs as a command."""

from __future__ import annotations

import base64
import os
import re
import socket
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from vardnav.demo import identities as demo_identities
from vardnav.identity.bankid.client import BankIdClient

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def rp(bankid_simulator):
    """A raw mutual-TLS HTTP client, to look at the simulator's exact answers."""
    context = ssl.create_default_context(cafile=str(bankid_simulator.ca_file))
    context.load_cert_chain(bankid_simulator.client_cert_file, bankid_simulator.client_key_file)
    with httpx.Client(base_url=bankid_simulator.base_url, verify=context, trust_env=False, timeout=5) as http:
        yield http


def test_auth_answers_four_uuids(rp):
    response = rp.post("auth", json={"endUserIp": "192.0.2.10"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"orderRef", "autoStartToken", "qrStartToken", "qrStartSecret"}
    uuid = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
    assert all(uuid.match(value) for value in body.values())
    assert len(set(body.values())) == 4


def test_pending_and_complete_collect_answers_have_bankids_fields(rp, bankid_simulator):
    order_ref = rp.post("auth", json={"endUserIp": "192.0.2.10"}).json()["orderRef"]
    assert rp.post("collect", json={"orderRef": order_ref}).json() == {
        "orderRef": order_ref,
        "status": "pending",
        "hintCode": "outstandingTransaction",
    }
    bankid_simulator.approve(order_ref, demo_identities.AGED_85)
    body = rp.post("collect", json={"orderRef": order_ref}).json()
    assert set(body) == {"orderRef", "status", "completionData"}
    data = body["completionData"]
    assert set(data["user"]) == {"personalNumber", "name", "givenName", "surname"}
    assert set(data["device"]) == {"ipAddress", "uhi"}
    assert data["device"]["ipAddress"] == "192.0.2.10"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["bankIdIssueDate"])
    base64.b64decode(data["signature"], validate=True)
    base64.b64decode(data["ocspResponse"], validate=True)


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("cancel", {"orderRef": "00000000-0000-4000-8000-000000000000"}, 400, "invalidParameters"),
        ("collect", {}, 400, "invalidParameters"),
        ("auth", {}, 400, "invalidParameters"),
        ("sign", {"endUserIp": "127.0.0.1"}, 400, "invalidParameters"),
        ("auth", {"endUserIp": "127.0.0.1", "userVisibleData": "not base64!"}, 400, "invalidParameters"),
        ("phone/auth", {"personalNumber": demo_identities.RESIDENT_A, "callInitiator": "RP"}, 404, "notFound"),
        ("nothing-here", {}, 404, "notFound"),
    ],
)
def test_errors_are_answered_exactly_as_bankid_does(rp, path, body, status, code):
    response = rp.post(path, json=body)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) == {"errorCode", "details"}
    assert response.json()["errorCode"] == code


def test_a_get_is_method_not_allowed(rp):
    response = rp.get("auth")
    assert (response.status_code, response.json()["errorCode"]) == (405, "methodNotAllowed")


def test_a_body_that_is_not_json_is_unsupported_media_type(rp):
    response = rp.post("auth", content=b"endUserIp=1", headers={"Content-Type": "text/plain"})
    assert (response.status_code, response.json()["errorCode"]) == (415, "unsupportedMediaType")


def test_cancel_answers_an_empty_object(rp):
    order_ref = rp.post("auth", json={"endUserIp": "127.0.0.1"}).json()["orderRef"]
    response = rp.post("cancel", json={"orderRef": order_ref})
    assert (response.status_code, response.json()) == (200, {})


def test_the_test_app_page_lists_pending_orders_in_swedish(bankid_simulator, rp):
    rp.post(
        "sign",
        json={"endUserIp": "127.0.0.1", "userVisibleData": base64.b64encode("Förnya <recept>".encode()).decode()},
    )
    page = httpx.get(bankid_simulator.app_url, trust_env=False)
    assert page.status_code == 200
    assert '<html lang="sv">' in page.text
    assert "Pågående order (1)" in page.text
    assert "Förnya &lt;recept&gt;" in page.text  # escaped
    assert "Skriv under" in page.text and "Avbryt" in page.text
    assert "Anna Lindqvist" in page.text  # demo identities from the population register


def test_the_test_app_form_approves_an_order_like_the_phone_would(bankid_simulator, rp):
    order_ref = rp.post("auth", json={"endUserIp": "127.0.0.1"}).json()["orderRef"]
    response = httpx.post(
        bankid_simulator.app_url + "approve",
        data={"orderRef": order_ref, "identity": demo_identities.GUARDIAN, "personalNumber": ""},
        trust_env=False,
    )
    assert response.status_code == 303
    assert demo_identities.GUARDIAN not in response.headers["location"]
    assert rp.post("collect", json={"orderRef": order_ref}).json()["status"] == "complete"


def test_the_test_app_refuses_an_invalid_personal_number(bankid_simulator, rp):
    order_ref = rp.post("auth", json={"endUserIp": "127.0.0.1"}).json()["orderRef"]
    response = httpx.post(
        bankid_simulator.app_url + "approve",
        json={"orderRef": order_ref, "personalNumber": "197601012392"},  # wrong check digit
        trust_env=False,
    )
    assert response.status_code == 400
    assert "giltigt personnummer" in response.json()["error"]


def test_the_autostart_link_opens_the_order_on_the_test_app_page(bankid_simulator, rp):
    body = rp.post("auth", json={"endUserIp": "127.0.0.1"}).json()
    page = httpx.get(bankid_simulator.app_url, params={"autostarttoken": body["autoStartToken"]}, trust_env=False)
    assert 'class="order selected"' in page.text
    assert rp.post("collect", json={"orderRef": body["orderRef"]}).json()["hintCode"] == "started"


def test_the_command_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never production"):
        call_command("bankid_simulator", "--port", "0")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_command_serves_the_demo_with_certificates_in_the_var_directory(tmp_path):
    port, app_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BANKID_", "DATABASE_URL"))}
    env.update(VARDNAV_ENV="development", VARDNAV_VAR_DIR=str(tmp_path))
    command = [sys.executable, str(ROOT / "manage.py"), "bankid_simulator", "--port", str(port)]
    process = subprocess.Popen([*command, "--app-port", str(app_port)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        banner = process.stdout.readline()
        assert f"https://127.0.0.1:{port}/rp/v6.0/" in banner and f"http://127.0.0.1:{app_port}/test-app/" in banner
        pki = tmp_path / "bankid"
        client = BankIdClient(
            f"https://127.0.0.1:{port}/rp/v6.0/",
            cert_file=pki / "rp-client.pem",
            key_file=pki / "rp-client-key.pem",
            ca_file=pki / "ca.pem",
        )
        start = client.auth("127.0.0.1")
        httpx.post(
            f"http://127.0.0.1:{app_port}/test-app/approve",
            json={"orderRef": start.order_ref, "personalNumber": demo_identities.RESIDENT_A},
            trust_env=False,
        ).raise_for_status()
        assert client.collect(start.order_ref).status == "complete"
        client.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
