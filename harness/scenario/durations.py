"""Durations in scenario files: `3h`, `90m`, `10s`, `1h30m`, `2d`, `500ms`, seconds.

A text names each unit at most once, largest first (`1h30m`, not `30m1h` or
`1d1d`); a number must be finite and not negative.
"""

import math
import re

_UNITS = {"d": 86_400.0, "h": 3_600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
_ORDER = tuple(_UNITS)
_PART = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|d|h|m|s)\s*")


def parse_duration(value: object) -> float:
    """Seconds for a duration; raise ValueError saying what a duration looks like."""
    if isinstance(value, bool):
        raise ValueError(_expected(value))
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"a duration must be a finite number, not {value}")
        if value < 0:
            raise ValueError(f"a duration cannot be negative ({value})")
        return float(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(_expected(value))
    return _parse_text(value)


def _parse_text(text: str) -> float:
    seconds, position, last_unit = 0.0, 0, -1
    while position < len(text):
        match = _PART.match(text, position)
        if not match:
            raise ValueError(_expected(text))
        unit = _ORDER.index(match.group(2))
        if unit <= last_unit:
            raise ValueError(
                f"{text!r} repeats or reorders its units; write each unit once, "
                "largest first, e.g. 1d2h or 1h30m"
            )
        seconds += float(match.group(1)) * _UNITS[match.group(2)]
        position, last_unit = match.end(), unit
    return seconds


def _expected(value: object) -> str:
    return (
        f"{value!r} is not a duration; write 3h, 90m, 10s, 1h30m, 2d, 500ms "
        "or a number of seconds"
    )
