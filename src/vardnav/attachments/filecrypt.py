"""Encryption of stored files at rest (REC-10): AES-256-GCM in 64 KiB chunks.

Why not Fernet, as for fields: Fernet encrypts one whole message in memory and
a 20 MB file must never be held whole. Why chunks: each chunk is sealed on its
own, so a download is decrypted and streamed chunk by chunk, and a flipped,
reordered, dropped or truncated chunk fails authentication. Each chunk's nonce
is the file's random 8-byte prefix and the chunk's counter; its associated
data binds the counter and whether it is the last chunk (the STREAM
construction of Hoang, Reyhanitabar, Rogaway and Vizár). Every file has its own
random key, wrapped with the field-encryption keys (core.crypto, MultiFernet)
and kept in the database row: rotating those keys re-wraps the file keys
(`rotate_field_keys`) without touching the files.

Layout: b"VNA1" | 8-byte nonce prefix | chunks of (≤ 64 KiB ciphertext + 16-byte tag).
"""

from __future__ import annotations

import base64
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"VNA1"
PREFIX_BYTES = 8
CHUNK = 64 * 1024
TAG = 16


class DecryptionFailed(Exception):
    """The stored file does not authenticate: damaged, truncated or not ours."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def key_to_text(key: bytes) -> str:
    return base64.b64encode(key).decode()


def key_from_text(text: str) -> bytes:
    return base64.b64decode(text)


def _nonce(prefix: bytes, counter: int) -> bytes:
    return prefix + struct.pack(">I", counter)


def _aad(counter: int, last: bool) -> bytes:
    return MAGIC + struct.pack(">IB", counter, 1 if last else 0)


def encrypt_stream(key: bytes, source: BinaryIO, target: BinaryIO) -> None:
    """Encrypt `source` into `target`, holding at most two chunks in memory."""
    aead = AESGCM(key)
    prefix = os.urandom(PREFIX_BYTES)
    target.write(MAGIC + prefix)
    counter = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        target.write(aead.encrypt(_nonce(prefix, counter), chunk, _aad(counter, last)))
        if last:
            return
        counter += 1
        if counter >= 2**32:
            raise ValueError("file too large to encrypt")
        chunk = following


def decrypt_chunks(key: bytes, source: BinaryIO) -> Iterator[bytes]:
    """The plaintext, chunk by chunk; raises DecryptionFailed on any tampering or truncation."""
    aead = AESGCM(key)
    header = source.read(len(MAGIC) + PREFIX_BYTES)
    if len(header) != len(MAGIC) + PREFIX_BYTES or not header.startswith(MAGIC):
        raise DecryptionFailed("not an encrypted attachment")
    prefix = header[len(MAGIC) :]
    counter = 0
    sealed = source.read(CHUNK + TAG)
    while True:
        following = source.read(CHUNK + TAG)
        last = not following
        try:
            yield aead.decrypt(_nonce(prefix, counter), sealed, _aad(counter, last))
        except InvalidTag:
            raise DecryptionFailed("chunk does not authenticate") from None
        if last:
            return
        counter += 1
        sealed = following
