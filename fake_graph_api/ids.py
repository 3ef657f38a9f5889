"""Deterministic identifiers: audience ids, session ids, trace ids and list cursors.

One `IdSource` per fake, seeded; the same seed and the same sequence of calls give
the same ids, so journals and dumps of two runs compare equal. Thread-safe.
Audience ids look like real ones (17-digit numeric strings starting 238...),
session ids are 19-digit numeric strings, fbtrace ids 11 letters and digits.
Cursors are opaque base64 strings that name an audience id.
"""

import base64
import binascii
import random
import string
import threading

_TRACE_ALPHABET = string.ascii_letters + string.digits
_CURSOR_PREFIX = "QVFI"  # real cursors start with this text too (base64 of "AQH")


class IdSource:
    """A seeded source of ids shared by one fake's store and answers."""

    def __init__(self, seed: int = 0) -> None:
        self._seed = seed
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._trace_random = random.Random(f"trace-{seed}")
        self._issued: set[str] = set()

    def audience_id(self) -> str:
        return self._unique(lambda: "238" + self._digits(14))

    def session_id(self) -> str:
        return self._unique(lambda: str(self._random.randint(10**18, 9 * 10**18)))

    def fbtrace_id(self) -> str:
        with self._lock:
            return "A" + "".join(self._trace_random.choices(_TRACE_ALPHABET, k=10))

    def _digits(self, count: int) -> str:
        return "".join(self._random.choices(string.digits, k=count))

    def _unique(self, make) -> str:
        with self._lock:
            while True:
                candidate = make()
                if candidate not in self._issued:
                    self._issued.add(candidate)
                    return candidate


def encode_cursor(audience_id: str) -> str:
    """An opaque cursor that points at one audience of a list."""
    raw = base64.urlsafe_b64encode(f"fbca:{audience_id}".encode()).decode()
    return _CURSOR_PREFIX + raw.rstrip("=")


def decode_cursor(cursor: str) -> str | None:
    """The audience id a cursor points at, or None for a cursor we never issued."""
    if not cursor.startswith(_CURSOR_PREFIX):
        return None
    raw = cursor[len(_CURSOR_PREFIX) :]
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    prefix, _, audience_id = text.partition(":")
    if prefix != "fbca" or not audience_id.isdigit():
        return None
    return audience_id
