"""SHA-256 digests as Facebook wants them, and recognising values already hashed.

Invariant: the empty string is never hashed; `sha256_hex("")` raises, so an empty
cell can never turn into the digest of nothing (e3b0c442...b855).
"""

import hashlib
import string

_HEX_DIGITS = frozenset(string.hexdigits)


def sha256_hex(text: str) -> str:
    """Return the lowercase hex SHA-256 of the UTF-8 bytes of `text`."""
    if not text:
        raise ValueError(
            "Refusing to hash an empty string: an empty cell must stay empty. "
            "Check the value is non-empty after normalisation before hashing it."
        )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_sha256_hex(text: str) -> bool:
    """Tell whether `text` is a SHA-256 hex digest (64 hex digits, any case)."""
    return len(text) == 64 and _HEX_DIGITS.issuperset(text)
