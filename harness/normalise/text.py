"""Turning a raw attribute or identity value into text, and folding it to a-z.

Values arrive from JSON: text, numbers or null. Anything else is a caller's mistake
and raises TypeError naming the type.
"""

import math
import re
import unicodedata

_NOT_A_TO_Z = re.compile("[^a-z]+")
# The ASCII bytes that are not a-z: deleting them from bytes is the fast path.
_NOT_A_TO_Z_BYTES = bytes(byte for byte in range(128) if not 97 <= byte <= 122)
_NOT_A_DIGIT = re.compile("[^0-9]+")

# Letters that Unicode decomposition does not reduce to a-z.
_LATIN_FOLDS = str.maketrans(
    {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d"}
    | {"þ": "th", "ı": "i", "ħ": "h"}
)


def as_text(value: object) -> str:
    """Return `value` as stripped text; None is ""; whole floats lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(
            f"expected text or a number, got {type(value).__name__}: "
            "pass the attribute's value as a string"
        )
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


def ascii_letters(text: str) -> str:
    """Lower-case `text` and keep only a-z, folding accents (São -> sao, ß -> ss)."""
    lowered = text.lower()
    if lowered.isascii():
        if lowered.isalpha():
            return lowered
        return lowered.encode().translate(None, _NOT_A_TO_Z_BYTES).decode()
    folded = unicodedata.normalize("NFKD", lowered.translate(_LATIN_FOLDS))
    return _NOT_A_TO_Z.sub("", folded)


def digits_only(text: str) -> str:
    """Keep the ASCII digits of `text`."""
    return _NOT_A_DIGIT.sub("", text)
