"""Facebook's normalisation and hashing rules for Custom Audience columns, pure.

`normalise(key, value)` gives the plaintext Facebook hashes; `cell(key, value)` the
cell as sent (hashed, passed through, or a plain id or number). An empty or
unusable value is "" and never hashed. No I/O here. Each rule and its source:
docs/behaviour.md, "Normalisation and hashing".

    hashing   sha256_hex, is_sha256_hex
    text      raw value -> text, a-z folding
    person    EMAIL, FN, LN, FI, GEN, DOBY, DOBM, DOBD
    places    COUNTRY, ST, CT, ZIP (pycountry, cached)
    phone     PHONE (phonenumbers, with a fast path for plain shapes)
    ids       MADID, EXTERN_ID, UID/APPUID/PAGEUID, LOOKALIKE_VALUE
    encoders  one closure per column and settings, memos, clear_caches
    cells     normalise, cell, row_cells, is_hashed
"""

from harness.normalise.cells import cell, is_hashed, normalise, row_cells
from harness.normalise.encoders import NORMALISED_KEYS, clear_caches
from harness.normalise.hashing import is_sha256_hex, sha256_hex
from harness.normalise.ids import (
    lookalike_value,
    normalise_extern_id,
    normalise_madid,
    normalise_user_id,
    plain_extern_id,
)
from harness.normalise.person import (
    first_initial,
    normalise_birth_day,
    normalise_birth_month,
    normalise_birth_year,
    normalise_email,
    normalise_gender,
    normalise_name,
)
from harness.normalise.phone import normalise_phone
from harness.normalise.places import (
    normalise_city,
    normalise_country,
    normalise_state,
    normalise_zip,
)

__all__ = [
    "NORMALISED_KEYS",
    "cell",
    "clear_caches",
    "first_initial",
    "is_hashed",
    "is_sha256_hex",
    "lookalike_value",
    "normalise",
    "normalise_birth_day",
    "normalise_birth_month",
    "normalise_birth_year",
    "normalise_city",
    "normalise_country",
    "normalise_email",
    "normalise_extern_id",
    "normalise_gender",
    "normalise_madid",
    "normalise_name",
    "normalise_phone",
    "normalise_state",
    "normalise_user_id",
    "normalise_zip",
    "plain_extern_id",
    "row_cells",
    "sha256_hex",
]
