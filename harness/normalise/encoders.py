"""Encoders: how each column turns a raw value into its cell, built once per setting.

An encoder is `encode(value, home, region) -> cell`, where `home` is the user's
country as lower-case alpha-2 ("" when unknown) and `region` the default region for
phone numbers. Each one is a single closure with its rule bound in, so a text value
costs one call, its rule and its hash; any other value takes the checked path, whose
error names the column. Columns whose values repeat remember the cells of their text
values in a bounded dict; a row encoder joins one encoder per column of a schema.
Rules and settings: docs/behaviour.md, "Normalisation and hashing".
"""

import functools
from collections.abc import Callable
from hashlib import sha256

from fake_graph_api.keys import HASHED_KEYS
from harness.normalise import ids, person, places
from harness.normalise.hashing import is_sha256_hex
from harness.normalise.phone import phone_digits
from harness.normalise.text import as_text, ascii_letters

# encode(raw value, user's country as alpha-2 or "", default region) -> cell
Encoder = Callable[..., str | int | float | None]

# The plaintext of each column, from its stripped non-empty text.
VALUE_RULES: dict[str, Callable[[str], str]] = {
    "EMAIL": person.email_of,
    "FN": person.normalise_name,
    "LN": person.normalise_name,
    "FI": person.first_initial,
    "GEN": person.normalise_gender,
    "DOBY": person.normalise_birth_year,
    "DOBM": person.normalise_birth_month,
    "DOBD": person.normalise_birth_day,
    "CT": ascii_letters,  # places.normalise_city, for text already stripped
    "COUNTRY": places.normalise_country,
    "MADID": ids.normalise_madid,
    "EXTERN_ID": ids.normalise_extern_id,
    "UID": ids.normalise_user_id,
    "APPUID": ids.normalise_user_id,
    "PAGEUID": ids.normalise_user_id,
    "LOOKALIKE_VALUE": ids.normalise_lookalike_value,
}
# Rules that also read the context: rule(text, home, default region).
CONTEXT_RULES: dict[str, Callable[[str, str, str | None], str]] = {
    "PHONE": phone_digits,
    "ST": lambda text, home, region: places.state_code(text, home),
    "ZIP": lambda text, home, region: places.zip_code(text, home),
}
NORMALISED_KEYS: frozenset[str] = frozenset({*VALUE_RULES, *CONTEXT_RULES})
# Facebook's rule for an unhashed external id: sent as given, only trimmed.
_UNHASHED_RULES: dict[str, Callable[[str], str]] = {"EXTERN_ID": ids.plain_extern_id}

# Columns whose values repeat across users: their cells are worth remembering.
_REPEATING_KEYS = frozenset(
    {"FN", "LN", "FI", "GEN", "DOBY", "DOBM", "DOBD", "CT", "ST", "ZIP", "COUNTRY"}
)
# Distinct values remembered per column and context (about 15 MB at most): more
# than the cities or ZIP codes of a country; a full memo starts afresh.
MEMO_SIZE = 1 << 16


_HOMES: dict[str, str] = {}


def home_country(country: object) -> str:
    """The user's country as lower-case alpha-2, "" when unknown or absent."""
    if type(country) is not str:
        return "" if country is None else places.normalise_country(country)

    home = _HOMES.get(country)
    if home is None:
        if len(_HOMES) >= MEMO_SIZE:
            _HOMES.clear()
        home = _HOMES[country] = places.normalise_country(country)
    return home


def is_hashed(key: str, *, hash_device_ids: bool = False, hash_extern_id: bool = True):
    """Whether column `key` is sent as a SHA-256 digest under these settings."""
    if key == "MADID":
        return hash_device_ids
    if key == "EXTERN_ID":
        return hash_extern_id
    return key in HASHED_KEYS


@functools.cache
def row_encoder(
    schema: tuple[str, ...], hash_device_ids: bool, hash_extern_id: bool
) -> Callable[[list | tuple, str, str | None], list]:
    """`encode_row(values, home, region)`: the cells of a row that fits `schema`."""
    encoders = tuple(
        column_encoder(key, hash_device_ids, hash_extern_id) for key in schema
    )

    def encode_row(values, home: str, region: str | None) -> list:
        return [
            encode(value, home, region)
            for encode, value in zip(encoders, values, strict=True)
        ]

    return encode_row


@functools.cache
def column_encoder(key: str, hash_device_ids: bool, hash_extern_id: bool) -> Encoder:
    """The encoder of column `key` under these settings (see the module docstring)."""
    check_column(key)
    if key == "LOOKALIKE_VALUE":
        return lambda value, home="", region=None: ids.lookalike_value(value)
    if not is_hashed(
        key, hash_device_ids=hash_device_ids, hash_extern_id=hash_extern_id
    ):
        return _plain(key, _UNHASHED_RULES.get(key, VALUE_RULES[key]))

    encode = _hashed(key, VALUE_RULES.get(key) or CONTEXT_RULES[key])
    if key not in _REPEATING_KEYS:
        return encode
    if key in CONTEXT_RULES:
        return _remembering_in_context(encode)
    return _remembering(encode)


def clear_caches() -> None:
    """Forget every remembered cell (for benchmarks and long-lived processes)."""
    row_encoder.cache_clear()
    column_encoder.cache_clear()
    _HOMES.clear()


def _hashed(key: str, rule: Callable[..., str]) -> Encoder:
    """Digest of the plaintext; a digest passes through lower-cased; "" stays ""."""
    reads_context = key in CONTEXT_RULES

    def encode(value: object, home: str = "", region: str | None = None) -> str:
        text = value.strip() if type(value) is str else text_of(key, value)
        if not text:
            return ""
        if len(text) == 64 and is_sha256_hex(text):
            return text.lower()
        plain = rule(text, home, region) if reads_context else rule(text)
        return sha256(plain.encode()).hexdigest() if plain else ""

    return encode


def _plain(key: str, rule: Callable[[str], str]) -> Encoder:
    """The plaintext itself, for ids Facebook takes unhashed."""

    def encode(value: object, home: str = "", region: str | None = None) -> str:
        text = value.strip() if type(value) is str else text_of(key, value)
        return rule(text) if text else ""

    return encode


def _remembering(encode: Encoder) -> Encoder:
    """`encode`, for a column that reads no context, remembering text values' cells."""
    memo: dict[str, str] = {}

    def remembered(value: object, home: str = "", region: str | None = None):
        if type(value) is not str:
            return encode(value, home, region)

        cell = memo.get(value)
        if cell is None:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            cell = memo[value] = encode(value)
        return cell

    return remembered


def _remembering_in_context(encode: Encoder) -> Encoder:
    """The same with a memo per context, for a column whose rule reads the context.

    Memos map text to text only: CPython's collector leaves such dicts untracked,
    where tuple keys would add one tracked object per remembered cell.
    """
    memos: dict[tuple[str, str | None], dict[str, str]] = {}

    def remembered(value: object, home: str = "", region: str | None = None):
        if type(value) is not str:
            return encode(value, home, region)

        memo = memos.get((home, region))
        if memo is None:
            memo = memos[home, region] = {}
        cell = memo.get(value)
        if cell is None:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            cell = memo[value] = encode(value, home, region)
        return cell

    return remembered


def text_of(key: str, value: object) -> str:
    """`value` as stripped text, with the column named when its type is wrong."""
    try:
        return as_text(value)
    except TypeError as error:
        raise TypeError(f"{key}: {error}") from error


def check_column(key: str) -> None:
    """Refuse a column this package has no rule for, listing those it has."""
    if key not in NORMALISED_KEYS:
        raise ValueError(
            f"{key!r} is not a column this module normalises; "
            f"known columns: {', '.join(sorted(NORMALISED_KEYS))}"
        )
