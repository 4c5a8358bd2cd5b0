"""The attachment test corpus, generated here, never downloaded (issue 5, part 8).

Each entry is a file name as a user might send it, a builder for its bytes and
the outcome the checks must reach: accepted as a given type, or refused with a
given code. The table drives attachments/tests/test_corpus.py and
`scripts/make_attachment_corpus.py DIR` writes the files out for manual tests.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PIL import Image

MB20 = 20 * 1024 * 1024


@dataclass(frozen=True)
class Sample:
    key: str
    file_name: str
    build: Callable[[], bytes]
    accepted_as: str | None = None  # content type when accepted
    refused_with: str | None = None  # FileRefused.code when refused


# --- PDF, written by hand so every byte is known -------------------------------------------


def pdf(objects: list[bytes], *, root: int = 1) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data + b"\nendstream"


def _page_objects(catalog_extra: str = "", text: str = "Hej från Vårdnav") -> list[bytes]:
    content = f"BT /F1 24 Tf 72 720 Td ({text.encode('latin-1').decode('latin-1')}) Tj ET".encode("latin-1")
    return [
        f"<< /Type /Catalog /Pages 2 0 R{catalog_extra} >>".encode(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def valid_pdf() -> bytes:
    return pdf(_page_objects())


def pdf_of_size(size: int) -> bytes:
    """A valid one-page PDF of exactly `size` bytes, padded with a stream of noise (no '/' in it)."""
    noise = random.Random(20).randbytes(size).replace(b"/", b"0")
    padding = 0
    for _ in range(10):
        built = pdf([*_page_objects(), _stream(noise[:padding])])
        if len(built) == size:
            return built
        padding += size - len(built)
    raise ValueError(f"could not build a PDF of exactly {size} bytes")


def pdf_with_javascript() -> bytes:
    objects = _page_objects(" /OpenAction 6 0 R")
    objects.append(b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>")
    return pdf(objects)


def pdf_with_hidden_javascript() -> bytes:
    """The same, with the names spelled in #-escapes: only a real parse sees them."""
    objects = _page_objects(" /OpenAction 6 0 R")
    objects.append(b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>")
    return pdf(objects)


def pdf_with_launch_action() -> bytes:
    objects = _page_objects(" /OpenAction 6 0 R")
    objects.append(b"<< /Type /Action /S /L#61unch /F (cmd.exe) >>")
    return pdf(objects)


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="hemligt", owner_password="hemligt")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def broken_pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\nthis is not a PDF at all\n"


# --- images ---------------------------------------------------------------------------------


def _picture(width: int = 64, height: int = 48) -> Image.Image:
    image = Image.new("RGB", (width, height))
    image.putdata([(x * 4 % 256, y * 5 % 256, 128) for y in range(height) for x in range(width)])
    return image


def _gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Telefonmakaren"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (59.0, 19.0, 58.0)  # Stockholm
    gps[3], gps[4] = "E", (18.0, 4.0, 7.0)
    return exif


def _save(image: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def valid_jpeg() -> bytes:
    return _save(_picture(), "JPEG", quality=90)


def valid_png() -> bytes:
    return _save(_picture(), "PNG")


def jpeg_with_gps() -> bytes:
    return _save(_picture(), "JPEG", exif=_gps_exif())


def png_with_gps() -> bytes:
    return _save(_picture(), "PNG", exif=_gps_exif())


def animated_gif() -> bytes:
    frames = [
        Image.new("RGB", (32, 32), color) for color in ((200, 30, 30), (30, 200, 30), (30, 30, 200), (240, 240, 0))
    ]
    return _save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=120, loop=0)


def truncated_png() -> bytes:
    noisy = Image.frombytes("RGB", (200, 200), random.Random(5).randbytes(200 * 200 * 3))
    whole = _save(noisy, "PNG")
    return whole[: len(whole) * 6 // 10]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def decompression_bomb_png(side: int = 20_000) -> bytes:
    """A real bomb: a grey PNG of side × side pixels (400 megapixels) packed into well under a megabyte."""
    packer = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b"")


def gif_javascript_polyglot() -> bytes:
    """GIF89a/*…*/=alert(…): a valid GIF that a browser would also run as a script."""
    body = _save(Image.new("P", (1, 1), 0), "GIF")
    # Logical screen width 0x2A2F spells "/*", opening a JavaScript comment closed after the trailer.
    # (Pillow writes GIF87a for so simple a picture; 89a reads the same.)
    polyglot = b"GIF89a" + b"/*" + body[8:]
    return polyglot + b"*/=alert(document.domain);//"


# --- not what they claim -------------------------------------------------------------------------


def windows_executable() -> bytes:
    stub = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + struct.pack("<I", 64)
    return stub + b"This program cannot be run in DOS mode.\r\r\n$" + b"PE\x00\x00" + b"\x00" * 200


def html_page() -> bytes:
    return b"<!DOCTYPE html><html><body><script>fetch('/api/v1/me').then(r=>r.text())</script></body></html>"


def svg_image() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"><rect/></svg>'
    )


SAMPLES: list[Sample] = [
    Sample("valid-pdf", "remiss.pdf", valid_pdf, accepted_as="application/pdf"),
    Sample("valid-jpeg", "utslag.jpg", valid_jpeg, accepted_as="image/jpeg"),
    Sample("valid-png", "skärmbild.png", valid_png, accepted_as="image/png"),
    Sample("animated-gif", "andning.gif", animated_gif, accepted_as="image/gif"),
    Sample("jpeg-with-gps", "IMG_0001.JPG", jpeg_with_gps, accepted_as="image/jpeg"),
    Sample("png-with-gps", "karta.png", png_with_gps, accepted_as="image/png"),
    Sample("exactly-20-mb", "stor-journalkopia.pdf", lambda: pdf_of_size(MB20), accepted_as="application/pdf"),
    Sample("20-mb-plus-1", "för-stor.pdf", lambda: pdf_of_size(MB20 + 1), refused_with="file-too-large"),
    Sample("empty", "tom.pdf", lambda: b"", refused_with="empty-file"),
    Sample("truncated-png", "avbruten.png", truncated_png, refused_with="image-unreadable"),
    Sample("decompression-bomb", "bomb.png", decompression_bomb_png, refused_with="image-too-large"),
    Sample("exe-named-pdf", "faktura.pdf", windows_executable, refused_with="file-type"),
    Sample("html-named-png", "bild.png", html_page, refused_with="file-type"),
    Sample("svg-named-png", "ikon.png", svg_image, refused_with="file-type"),
    Sample("gif-js-polyglot", "rolig.gif", gif_javascript_polyglot, accepted_as="image/gif"),
    Sample("pdf-with-javascript", "formular.pdf", pdf_with_javascript, refused_with="pdf-active-content"),
    Sample("pdf-hidden-javascript", "formular2.pdf", pdf_with_hidden_javascript, refused_with="pdf-active-content"),
    Sample("pdf-launch-action", "starta.pdf", pdf_with_launch_action, refused_with="pdf-active-content"),
    Sample("encrypted-pdf", "lasad.pdf", encrypted_pdf, refused_with="pdf-encrypted"),
    Sample("broken-pdf", "trasig.pdf", broken_pdf, refused_with="pdf-unreadable"),
]
