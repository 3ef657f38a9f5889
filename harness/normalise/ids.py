"""Normalising identifiers and numbers that Facebook takes as they are.

MADID (IDFA/GAID), EXTERN_ID, the app/page user ids and LOOKALIKE_VALUE. Whether
MADID and EXTERN_ID are hashed is decided by `cell`, from its settings.
"""

import math

from harness.normalise.text import as_text

_ZERO_DEVICE_ID = "00000000-0000-0000-0000-000000000000"


def normalise_madid(value: object) -> str:
    """Lower-case, hyphens kept; the all-zero id (tracking limited) gives ""."""
    device_id = as_text(value).lower()
    if device_id == _ZERO_DEVICE_ID:
        return ""
    return device_id


def normalise_extern_id(value: object) -> str:
    """Trimmed and lower-cased, as mParticle does before hashing an external id."""
    return as_text(value).lower()


def plain_extern_id(value: object) -> str:
    """Trimmed only: Facebook's rule sends an advertiser's id as it is."""
    return as_text(value)


def normalise_user_id(value: object) -> str:
    """UID, APPUID, PAGEUID: Facebook's own ids, sent as they are (trimmed)."""
    return as_text(value)


def lookalike_value(value: object) -> int | float | None:
    """The customer value as a JSON number; None when negative or not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = _number_from_text(value)
    if not isinstance(value, int | float) or not math.isfinite(value):
        return None
    if value < 0:
        return None
    return value if value != 0 else type(value)(0)


def normalise_lookalike_value(value: object) -> str:
    """The customer value as text (for comparisons), or "" when unusable."""
    number = lookalike_value(value)
    return "" if number is None else str(number)


def _number_from_text(text: str) -> int | float | None:
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None
