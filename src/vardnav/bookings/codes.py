"""Cancellation codes (avbokningskod): random, shown once, stored only as a hash.

Why this shape: the code alone cancels a booking on a public page, so it is a
credential. 12 characters from Crockford's base32 alphabet (no I, L, O, U) give
2^60 possibilities, far above the 2^40 a guesser must face, and read well on
paper or over the phone. Only the SHA-256 of the normalised code is kept: a
leaked database cancels nothing. A hash without a salt is enough because the
secret has full entropy (as for integration tokens); the hash is unique, so a
lookup by hash finds the one booking, and the final comparison uses
hmac.compare_digest so timing reveals nothing of a near miss.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
CODE_LENGTH = 12
GROUP = 4
# Letters people mistype for digits, read the Crockford way.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_code() -> str:
    """A fresh code, grouped for reading: 'K7QF-9XM2-P4TR'."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalise_code(code: str) -> str | None:
    """The code's 12 characters, upper case, separators dropped; None when it cannot be a code."""
    cleaned = "".join(ch for ch in str(code).upper() if ch not in " -–").translate(_CONFUSABLE)
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def hash_code(code: str) -> str:
    normalised = normalise_code(code)
    if normalised is None:
        raise ValueError("not a cancellation code")
    return hashlib.sha256(normalised.encode()).hexdigest()


def code_matches(code: str, stored_hash: str) -> bool:
    normalised = normalise_code(code)
    if normalised is None:
        return False
    return hmac.compare_digest(hashlib.sha256(normalised.encode()).hexdigest(), stored_hash)
