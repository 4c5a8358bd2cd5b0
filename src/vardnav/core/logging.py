"""Structured JSON-line logging with a request id and no personal data.

Why: logs are shipped to systems with weaker protection than the database, so
they must never carry personal numbers or health data (patientdatalagen). As a
last line of defence the formatter masks anything shaped like a personal number,
an e-mail address or a phone number, even if a developer logs one by mistake.
"""

from __future__ import annotations

import contextvars
import logging
import re
import traceback
from types import TracebackType
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

_TRUSTED_FIELDS = {"asctime", "levelname", "name", "request_id", "taskName"}

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_MASKS = [
    # 12 or 10 digit personal/coordination numbers, with or without separator.
    (re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)"), "[personal-number]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"(?<![\w])\+?\d[\d \-]{7,}\d(?![\w])"), "[phone]"),
]


def mask_personal_data(text: str) -> str:
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def format_exception_without_messages(
    exc_info: tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None],
) -> str:
    """A traceback that names each exception's type and frames but withholds its message.

    Why: an exception's message often quotes the values being handled (a free-text
    answer, a message to the care unit); masking catches personal numbers but not
    health data, so the message is not written at all. The frames find the bug.
    """
    exc = exc_info[1]
    if exc is None:
        return ""
    lines: list[str] = []
    seen: set[int] = set()
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    for item in reversed(chain):
        lines.append("Traceback (most recent call last):")
        lines.extend(traceback.format_list(traceback.extract_tb(item.__traceback__)))
        lines.append(f"{type(item).__module__}.{type(item).__qualname__}: [message withheld]")
    return "\n".join(line.rstrip("\n") for line in lines)


class JsonFormatter(_BaseJsonFormatter):
    def formatException(self, ei: Any) -> str:
        return format_exception_without_messages(ei)

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        for key, value in list(log_data.items()):
            # These fields are produced by the logging system itself (the request id is
            # generated here or vetted by the middleware); a timestamp looks like a phone number.
            if isinstance(value, str) and key not in _TRUSTED_FIELDS:
                log_data[key] = mask_personal_data(value)
        return log_data
