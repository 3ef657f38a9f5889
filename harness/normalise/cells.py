"""One entry point per multi-key column: its normalised text, and its cell as sent.

`normalise` dispatches to the per-key rule; `cell` adds hashing: hashed keys (from
fake_graph_api.keys, plus MADID and EXTERN_ID when the settings say so) become
lowercase SHA-256 hex, a value that already is a digest passes through lower-cased,
and an empty or unusable value stays "" and is never hashed.
"""

from collections.abc import Sequence

from harness.normalise.encoders import (
    CONTEXT_RULES,
    VALUE_RULES,
    check_column,
    column_encoder,
    home_country,
    is_hashed,
    row_encoder,
    text_of,
)
from harness.normalise.hashing import is_sha256_hex

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
    check_column(key)
    text = text_of(key, value)
    if not text:
        return ""
    rule = VALUE_RULES.get(key)
    if rule is not None:
        return rule(text)
    return CONTEXT_RULES[key](text, home_country(country), default_region)


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
    if encoding is not None and encoding.lower() != "raw":
        check_column(key)
        text = text_of(key, value)
        hashed = is_hashed(
            key, hash_device_ids=hash_device_ids, hash_extern_id=hash_extern_id
        )
        return _prehashed(key, text, encoding.lower(), hashed=hashed) if text else ""

    # column_encoder refuses an unknown column (and remembers only known ones).
    encode = column_encoder(key, hash_device_ids, hash_extern_id)
    return encode(value, home_country(country), default_region)


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

    The row's encoder is built once per schema and settings, so a row costs its
    rules and hashes; every value is taken as raw (not pre-hashed by mParticle).
    """
    encode_row = row_encoder(tuple(schema), hash_device_ids, hash_extern_id)
    if len(values) != len(schema):
        raise ValueError(
            f"a row of {len(values)} values does not fit a schema of "
            f"{len(schema)} columns ({', '.join(schema)})"
        )
    return encode_row(values, home_country(country), default_region)


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
