"""One entry point per multi-key column: its normalised text, and its cell as sent.

`normalise` dispatches to the per-key rule; `cell` adds hashing: hashed keys (from
fake_graph_api.keys, plus MADID and EXTERN_ID when the settings say so) become
lowercase SHA-256 hex, a value that already is a digest passes through lower-cased,
and an empty or unusable value stays "" and is never hashed.
"""

import functools
from collections.abc import Callable, Sequence
from hashlib import sha256

from fake_graph_api.keys import HASHED_KEYS
from harness.normalise import ids, person, places
from harness.normalise.hashing import is_sha256_hex
from harness.normalise.phone import phone_digits
from harness.normalise.text import as_text

# Rules that read nothing but the value.
_VALUE_RULES: dict[str, Callable[[object], str]] = {
    "EMAIL": person.normalise_email,
    "FN": person.normalise_name,
    "LN": person.normalise_name,
    "FI": person.first_initial,
    "GEN": person.normalise_gender,
    "DOBY": person.normalise_birth_year,
    "DOBM": person.normalise_birth_month,
    "DOBD": person.normalise_birth_day,
    "CT": places.normalise_city,
    "COUNTRY": places.normalise_country,
    "MADID": ids.normalise_madid,
    "EXTERN_ID": ids.normalise_extern_id,
    "UID": ids.normalise_user_id,
    "APPUID": ids.normalise_user_id,
    "PAGEUID": ids.normalise_user_id,
    "LOOKALIKE_VALUE": ids.normalise_lookalike_value,
}
# Facebook's rule for an unhashed external id: sent as given, only trimmed.
_UNHASHED_RULES: dict[str, Callable[[object], str]] = {"EXTERN_ID": ids.plain_extern_id}
# Rules that also read the user's country.
# rule(text, user's country as alpha-2 or "", default region or None)
_COUNTRY_RULES: dict[str, Callable[[str, str, str | None], str]] = {
    "PHONE": phone_digits,
    "ST": lambda text, country, region: places.normalise_state(text, country=country),
    "ZIP": lambda text, country, region: places.normalise_zip(text, country=country),
}

NORMALISED_KEYS: frozenset[str] = frozenset({*_VALUE_RULES, *_COUNTRY_RULES})

# Columns whose values repeat across users: their cells are worth caching.
_REPEATING_KEYS = frozenset(
    {"FN", "LN", "FI", "GEN", "DOBY", "DOBM", "DOBD", "CT", "ST", "ZIP", "COUNTRY"}
)
_ENCODINGS = ("raw", "md5", "sha1", "sha256")


def normalise(
    key: str,
    value: object,
    *,
    country: object = None,
    default_region: str | None = None,
) -> str:
    """The normalised plaintext of `value` for column `key`; "" when unusable.

    `country` is the user's country (for PHONE, ST and ZIP), `default_region` the
    region for phone numbers written without a country code when it is unknown.
    """
    _check_column(key)
    text = _text_of(key, value)
    if not text:
        return ""
    return _plaintext(key, text, country, default_region)


def cell(
    key: str,
    value: object,
    *,
    country: object = None,
    default_region: str | None = None,
    encoding: str | None = None,
    hash_device_ids: bool = False,
    hash_extern_id: bool = True,
) -> str | int | float | None:
    """The cell for column `key` as sent to Facebook.

    LOOKALIKE_VALUE gives a JSON number, or None when negative or not numeric.
    `encoding` is mParticle's identity encoding (raw, md5, sha1, sha256).
    `hash_device_ids` hashes MADID (mParticle's older page); `hash_extern_id`
    hashes EXTERN_ID after trimming and lower-casing (mParticle's rule; off sends
    it trimmed only, Facebook's rule).
    """
    _check_column(key)
    if encoding is not None and encoding.lower() != "raw":
        text = _text_of(key, value)
        hashed = is_hashed(
            key, hash_device_ids=hash_device_ids, hash_extern_id=hash_extern_id
        )
        return _prehashed(key, text, encoding.lower(), hashed=hashed) if text else ""

    country_code = _country_code(country)
    try:
        return _encoder(key, hash_device_ids, hash_extern_id)(
            value, country_code, default_region
        )
    except TypeError:
        encode = _plain_encoder(key, hash_device_ids, hash_extern_id)
        return encode(value, country_code, default_region)


def row_cells(
    schema: Sequence[str],
    values: Sequence[object],
    *,
    country: object = None,
    default_region: str | None = None,
    hash_device_ids: bool = False,
    hash_extern_id: bool = True,
) -> list[str | int | float | None]:
    """The cells of one multi-key row of raw values, the same as `cell` on each.

    The columns' rules are looked up once per schema, so a row costs little more
    than its hashing; every value is taken as raw (not pre-hashed by mParticle).
    """
    encoders = _row_encoders(tuple(schema), hash_device_ids, hash_extern_id)
    if len(values) != len(encoders):
        raise ValueError(
            f"a row of {len(values)} values does not fit a schema of "
            f"{len(encoders)} columns ({', '.join(schema)})"
        )

    country_code = _country_code(country)
    try:
        return [
            encode(value, country_code, default_region)
            for encode, value in zip(encoders, values, strict=True)
        ]
    except TypeError:
        # A value no cache can hold (a list): the plain encoders name the column.
        plain = _row_encoders(tuple(schema), hash_device_ids, hash_extern_id, False)
        return [
            encode(value, country_code, default_region)
            for encode, value in zip(plain, values, strict=True)
        ]


def clear_caches() -> None:
    """Forget every remembered cell (for benchmarks and long-lived processes)."""
    _row_encoders.cache_clear()
    _encoder.cache_clear()
    _plain_encoder.cache_clear()


def is_hashed(key: str, *, hash_device_ids: bool = False, hash_extern_id: bool = True):
    """Whether column `key` is sent as a SHA-256 digest under these settings."""
    if key == "MADID":
        return hash_device_ids
    if key == "EXTERN_ID":
        return hash_extern_id
    return key in HASHED_KEYS


# encode(raw value, user's country as alpha-2 or "", default region) -> cell
_Encoder = Callable[[object, str, str | None], str | int | float | None]


@functools.cache
def _row_encoders(
    schema: tuple[str, ...],
    hash_device_ids: bool,
    hash_extern_id: bool,
    remembering: bool = True,
) -> tuple[_Encoder, ...]:
    for key in schema:
        _check_column(key)
    chosen = _encoder if remembering else _plain_encoder
    return tuple(chosen(key, hash_device_ids, hash_extern_id) for key in schema)


@functools.cache
def _encoder(key: str, hash_device_ids: bool, hash_extern_id: bool) -> _Encoder:
    """How column `key` turns a raw value into its cell, under these settings.

    Columns whose values repeat remember their cells per raw value, so a repeat
    costs one dictionary lookup. Such a cache cannot take a list as a key: the
    callers then ask `_plain_encoder`, whose error names the column.
    """
    encode = _plain_encoder(key, hash_device_ids, hash_extern_id)
    if key in _REPEATING_KEYS and is_hashed(key):
        return _cache(encode)
    return encode


@functools.cache
def _plain_encoder(key: str, hash_device_ids: bool, hash_extern_id: bool) -> _Encoder:
    if key == "LOOKALIKE_VALUE":
        return lambda value, country, region: ids.lookalike_value(value)
    hashed = is_hashed(
        key, hash_device_ids=hash_device_ids, hash_extern_id=hash_extern_id
    )
    rule = _VALUE_RULES.get(key)
    if rule is None:
        rule = _COUNTRY_RULES[key]
        if hashed:
            rule = functools.partial(_hashed_in_context, rule)
        return _country_encoder(key, rule)
    if hashed:
        return _value_encoder(key, functools.partial(_hashed_value, rule))
    return _value_encoder(key, _UNHASHED_RULES.get(key, rule))


def _value_encoder(key: str, encode_text: Callable[[str], str]) -> _Encoder:
    """Wrap a rule on stripped text: empty stays "", a wrong type names the column."""

    def encode(value: object, country: str, region: str | None) -> str:
        text = value.strip() if type(value) is str else _text_of(key, value)
        return encode_text(text) if text else ""

    return encode


def _country_encoder(key: str, encode_text) -> _Encoder:
    """The same for PHONE, ST and ZIP, whose rules read the user's country."""

    def encode(value: object, country: str, region: str | None) -> str:
        text = value.strip() if type(value) is str else _text_of(key, value)
        return encode_text(text, country, region) if text else ""

    return encode


def _hashed_value(rule: Callable[[str], str], text: str) -> str:
    if len(text) == 64 and is_sha256_hex(text):
        return text.lower()
    plain = rule(text)
    # Hashed inline (this is the hot path); the empty string is never hashed.
    return sha256(plain.encode()).hexdigest() if plain else ""


def _hashed_in_context(
    rule: Callable[[str, str, str | None], str],
    text: str,
    country: str,
    region: str | None,
) -> str:
    if len(text) == 64 and is_sha256_hex(text):
        return text.lower()
    plain = rule(text, country, region)
    return sha256(plain.encode()).hexdigest() if plain else ""


def _cache(function):
    return functools.lru_cache(maxsize=1 << 15, typed=True)(function)


def _plaintext(key: str, text: str, country: object, region: str | None) -> str:
    rule = _VALUE_RULES.get(key)
    if rule is not None:
        return rule(text)
    return _COUNTRY_RULES[key](text, country, region)


def _country_code(country: object) -> str:
    return "" if country is None else places.normalise_country(country)


def _prehashed(key: str, text: str, encoding: str, *, hashed: bool) -> str:
    """A value mParticle says is already hashed: usable only as a SHA-256 digest."""
    if encoding not in _ENCODINGS:
        raise ValueError(
            f"{key}: unknown identity encoding {encoding!r}; "
            f"expected one of {', '.join(_ENCODINGS)}"
        )
    if encoding == "sha256" and hashed and is_sha256_hex(text):
        return text.lower()
    return ""


def _text_of(key: str, value: object) -> str:
    """`value` as stripped text, with the column named when its type is wrong."""
    try:
        return as_text(value)
    except TypeError as error:
        raise TypeError(f"{key}: {error}") from error


def _check_column(key: str) -> None:
    if key not in NORMALISED_KEYS:
        raise ValueError(
            f"{key!r} is not a column this module normalises; "
            f"known columns: {', '.join(sorted(NORMALISED_KEYS))}"
        )
