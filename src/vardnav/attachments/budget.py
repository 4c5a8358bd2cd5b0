"""A per-process memory budget for decoding images (ATTACHMENT_DECODE_BUDGET_BYTES).

Why: to strip metadata (ATT-8) and prove an image is what it claims, it is decoded
and re-encoded, which needs its pixels in memory: width × height × bytes per pixel,
up to twice over while it is turned upright or converted. A 40-megapixel RGBA PNG
is 160 MB of pixels. Every decode first reserves its estimate from this budget; while
other uploads of the same process hold it, the next one waits up to
ATTACHMENT_DECODE_WAIT_SECONDS and is then refused with 503 and Retry-After
(AttachmentError.FILES_BUSY: problem+json in the API, a Swedish message on the page),
so concurrent uploads never hold more than the budget. The estimate is read from the
image's header before any pixel is decoded; an image whose estimate alone exceeds
the budget is refused as too large. One process's image memory is then bounded by
the budget, whatever the number of threads or files.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from vardnav.attachments.errors import FileRefused

# Bytes per pixel of each Pillow mode as decoded (P and L are one byte, RGB is kept as 4).
_MODE_BYTES = {"1": 1, "L": 1, "P": 1, "LA": 4, "PA": 4, "RGB": 4, "RGBA": 4, "CMYK": 4, "YCbCr": 4, "I;16": 2}
# The decoded picture, and a second one while it is transposed or converted.
COPIES = 2
BUSY_CODE = "decode-busy"


def image_cost(width: int, height: int, mode: str, frames: int = 1) -> int:
    """The bytes a decode of this image may hold at its peak.

    A still image: its pixels, twice (turned upright or converted). An animation: every
    frame is kept until the new file is written, and frames after the first decode
    as RGB(A), so four bytes a pixel for each frame and one more frame being read.
    """
    if frames > 1:
        return width * height * 4 * (frames + 1)
    return width * height * _MODE_BYTES.get(mode, 4) * COPIES


class DecodeBudget:
    """Bytes of decoded pixels the process may hold at once, shared by its threads."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self._changed = threading.Condition()

    @contextmanager
    def reserve(self, cost: int, *, wait: float) -> Iterator[None]:
        if cost > self.limit:
            raise FileRefused("image-too-large", "Bilden har för hög upplösning för att kunna tas emot.")
        deadline = time.monotonic() + wait
        with self._changed:
            while self.used + cost > self.limit:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise FileRefused(
                        BUSY_CODE,
                        "Många bilder tas emot just nu och den här kunde inte behandlas. Försök igen om en stund.",
                        status=503,
                    )
                self._changed.wait(remaining)
            self.used += cost
        try:
            yield
        finally:
            with self._changed:
                self.used -= cost
                self._changed.notify_all()


_budget: DecodeBudget | None = None
_budget_lock = threading.Lock()


def process_budget() -> DecodeBudget:
    """This process's budget (ATTACHMENT_DECODE_BUDGET_BYTES), created on first use."""
    global _budget
    with _budget_lock:
        limit = settings.ATTACHMENT_DECODE_BUDGET_BYTES
        if _budget is None or (_budget.limit != limit and _budget.used == 0):  # a changed setting, when idle
            _budget = DecodeBudget(limit)
        return _budget


@contextmanager
def reserve_decode(width: int, height: int, mode: str, frames: int = 1) -> Iterator[None]:
    with process_budget().reserve(
        image_cost(width, height, mode, frames), wait=settings.ATTACHMENT_DECODE_WAIT_SECONDS
    ):
        yield
