"""Is this file one we accept? Decided by its content, confirmed by a full parse (ATT-1, ATT-2, ATT-8).

Why both: a sniffing library (puremagic) reads the leading bytes and says what
the file claims to be; only a parser that reads it all proves it. Images are
opened by Pillow restricted to the sniffed format, refused above
ATTACHMENT_MAX_IMAGE_PIXELS before decoding (decompression bombs), and
re-encoded into a new file: what we store holds pixels and nothing else, so
EXIF, GPS positions, XMP, comments and anything appended (a GIF/JavaScript
polyglot's script) are gone (ATT-8). JPEG orientation is applied first so the
picture still stands the right way. Animated GIFs keep every frame and its
timing. PDFs are parsed with pypdf: encrypted or unparseable ones are refused,
and so are PDFs with JavaScript, launch actions, XFA forms or embedded files
(refused, not stripped: docs/decisions/0008-attachments.md). A PDF is stored
as sent, never rewritten, so what staff and residents see is what was sent.

The user's file name is never used to decide anything; it is cleaned and kept
only to show and to name a download, with the extension of the real type.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import puremagic
from django.conf import settings
from PIL import Image, ImageOps, ImageSequence
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from vardnav.attachments import scanning
from vardnav.attachments.budget import BUSY_CODE, reserve_decode
from vardnav.attachments.errors import AttachmentError, FileRefused

EXTENSIONS = {"application/pdf": "pdf", "image/gif": "gif", "image/jpeg": "jpg", "image/png": "png"}
PILLOW_FORMATS = {"image/gif": "GIF", "image/jpeg": "JPEG", "image/png": "PNG"}
SNIFF_BYTES = 8 * 1024
MAX_GIF_FRAMES = 1000
NAME_MAX = 100
BUSY_RETRY_AFTER_SECONDS = 5


@dataclass
class CheckedFile:
    """A file that passed every check, in a temporary file of its own until it is stored."""

    path: Path
    display_name: str
    content_type: str
    size: int
    sha256: str
    pages: int = 1
    width: int | None = None
    height: int | None = None
    _owned: list[Path] = field(default_factory=list, repr=False)

    def open(self) -> BinaryIO:
        return self.path.open("rb")

    def cleanup(self) -> None:
        for path in self._owned:
            path.unlink(missing_ok=True)
        self._owned.clear()


# --- names --------------------------------------------------------------------------

_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\"\\/:*?<>|]")


def clean_name(raw: str, content_type: str) -> str:
    """A file name fit to show and to send back: no path, no control or direction-override
    characters, at most NAME_MAX characters, and the extension of what the file really is."""
    base = unicodedata.normalize("NFC", str(raw or "")).replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    stem = re.sub(r"\s+", " ", _UNSAFE.sub("", stem)).strip(" .")[:NAME_MAX] or "bilaga"
    return f"{stem}.{EXTENSIONS[content_type]}"


# --- the type, from the bytes -------------------------------------------------------------


def sniff(path: Path) -> str | None:
    """The accepted type the leading bytes announce, or None (puremagic; magic at offset 0 only)."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return None
    for match in matches:
        if match.offset == 0 and match.mime_type in EXTENSIONS:
            return match.mime_type
    return None


# --- images ----------------------------------------------------------------------------

_IMAGE_KEEP = ("transparency", "icc_profile", "duration", "background", "loop")


def _bare(image: Image.Image) -> Image.Image:
    """A copy carrying pixels and only the rendering facts; no metadata survives."""
    copy = image.copy()
    copy.info = {key: image.info[key] for key in _IMAGE_KEEP if key in image.info}
    return copy


def _reencode_image(source: Path, content_type: str, target: Path) -> tuple[int, int, int]:
    pixel_limit = settings.ATTACHMENT_MAX_IMAGE_PIXELS
    too_many = FileRefused(
        "image-too-large",
        f"Bilden har för hög upplösning (högst {pixel_limit // 1_000_000} miljoner bildpunkter).",
    )
    with warnings.catch_warnings():
        # Pillow's own bomb guard only warns below twice its limit: make it refuse.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(source, formats=[PILLOW_FORMATS[content_type]]) as image:
            width, height = image.size
            if width * height > pixel_limit:
                raise too_many
            frames = getattr(image, "n_frames", 1) if content_type == "image/gif" else 1
            if frames > MAX_GIF_FRAMES or width * height * frames > pixel_limit:
                raise too_many
            # Pixels are decoded only within this process's memory budget (attachments/budget.py).
            with reserve_decode(width, height, image.mode, frames):
                return _decode_and_write(image, content_type, target)


def _decode_and_write(image: Image.Image, content_type: str, target: Path) -> tuple[int, int, int]:
    """Decode `image` and write its pixels alone to `target`; at most two copies of the pixels at once."""
    width, height = image.size
    if content_type == "image/gif":
        clean = [_bare(frame) for frame in ImageSequence.Iterator(image)]
        durations = [frame.info.get("duration", 100) for frame in clean]
        options: dict[str, Any] = {"save_all": len(clean) > 1, "comment": b""}
        if len(clean) > 1:
            options.update(append_images=clean[1:], duration=durations, loop=image.info.get("loop", 0))
        clean[0].save(target, "GIF", **options)
        return width, height, len(clean)
    image.load()
    if content_type == "image/jpeg":
        ImageOps.exif_transpose(image, in_place=True)  # upright, replacing the pixels rather than copying them
    # Pixels and the rendering facts only (no metadata survives), without copying the pixels.
    image.info = {key: image.info[key] for key in _IMAGE_KEEP if key in image.info}
    clean_image = image
    options = {}
    if "icc_profile" in clean_image.info:
        options["icc_profile"] = clean_image.info["icc_profile"]
    if content_type == "image/jpeg":
        if clean_image.mode not in ("L", "RGB", "CMYK"):
            clean_image = clean_image.convert("RGB")
        clean_image.save(target, "JPEG", quality=90, **options)
    else:
        if "transparency" in clean_image.info:
            options["transparency"] = clean_image.info["transparency"]
        clean_image.save(target, "PNG", **options)
    return clean_image.width, clean_image.height, 1


# --- PDF -------------------------------------------------------------------------------

_ACTIVE_TOKENS = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|XFA|RichMedia)(?![A-Za-z0-9])")
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/Rendition", "/SubmitForm"}
_ACTIVE = FileRefused(
    "pdf-active-content",
    "PDF-filen innehåller skript, start av program, formulärskript eller inbäddade filer, vilket inte tillåts. "
    "Skriv ut den till en ny PDF och försök igen.",
)


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _check_action(action: Any, depth: int = 0) -> None:
    action = _resolve(action)
    if depth > 50:
        raise _ACTIVE
    if isinstance(action, ArrayObject):
        for each in action:
            _check_action(each, depth + 1)
        return
    if not isinstance(action, DictionaryObject):
        return
    if action.get("/S") in _ACTIVE_ACTIONS or "/JS" in action:
        raise _ACTIVE
    if "/Next" in action:
        _check_action(action["/Next"], depth + 1)


def _check_additional_actions(holder: DictionaryObject) -> None:
    if "/A" in holder:
        _check_action(holder["/A"])
    additional = _resolve(holder.get("/AA"))
    if isinstance(additional, DictionaryObject):
        for trigger in additional.values():
            _check_action(trigger)


def _check_fields(fields: Any, seen: set[int], depth: int = 0) -> None:
    for reference in _resolve(fields) or []:
        key = id(reference) if not isinstance(reference, IndirectObject) else reference.idnum
        if key in seen or depth > 50:
            continue
        seen.add(key)
        form_field = _resolve(reference)
        if isinstance(form_field, DictionaryObject):
            _check_additional_actions(form_field)
            if "/Kids" in form_field:
                _check_fields(form_field["/Kids"], seen, depth + 1)


def _scan_raw_tokens(path: Path) -> None:
    """Cheap first pass over the raw bytes: active-content names outside compressed object streams."""
    overlap = 32
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            if _ACTIVE_TOKENS.search(tail + chunk):
                raise _ACTIVE
            tail = chunk[-overlap:]


def _check_pdf(path: Path) -> int:
    _scan_raw_tokens(path)
    # An open file, not a path: given a path, pypdf reads the whole file into memory.
    with path.open("rb") as handle:
        return _check_pdf_structure(handle)


def _check_pdf_structure(handle: Any) -> int:
    try:
        reader = PdfReader(handle, strict=False)
        if reader.is_encrypted:
            raise FileRefused(
                "pdf-encrypted",
                "PDF-filen är lösenordsskyddad eller krypterad. Spara den utan lösenord och försök igen.",
            )
        pages = len(reader.pages)
        if pages < 1:
            raise ValueError("no pages")
        catalog = _resolve(reader.trailer["/Root"])
        if "/OpenAction" in catalog:
            _check_action(catalog["/OpenAction"])
        _check_additional_actions(catalog)
        names = _resolve(catalog.get("/Names"))
        if isinstance(names, DictionaryObject) and ("/JavaScript" in names or "/EmbeddedFiles" in names):
            raise _ACTIVE
        form = _resolve(catalog.get("/AcroForm"))
        if isinstance(form, DictionaryObject):
            if "/XFA" in form:
                raise _ACTIVE
            _check_fields(form.get("/Fields"), set())
        for page in reader.pages:
            _check_additional_actions(page)
            for annotation in _resolve(page.get("/Annots")) or []:
                annotation = _resolve(annotation)
                if not isinstance(annotation, DictionaryObject):
                    continue
                if annotation.get("/Subtype") in ("/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound"):
                    raise _ACTIVE
                _check_additional_actions(annotation)
        outline = _resolve(catalog.get("/Outlines"))
        seen: set[int] = set()
        stack = [outline.get("/First")] if isinstance(outline, DictionaryObject) else []
        while stack:
            reference = stack.pop()
            key = reference.idnum if isinstance(reference, IndirectObject) else id(reference)
            item = _resolve(reference)
            if key in seen or not isinstance(item, DictionaryObject) or len(seen) > 100_000:
                continue
            seen.add(key)
            _check_additional_actions(item)
            stack.extend(item[name] for name in ("/First", "/Next") if name in item)
    except FileRefused:
        raise
    except Exception:  # noqa: BLE001 - any parse failure of untrusted bytes means "unreadable"
        raise FileRefused("pdf-unreadable", "PDF-filen är skadad och kan inte läsas.") from None
    return pages


# --- one file, many files ----------------------------------------------------------------


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _temp_path(suffix: str = "") -> Path:
    fd, name = tempfile.mkstemp(prefix="vardnav-att-", suffix=suffix, dir=settings.FILE_UPLOAD_TEMP_DIR)
    os.close(fd)
    return Path(name)


def check_path(path: Path, name: str) -> CheckedFile:
    """Check the file at `path`; the CheckedFile's own copy is what gets stored. Raises FileRefused."""
    size = path.stat().st_size
    if size == 0:
        raise FileRefused("empty-file", "Filen är tom.")
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise FileRefused("file-too-large", "Filen är större än 20 MB.")
    scanning.check_for_malware(path)
    content_type = sniff(path)
    if content_type is None:
        raise FileRefused(
            "file-type",
            "Filen är inte en PDF, GIF, JPEG eller PNG. Filtypen avgörs av innehållet, inte av filnamnet.",
        )
    target = _temp_path("." + EXTENSIONS[content_type])
    checked = CheckedFile(
        path=target, display_name=clean_name(name, content_type), content_type=content_type, size=0, sha256=""
    )
    checked._owned.append(target)
    try:
        if content_type == "application/pdf":
            checked.pages = _check_pdf(path)
            shutil.copyfile(path, target)
        else:
            try:
                checked.width, checked.height, checked.pages = _reencode_image(path, content_type, target)
            except FileRefused:
                raise
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise FileRefused(
                    "image-too-large", "Bilden har för hög upplösning eller packas upp till för mycket data."
                ) from None
            except Exception:  # noqa: BLE001 - any decoder failure of untrusted bytes means "broken"
                raise FileRefused(
                    "image-unreadable", "Bilden är skadad eller ofullständig och kan inte öppnas."
                ) from None
        checked.size = target.stat().st_size
        if checked.size > settings.ATTACHMENT_MAX_BYTES:
            raise FileRefused("file-too-large", "Filen blir större än 20 MB när den sparas.")
        checked.sha256 = _digest(target)
    except BaseException:
        checked.cleanup()
        raise
    return checked


def check_upload(upload: Any) -> CheckedFile:
    """Check one uploaded file (from our streaming upload handler)."""
    name = str(getattr(upload, "name", "") or "")
    if getattr(upload, "exceeded_limit", False):
        raise FileRefused("file-too-large", "Filen är större än 20 MB.")
    if hasattr(upload, "temporary_file_path"):
        return check_path(Path(upload.temporary_file_path()), name)
    spooled = _temp_path()
    try:
        with spooled.open("wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
        return check_path(spooled, name)
    finally:
        spooled.unlink(missing_ok=True)


def refusal_errors(field_name: str, index: int, name: str, refusal: FileRefused) -> dict[str, list[str]]:
    shown = clean_name(name, "application/pdf").rsplit(".", 1)[0] if name else f"Fil {index + 1}"
    return {f"{field_name}.{index}": [f"{shown}: {refusal.message}"]}


def check_uploads(uploads: Sequence[Any], *, max_files: int, field_name: str = "files") -> list[CheckedFile]:
    """Every file or none (ATT-3): one refused file refuses the message, with a reason for each file."""
    if len(uploads) > max_files:
        raise AttachmentError.TOO_MANY_FILES.error(field=field_name, limit=max_files, count=len(uploads))
    checked: list[CheckedFile] = []
    errors: dict[str, list[str]] = {}
    unscanned = busy = False
    for index, upload in enumerate(uploads):
        try:
            checked.append(check_upload(upload))
        except FileRefused as refusal:
            errors.update(refusal_errors(field_name, index, str(getattr(upload, "name", "") or ""), refusal))
            busy = busy or refusal.code == BUSY_CODE
            unscanned = unscanned or (refusal.status == 503 and refusal.code != BUSY_CODE)
    if errors:
        for each in checked:
            each.cleanup()
        if busy and not unscanned:
            # The decode budget was held by other uploads (attachments/budget.py): try again shortly.
            raise AttachmentError.FILES_BUSY.error(
                errors=errors, headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)}
            )
        if unscanned:
            raise AttachmentError.FILES_NOT_SCANNED.error(errors=errors)
        raise AttachmentError.FILES_REFUSED.error(errors=errors, count=len(errors))
    return checked
