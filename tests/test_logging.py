"""Logs are JSON lines with a request id and never carry personal data."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from vardnav.core.logging import JsonFormatter, RequestIdFilter, mask_personal_data
from vardnav.core.middleware import RequestIdMiddleware
from vardnav.demo.identities import GUARDIAN


def make_logger() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"))
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("vardnav.test.logging")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def test_a_log_line_is_json_with_the_request_id():
    logger, stream = make_logger()

    def view(request):
        logger.info("case submitted")
        return HttpResponse("ok")

    RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="req-abc123def456"))
    line = json.loads(stream.getvalue().strip())
    assert line["message"] == "case submitted"
    assert line["request_id"] == "req-abc123def456"
    assert line["levelname"] == "INFO"


@pytest.mark.parametrize(
    "written",
    [GUARDIAN, f"{GUARDIAN[:8]}-{GUARDIAN[8:]}", f"{GUARDIAN[2:8]}-{GUARDIAN[8:]}", "anna@example.se", "+46701234567"],
)
def test_personal_data_logged_by_mistake_is_masked(written):
    logger, stream = make_logger()
    logger.warning("lookup failed for %s", written)
    output = stream.getvalue()
    assert written not in output
    assert "lookup failed for [" in json.loads(output)["message"]


def test_masking_keeps_ordinary_numbers():
    assert mask_personal_data("took 125 ms, 3 rows") == "took 125 ms, 3 rows"


def test_a_request_id_carrying_a_personal_number_is_replaced():
    def view(request):
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID=f"id-{GUARDIAN}"))
    assert GUARDIAN not in response["X-Request-ID"]


def test_the_timestamp_is_not_mistaken_for_a_phone_number():
    logger, stream = make_logger()
    logger.info("started")
    line = json.loads(stream.getvalue().strip())
    assert line["asctime"][:4].isdigit()
