"""Images are decoded within a per-process memory budget (ATTACHMENT_DECODE_BUDGET_BYTES).

Concurrent uploads never hold more decoded pixels than the budget: the next one
waits for a running decode, and past ATTACHMENT_DECODE_WAIT_SECONDS it is refused
with 503 and Retry-After (problem+json in the API, a Swedish message on the page),
with nothing stored. The held reservations here are real ones on the process's own
budget, as a concurrent upload in another thread holds it.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from vardnav.attachments import corpus
from vardnav.attachments.budget import image_cost, process_budget
from vardnav.attachments.errors import FileRefused
from vardnav.attachments.models import Attachment
from vardnav.attachments.validation import check_path
from vardnav.cases.models import Message
from vardnav.cases.tests.attachments.conftest import resident_client, stored_files


@pytest.fixture
def held_budget(settings):
    """The whole budget held, as by a large decode in another thread; no waiting."""
    settings.ATTACHMENT_DECODE_WAIT_SECONDS = 0
    budget = process_budget()
    with budget.reserve(budget.limit, wait=0):
        yield budget


def test_the_default_budget_fits_one_image_at_the_pixel_limit(settings):
    side = int(settings.ATTACHMENT_MAX_IMAGE_PIXELS**0.5)
    assert image_cost(side, side, "RGBA") <= settings.ATTACHMENT_DECODE_BUDGET_BYTES
    assert image_cost(side, side, "RGBA") * 2 > settings.ATTACHMENT_DECODE_BUDGET_BYTES


def test_a_second_decode_waits_for_the_first_and_the_budget_is_never_exceeded():
    budget = process_budget()
    half = budget.limit // 2 + 1
    order: list[str] = []
    peak: list[int] = []
    first_holds = threading.Event()

    def first() -> None:
        with budget.reserve(half, wait=5):
            order.append("first in")
            first_holds.set()
            time.sleep(0.3)
            peak.append(budget.used)
            order.append("first out")

    def second() -> None:
        first_holds.wait(5)
        with budget.reserve(half, wait=5):
            peak.append(budget.used)
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert order == ["first in", "first out", "second in"]
    assert max(peak) <= budget.limit
    assert budget.used == 0


def test_while_the_budget_is_held_an_image_is_refused_as_busy_with_503(held_budget, tmp_path):
    path = tmp_path / "bild.png"
    path.write_bytes(corpus.valid_png())
    with pytest.raises(FileRefused) as refusal:
        check_path(path, "bild.png")
    assert refusal.value.status == 503 and refusal.value.code == "decode-busy"


def test_a_pdf_needs_no_decode_budget(held_budget, tmp_path):
    path = tmp_path / "remiss.pdf"
    path.write_bytes(corpus.valid_pdf())
    checked = check_path(path, "remiss.pdf")
    try:
        assert checked.content_type == "application/pdf"
    finally:
        checked.cleanup()


def test_an_image_larger_than_the_whole_budget_is_refused_as_too_large(settings, tmp_path):
    settings.ATTACHMENT_DECODE_BUDGET_BYTES = 64 * 48 * 4  # less than the picture's two copies
    path = tmp_path / "bild.png"
    path.write_bytes(corpus.valid_png())
    with pytest.raises(FileRefused) as refusal:
        check_path(path, "bild.png")
    assert refusal.value.code == "image-too-large"


@pytest.mark.rule("ATT-8")
def test_within_the_budget_gps_is_still_stripped(tmp_path):
    path = tmp_path / "foto.jpg"
    path.write_bytes(corpus.jpeg_with_gps())
    checked = check_path(path, "foto.jpg")
    try:
        with Image.open(checked.path) as stored:
            assert not stored.getexif().get_ifd(0x8825)
            assert "exif" not in stored.info
        assert process_budget().used == 0
    finally:
        checked.cleanup()


def test_the_api_answers_503_problem_json_with_retry_after_and_stores_nothing(
    world, file_case, attachment_folder, held_budget
):
    client = resident_client(world.resident_a)
    response = client.post(
        f"/api/v1/cases/{file_case.pk}/attachments",
        {"files": [SimpleUploadedFile("bild.png", corpus.valid_png(), content_type="image/png")]},
    )
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "5"
    problem = response.json()
    assert problem["code"] == "files-busy"
    assert "Försök igen om en stund" in problem["title"]
    assert not Attachment.objects.exists()
    assert stored_files(attachment_folder) == []


def test_the_web_form_says_so_in_swedish_and_sends_nothing(world, file_case, attachment_folder, held_budget):
    client = resident_client(world.resident_a)
    messages_before = Message.objects.count()
    response = client.post(
        f"/arenden/{file_case.pk}/",
        {
            "body": "Här är bilden.",
            "submission_key": "b" * 32,
            "files": [SimpleUploadedFile("bild.png", corpus.valid_png(), content_type="image/png")],
        },
    )
    page = response.content.decode()
    assert "Många filer tas emot just nu, så ingenting skickades" in page
    assert Message.objects.count() == messages_before
    assert not Attachment.objects.exists()
