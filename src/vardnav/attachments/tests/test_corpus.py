"""The generated corpus, file by file: accepted as what it is, or refused for the right reason (ATT-1, ATT-2, ATT-8)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from vardnav.attachments.corpus import SAMPLES, Sample
from vardnav.attachments.validation import FileRefused, check_path

pytestmark = [pytest.mark.rule("ATT-1"), pytest.mark.rule("ATT-2")]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("corpus")
    written = {}
    for sample in SAMPLES:
        path = folder / f"{sample.key}-{Path(sample.file_name).name}"
        path.write_bytes(sample.build())
        written[sample.key] = path
    return written


@pytest.mark.parametrize("sample", SAMPLES, ids=[sample.key for sample in SAMPLES])
def test_each_corpus_file_gets_its_expected_outcome(sample: Sample, corpus):
    path = corpus[sample.key]
    if sample.accepted_as:
        checked = check_path(path, sample.file_name)
        try:
            assert checked.content_type == sample.accepted_as
            assert checked.display_name.rsplit(".", 1)[1] in {"pdf", "gif", "jpg", "png"}
            assert checked.size == checked.path.stat().st_size > 0
        finally:
            checked.cleanup()
        assert not checked.path.exists()
    else:
        with pytest.raises(FileRefused) as refusal:
            check_path(path, sample.file_name)
        assert refusal.value.code == sample.refused_with
        assert refusal.value.message  # a Swedish reason for the person who sent it


def test_the_type_comes_from_the_content_not_the_name(corpus):
    """A PNG called .pdf is a PNG; its download name gets the real extension (ATT-1)."""
    checked = check_path(corpus["valid-png"], "intyg.pdf")
    try:
        assert checked.content_type == "image/png"
        assert checked.display_name == "intyg.png"
    finally:
        checked.cleanup()


def _exif_of(data: bytes) -> Image.Exif:
    with Image.open(io.BytesIO(data)) as image:
        return image.getexif()


@pytest.mark.rule("ATT-8")
@pytest.mark.parametrize("key", ["jpeg-with-gps", "png-with-gps"])
def test_gps_positions_are_removed_from_images(key, corpus):
    original = corpus[key].read_bytes()
    assert _exif_of(original).get_ifd(0x8825), "the corpus file must carry a GPS position"
    checked = check_path(corpus[key], key)
    try:
        stored = checked.path.read_bytes()
    finally:
        checked.cleanup()
    exif = _exif_of(stored)
    assert not exif.get_ifd(0x8825)
    assert 0x8825 not in exif and 0x010F not in exif
    assert b"Telefonmakaren" not in stored and b"Exif" not in stored


def test_an_animated_gif_keeps_its_frames(corpus):
    checked = check_path(corpus["animated-gif"], "andning.gif")
    try:
        with Image.open(checked.path) as image:
            assert image.n_frames == 4 == checked.pages
    finally:
        checked.cleanup()


def test_the_gif_javascript_polyglot_is_stored_without_its_script(corpus):
    assert b"alert(" in corpus["gif-js-polyglot"].read_bytes()
    checked = check_path(corpus["gif-js-polyglot"], "rolig.gif")
    try:
        stored = checked.path.read_bytes()
    finally:
        checked.cleanup()
    assert b"alert(" not in stored
    assert stored.endswith(b";")  # nothing after the GIF trailer: the script was dropped with the bytes after it


def test_a_file_name_cannot_carry_a_path_or_direction_tricks(corpus):
    checked = check_path(corpus["valid-pdf"], "..\\..\\etc/\u202egpj.exe.pdf")
    try:
        assert checked.display_name == "gpj.exe.pdf"
    finally:
        checked.cleanup()
