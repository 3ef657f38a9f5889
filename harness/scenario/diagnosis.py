"""Say why a member differs: match unexpected cells against common mistakes.

Every raw input of the scenario (identities, attributes) is pushed through each
entry of `MISTAKES` (the one table of known mistakes: add a row to teach the
harness a new one) and the result is compared with the cell the fake holds. A
match names the mistake: "PHONE for ana looks like sha256('+447700900123'): the
plus was kept". A `Diagnoser` indexes this per column for one scenario, so large
scenarios stay fast. `near_names` gives the near misses for an absent audience.
Pure: no I/O.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

import phonenumbers

from fake_graph_api.keys import HASHED_KEYS
from harness.engine.messages import DEVICE_IDENTITY_TYPES, USER_IDENTITY_TYPES
from harness.engine.rows import (
    ATTRIBUTE_COLUMNS,
    MOBILE_ATTRIBUTE,
    PHONE_IDENTITY_TYPES,
)
from harness.normalise import normalise
from harness.scenario.model import Scenario

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


@dataclass(frozen=True)
class RawInput:
    """One value the scenario fed in: whose, from which field, and the text."""

    profile: str
    field: str
    value: str
    country: str | None = None


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# Plaintext mistakes: (raw, correct plaintext, key) -> the text a buggy engine used.


def _plus_kept(raw: str, correct: str, key: str) -> str | None:
    return "+" + correct if key == "PHONE" and correct else None


def _leading_zeros(raw: str, correct: str, key: str) -> str | None:
    digits = re.sub(r"\D", "", raw)
    if key == "PHONE" and digits.startswith("0") and digits != correct:
        return digits
    return None


def _trunk_zero(raw: str, correct: str, key: str) -> str | None:
    national = _national(correct) if key == "PHONE" else None
    if national is None or "0" + national not in re.sub(r"\D", "", raw):
        return None
    return correct[: len(correct) - len(national)] + "0" + national


def _country_code_missing(raw: str, correct: str, key: str) -> str | None:
    return _national(correct) if key == "PHONE" else None


@cache
def _national(correct: str) -> str | None:
    try:
        number = phonenumbers.parse("+" + correct, None)
    except phonenumbers.NumberParseException:
        return None
    national = str(number.national_number)
    return national if national != correct else None


def _not_trimmed(raw: str, correct: str, key: str) -> str | None:
    return raw.lower() if raw != raw.strip() else None


def _not_lower_cased(raw: str, correct: str, key: str) -> str | None:
    return raw.strip() if raw.strip() != raw.strip().lower() else None


def _as_written(raw: str, correct: str, key: str) -> str | None:
    return raw if raw != correct else None


def _correct(raw: str, correct: str, key: str) -> str | None:
    return correct or None


def _empty(raw: str, correct: str, key: str) -> str | None:
    return ""


@dataclass(frozen=True)
class Mistake:
    """One known mistake: the text used, how it was encoded, and what to call it.

    `encode` None means "as the column is sent" (SHA-256 for hashed keys, the text
    itself otherwise). `shown` renders the encoding around the text, e.g.
    `sha256({})`. `keys` limits the mistake to some columns (None: all).
    `{digest}` in the explanation stands for the cell the mistake makes.
    """

    explanation: str
    plaintext: Callable[[str, str, str], str | None]
    encode: Callable[[str], str] | None = None
    shown: str | None = None
    keys: frozenset[str] | None = None


_HASHED = frozenset(HASHED_KEYS)

# The first matching row wins, so specific mistakes come before general ones.
MISTAKES: tuple[Mistake, ...] = (
    Mistake(
        "an empty value was hashed instead of leaving the cell empty",
        _empty,
        keys=_HASHED,
    ),
    Mistake("the plus was kept", _plus_kept),
    Mistake("the trunk zero was kept after the country code", _trunk_zero),
    Mistake("the leading zeros were kept", _leading_zeros),
    Mistake("the country code is missing", _country_code_missing),
    Mistake("it was not trimmed", _not_trimmed),
    Mistake("it was not lower-cased", _not_lower_cased),
    Mistake(
        "it was hashed twice",
        _correct,
        lambda t: sha256(sha256(t)),
        "sha256(sha256({}))",
        _HASHED,
    ),
    Mistake("it was not hashed", _correct, lambda t: t, "{} unhashed", _HASHED),
    Mistake(
        "the digest is upper-case hex",
        _correct,
        lambda t: sha256(t).upper(),
        "upper(sha256({}))",
        _HASHED,
    ),
    Mistake("it was hashed with MD5, not SHA-256", _correct, _md5, "md5({})", _HASHED),
    Mistake(
        "it was hashed with SHA-1, not SHA-256", _correct, _sha1, "sha1({})", _HASHED
    ),
    Mistake(
        "the engine hashed the external id (trimmed, lower-cased, SHA-256) as "
        "mParticle documents for the Multi-Key External ID, and an unhashed "
        'expected value is compared as written: expect EXTERN_ID: "sha256:{digest}"',
        _correct,
        sha256,
        "sha256({})",
        frozenset({"EXTERN_ID"}),
    ),
    Mistake(
        "it was hashed, but this column is sent unhashed",
        _correct,
        sha256,
        "sha256({})",
        frozenset({"MADID"}),
    ),
    Mistake("it was not normalised before hashing", _as_written),
)


class Diagnoser:
    """Names mistakes for one scenario's inputs, fast for many inputs and members.

    On the first question about a column it indexes what every mistake makes of
    every input there (cell -> explanation; the first mistake in table order and
    the input's natural columns win), so each later question is one lookup.
    """

    def __init__(self, inputs: Iterable[RawInput]) -> None:
        self.inputs = list(inputs)
        self._mistakes: dict[str, dict] = {}
        self._correct: dict[str, dict] = {}

    def explain(self, key: str, value: object) -> str | None:
        """Name the mistake that turns one of the inputs into `value` in `key`."""
        if key not in self._mistakes:
            self._mistakes[key] = self._index_mistakes(key)
        return self._mistakes[key].get(value)

    def recognise(self, key: str, value: object) -> str | None:
        """Whose correct `key` cell `value` is: a member who should not be there."""
        if key not in self._correct:
            self._correct[key] = dict(_correct_cells(key, self.inputs))
        return self._correct[key].get(value)

    def _index_mistakes(self, key: str) -> dict:
        ordered = sorted(
            self.inputs, key=lambda raw: key not in natural_keys(raw.field)
        )
        index: dict = {}
        for mistake in MISTAKES:
            if mistake.keys is None or key in mistake.keys:
                for raw in ordered:
                    found = _attempt(mistake, key, raw)
                    if found:
                        index.setdefault(*found)
        for cell, message in _wrong_columns(key, ordered):
            index.setdefault(cell, message)
        return index


def diagnose_cell(key: str, value: object, inputs: Iterable[RawInput]) -> str | None:
    """Name the mistake that turns one of `inputs` into `value` in column `key`."""
    return Diagnoser(inputs).explain(key, value)


def _attempt(mistake: Mistake, key: str, raw: RawInput) -> tuple[object, str] | None:
    """The cell `mistake` makes of `raw` in column `key`, and how to say so."""
    correct = _normalised(key, raw.value, raw.country)
    text = mistake.plaintext(raw.value, correct or "", key)
    if text is None:
        return None
    encode = mistake.encode or (sha256 if key in HASHED_KEYS else (lambda t: t))
    shown = mistake.shown or ("sha256({})" if key in HASHED_KEYS else "{}")
    rendered = shown.format(repr(text))
    cell = encode(text)
    explanation = mistake.explanation.replace("{digest}", str(cell))
    if mistake.plaintext is _empty:
        return cell, f"{key} looks like {rendered}: {explanation}"
    return cell, f"{key} for {raw.profile} looks like {rendered}: {explanation}"


def natural_keys(field: str) -> tuple[str, ...]:
    """The columns an input field feeds when forwarded correctly."""
    keys = [
        column
        for column, source in ATTRIBUTE_COLUMNS
        if source.lower() == field.lower()
    ]
    if field in PHONE_IDENTITY_TYPES or field.lower() == MOBILE_ATTRIBUTE.lower():
        keys.append("PHONE")
    elif field in USER_IDENTITY_TYPES:
        keys += ["EMAIL", "EXTERN_ID"]
    elif field in DEVICE_IDENTITY_TYPES:
        keys.append("MADID")
    return tuple(keys)


def _sent(key: str, correct: str) -> str:
    return sha256(correct) if key in HASHED_KEYS else correct


def _wrong_columns(key: str, inputs: list[RawInput]):
    """(cell, message) for inputs whose correct cell of another column is in `key`."""
    for raw in inputs:
        for other in natural_keys(raw.field):
            correct = _normalised(other, raw.value, raw.country) if other != key else ""
            if correct:
                yield (
                    _sent(other, correct),
                    (
                        f"{key} for {raw.profile} holds the {other} value "
                        f"({raw.field} {correct!r}): wrong column"
                    ),
                )


def _correct_cells(key: str, inputs: list[RawInput]):
    """(cell, message) for every input's correct cell in column `key`."""
    for raw in reversed(inputs):  # dict() keeps the last: the first input wins
        correct = _normalised(key, raw.value, raw.country)
        if correct and key in natural_keys(raw.field):
            yield _sent(key, correct), _not_expected(key, raw, correct)


def _not_expected(key: str, raw: RawInput, correct: str) -> str:
    return (
        f"{key} is {raw.profile}'s {raw.field} ({correct!r}), correctly sent: "
        f"{raw.profile} is not expected here (a removal that never arrived, or a "
        "user who should have been left out?)"
    )


def normalised_plaintext(key: str, written: object) -> str | None:
    """For a hashed key written as text: its normalised form when that differs."""
    text = str(written)
    if key not in HASHED_KEYS or text.startswith("sha256:"):
        return None
    normalised = _normalised(key, text, None)
    return normalised if normalised and normalised != text else None


@cache
def _normalised(key: str, value: str, country: str | None) -> str | None:
    try:
        return normalise(key, value, country=country)
    except (TypeError, ValueError):
        return None


def raw_inputs(scenario: Scenario) -> list[RawInput]:
    """Every identity and attribute value the scenario feeds in, with its owner."""
    profiles = dict(scenario.profiles)
    for step in scenario.steps:
        for profile in getattr(step, "users", ()):
            profiles.setdefault(profile.name, profile)
    inputs: list[RawInput] = []
    for profile in profiles.values():
        inputs += _inputs_of(profile, scenario)
    return inputs


def _inputs_of(profile, scenario: Scenario) -> list[RawInput]:
    attributes = dict(profile.attributes)
    for step in scenario.steps:
        if profile in getattr(step, "users", ()) and getattr(step, "set", None):
            attributes.update(step.set)
    country = _country_of(attributes)
    found = [
        RawInput(profile.name, identity.type, identity.value, country)
        for identity in profile.identities
    ]
    found += [
        RawInput(profile.name, key, str(value), country)
        for key, value in attributes.items()
        if isinstance(value, str | int) and not isinstance(value, bool)
    ]
    return found


def _country_of(attributes: dict) -> str | None:
    for key, value in attributes.items():
        if key.lower() == "$country" and isinstance(value, str):
            return value
    return None


def near_names(name: str, existing: Iterable[str], *, limit: int = 3) -> list[str]:
    """Existing audience names that come close to `name`, closest first."""
    existing = list(existing)
    close = difflib.get_close_matches(name, existing, n=limit, cutoff=0.6)
    folded = [other for other in existing if other.lower() == name.lower()]
    return list(dict.fromkeys(folded + close))[:limit]
