"""Facts about the users-edge payload keys of the Graph API: one source of truth.

Everything that needs to know which schema keys exist, which are hashed and which
single-key schema strings are accepted imports them from here (the fake server's
validation, the reference engine's row builder, the scenario assertions).
Sources: ../shared/reference/graph-api.md sections 3.1 and 4.1.
"""

# Keys accepted in a multi-key (list) schema.
MULTI_KEYS: tuple[str, ...] = (
    "EXTERN_ID",
    "EMAIL",
    "PHONE",
    "GEN",
    "DOBY",
    "DOBM",
    "DOBD",
    "LN",
    "FN",
    "FI",
    "CT",
    "ST",
    "ZIP",
    "MADID",
    "COUNTRY",
    "APPUID",
    "PAGEUID",
    "LOOKALIKE_VALUE",
    "DATA_PROCESSING_OPTIONS",
    "DATA_PROCESSING_OPTIONS_COUNTRY",
    "DATA_PROCESSING_OPTIONS_STATE",
)

# Single-key schema strings, and the multi-key column each one stands for.
SINGLE_KEY_SCHEMAS: dict[str, str] = {
    "EMAIL_SHA256": "EMAIL",
    "PHONE_SHA256": "PHONE",
    "MOBILE_ADVERTISER_ID": "MADID",
    "UID": "UID",
    "EXTERN_ID": "EXTERN_ID",
    "EMAIL": "EMAIL",
}

# Keys whose values Facebook expects as lowercase SHA-256 hex digests.
HASHED_KEYS: frozenset[str] = frozenset(
    {"EMAIL", "PHONE", "GEN", "DOBY", "DOBM", "DOBD", "LN", "FN", "FI", "CT", "ST"}
    | {"ZIP", "COUNTRY"}
)

# Keys sent as plain values: ids that are never hashed, numbers and options.
UNHASHED_KEYS: frozenset[str] = frozenset(
    {"EXTERN_ID", "MADID", "UID", "APPUID", "PAGEUID", "LOOKALIKE_VALUE"}
    | {"DATA_PROCESSING_OPTIONS", "DATA_PROCESSING_OPTIONS_COUNTRY"}
    | {"DATA_PROCESSING_OPTIONS_STATE"}
)

# Keys that identify a person on their own; the rest only refine a match.
IDENTIFYING_KEYS: frozenset[str] = frozenset(
    {"EXTERN_ID", "EMAIL", "PHONE", "MADID", "UID", "APPUID", "PAGEUID"}
)

MAX_ROWS_PER_REQUEST = 10_000

CUSTOMER_FILE_SOURCES: tuple[str, ...] = (
    "USER_PROVIDED_ONLY",
    "PARTNER_PROVIDED_ONLY",
    "BOTH_USER_AND_PARTNER_PROVIDED",
)
