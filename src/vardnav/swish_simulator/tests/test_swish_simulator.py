"""The Swish simulator speaks the Swish Commerce API: mutual TLS, Swish's validation codes, callbacks."""

from __future__ import annotations

import ssl

import httpx
import pytest

from vardnav.billing.swish import SwishClient, SwishError, new_instruction_id


@pytest.fixture
def client(swish_simulator) -> SwishClient:
    return SwishClient(
        swish_simulator.base_url,
        cert_file=str(swish_simulator.client_cert_file),
        key_file=str(swish_simulator.client_key_file),
        ca_file=str(swish_simulator.ca_file),
        payee_alias="1234679304",
    )


def test_the_api_refuses_a_client_without_the_merchant_certificate(swish_simulator):
    context = ssl.create_default_context(cafile=str(swish_simulator.ca_file))
    with pytest.raises(httpx.HTTPError), httpx.Client(verify=context, trust_env=False) as anonymous:
        anonymous.get(swish_simulator.base_url + "api/v1/paymentrequests/" + "A" * 32)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"amount": "1.001"}, "PA02"),
        ({"amount": "0.00"}, "AM06"),
        ({"currency": "EUR"}, "AM03"),
        ({"callbackUrl": "http://example.com/cb"}, "RP03"),
        ({"message": "x" * 51}, "RP02"),
        ({"payeePaymentReference": "ä"}, "FF08"),
    ],
)
def test_payment_requests_are_validated_as_swish_does(swish_simulator, client, change, code):
    body = {
        "payeeAlias": "1234679304",
        "amount": "100.00",
        "currency": "SEK",
        "callbackUrl": "https://127.0.0.1:9/cb",
        "payeePaymentReference": "F1",
        "message": "",
        **change,
    }
    with pytest.raises(SwishError) as refused:
        client._request("PUT", f"api/v2/paymentrequests/{new_instruction_id()}", json=body)
    assert refused.value.code == code and refused.value.http_status == 422


def test_an_instruction_id_is_used_once_and_another_merchant_number_is_refused(swish_simulator, client):
    payment_id = new_instruction_id()
    client.create_payment(
        payment_id, amount_ore=100, callback_url="https://127.0.0.1:9/cb", payee_payment_reference="F1"
    )
    with pytest.raises(SwishError) as again:
        client.create_payment(
            payment_id, amount_ore=100, callback_url="https://127.0.0.1:9/cb", payee_payment_reference="F1"
        )
    assert again.value.code == "RP09"
    other = SwishClient(
        swish_simulator.base_url,
        cert_file=str(swish_simulator.client_cert_file),
        key_file=str(swish_simulator.client_key_file),
        ca_file=str(swish_simulator.ca_file),
        payee_alias="1231111111",
    )
    with pytest.raises(SwishError) as refused:
        other.create_payment(
            new_instruction_id(), amount_ore=100, callback_url="https://127.0.0.1:9/cb", payee_payment_reference="F"
        )
    assert refused.value.http_status == 403


def test_an_error_code_as_message_fails_the_payment_as_in_swish_test_system(swish_simulator, client):
    payment_id = new_instruction_id()
    client.create_payment(
        payment_id, amount_ore=100, callback_url="https://127.0.0.1:9/cb", payee_payment_reference="F1", message="RF07"
    )
    swish_simulator.pay(payment_id)
    status = client.retrieve_payment(payment_id)
    assert (status.status, status.error_code) == ("ERROR", "RF07")
    with pytest.raises(SwishError) as refused:
        client.create_refund(
            new_instruction_id(), original_payment_reference="X", amount_ore=100, callback_url="https://127.0.0.1:9/cb"
        )
    assert refused.value.code == "RF02"
