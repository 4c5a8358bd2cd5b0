"""Antivirus through clamd when configured (ASVS 5.4.3): infected files refused, an unreachable daemon fails closed.

The daemon here is a small local server speaking clamd's INSTREAM protocol over
a real Unix socket: ClamAV itself needs signature downloads this machine cannot
make. It answers FOUND when the stream holds the EICAR test string.
"""

from __future__ import annotations

import socket
import struct
import threading
from pathlib import Path

import pytest

from vardnav.attachments import corpus
from vardnav.attachments.validation import FileRefused, check_path

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _serve(listener: socket.socket, streams: list[bytes]) -> None:
    """Answer each INSTREAM request; every stream received is appended to `streams`."""
    while True:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        with connection:
            command = b""
            while not command.endswith(b"\n") and not command.endswith(b"\0"):
                command += connection.recv(1)
            data = b""
            while True:
                size = struct.unpack("!L", _read(connection, 4))[0]
                if size == 0:
                    break
                data += _read(connection, size)
            streams.append(data)
            answer = b"stream: Eicar-Test-Signature FOUND" if EICAR in data else b"stream: OK"
            connection.sendall(answer + command[-1:])


def _read(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        data += connection.recv(size - len(data))
    return data


@pytest.fixture
def clamd_streams() -> list[bytes]:
    """What the local clamd received, stream by stream."""
    return []


@pytest.fixture
def clamd_socket(tmp_path, settings, clamd_streams):
    path = tmp_path / "clamd.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(4)
    threading.Thread(target=_serve, args=(listener, clamd_streams), daemon=True).start()
    settings.CLAMD_SOCKET = str(path)
    yield path
    listener.close()


def _png_with(tmp_path: Path, extra: bytes) -> Path:
    path = tmp_path / "bild.png"
    path.write_bytes(
        corpus.valid_png()[:-12] + corpus._png_chunk(b"tEXt", b"Comment\0" + extra) + corpus.valid_png()[-12:]
    )
    return path


def test_a_clean_file_passes_the_scan(clamd_socket, clamd_streams, tmp_path):
    upload = _png_with(tmp_path, b"hej")
    checked = check_path(upload, "bild.png")
    checked.cleanup()
    assert checked.content_type == "image/png"
    assert clamd_streams == [upload.read_bytes()], "the daemon scanned the upload exactly once"


def test_an_infected_file_is_refused_even_when_its_type_is_fine(clamd_socket, tmp_path):
    with pytest.raises(FileRefused) as refusal:
        check_path(_png_with(tmp_path, EICAR), "bild.png")
    assert refusal.value.code == "malware"


def test_an_unreachable_daemon_refuses_the_upload(settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "no-such.sock")
    with pytest.raises(FileRefused) as refusal:
        check_path(_png_with(tmp_path, b"hej"), "bild.png")
    assert refusal.value.code == "scan-unavailable" and refusal.value.status == 503


def test_scanning_is_off_unless_configured(settings, tmp_path):
    settings.CLAMD_SOCKET = None
    settings.CLAMD_HOST = None
    checked = check_path(_png_with(tmp_path, EICAR), "bild.png")
    checked.cleanup()
    assert checked.content_type == "image/png", "nothing scanned, so the test string is not refused"
