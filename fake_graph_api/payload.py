"""Validation of the users-edge `payload` (add, remove, replace), pure and fast.

`parse_users_payload(raw, ...)` either raises a GraphError (the whole request is
refused: nothing changes) or returns a `UsersPayload`: the columns, the rows, the
data-source sub_type the upload implies, and the rows Graph would count as invalid
entries (`num_invalid_entries` / `invalid_entry_samples`), which are not applied.
Checks run per column with C-level builtins where they can; per-cell Python work
only happens for the columns that fail a fast check.
"""

import json
import math
from dataclasses import dataclass, field

from fake_graph_api import keys
from fake_graph_api.errors import GraphError

MAX_SAMPLES = 100
EMPTY_EXTERN_ID = "empty external ID"
BAD_HASH = "invalid hash format"

_SINGLE_KEY_SUB_TYPES = {
    "EMAIL_SHA256": "HASHES_OR_USER_IDS",
    "PHONE_SHA256": "HASHES_OR_USER_IDS",
    "EMAIL": "HASHES_OR_USER_IDS",
    "UID": "HASHES_OR_USER_IDS",
    "MOBILE_ADVERTISER_ID": "MOBILE_ADVERTISER_IDS",
    "EXTERN_ID": "EXTERNAL_IDS",
}
MULTI_KEY_SUB_TYPE = "MULTI_HASHES"
_ID_KEYS = frozenset({"EXTERN_ID", "UID", "APPUID", "PAGEUID", "MADID"})
_INT_KEYS = frozenset(
    {"DATA_PROCESSING_OPTIONS_COUNTRY", "DATA_PROCESSING_OPTIONS_STATE"}
)
_HEX = frozenset("0123456789abcdef")
_HEX_BYTES = b"0123456789abcdef"


@dataclass
class UsersPayload:
    """A valid payload: what to apply and what Graph would report as invalid."""

    columns: tuple[str, ...]
    rows: list
    values: list  # one tuple per column: rows read column-wise
    sent_rows: list
    multi_key: bool
    sub_type: str
    invalid: dict[int, str] = field(default_factory=dict)
    bad_hash_cells: list[tuple[int, str, str]] = field(default_factory=list)

    def accepted(self) -> tuple[list, list | None]:
        """The rows to apply and their column values (None: recompute them)."""
        if not self.invalid:
            return self.rows, self.values
        invalid = self.invalid
        return [row for i, row in enumerate(self.rows) if i not in invalid], None

    def samples(self) -> dict[str, str]:
        """Up to 100 invalid rows, keyed by the row's JSON text exactly as sent."""
        picked = sorted(self.invalid)[:MAX_SAMPLES]
        return {_row_text(self.sent_rows[i]): self.invalid[i] for i in picked}


def decode_json_param(raw, name: str):
    """A parameter sent as a JSON string (form, query) or as a JSON value (body)."""
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        raise GraphError(
            "invalid_parameter", detail=f"Param {name} must be a valid JSON object"
        ) from None


def parse_users_payload(
    raw, *, is_value_based: bool, known_app_ids: frozenset[str] = frozenset()
) -> UsersPayload:
    """Check a users payload against the audience; raise GraphError when refused."""
    if raw is None or raw == "":
        raise GraphError("missing_required_parameter", name="payload")
    payload = decode_json_param(raw, "payload")
    if not isinstance(payload, dict):
        raise GraphError("invalid_parameter", detail="Param payload must be an object")

    schema = payload.get("schema")
    columns, multi_key = _read_schema(schema)
    rows = _read_rows(payload.get("data"), columns, multi_key)
    _check_ids_params(payload, columns, known_app_ids)
    values = list(zip(*rows, strict=True))
    _check_value_column(columns, values, is_value_based)
    rows, values = _check_cell_types(columns, rows, values)

    sub_type = MULTI_KEY_SUB_TYPE if multi_key else _SINGLE_KEY_SUB_TYPES[schema]
    parsed = UsersPayload(columns, rows, values, payload["data"], multi_key, sub_type)
    _mark_invalid_entries(parsed)
    return parsed


def _read_schema(schema) -> tuple[tuple[str, ...], bool]:
    if isinstance(schema, str):
        if schema not in keys.SINGLE_KEY_SCHEMAS:
            allowed = ", ".join(keys.SINGLE_KEY_SCHEMAS)
            raise GraphError(
                "invalid_parameter",
                detail=f"Invalid schema {schema}: a schema string must be one of "
                f"{allowed}, or use a list of keys",
            )
        return (keys.SINGLE_KEY_SCHEMAS[schema],), False
    if not isinstance(schema, list) or not schema:
        raise GraphError("missing_required_parameter", name="schema")
    unknown = [key for key in schema if key not in keys.MULTI_KEYS]
    if unknown:
        raise GraphError("invalid_pii_type", keys=",".join(keys.MULTI_KEYS))
    if len(set(schema)) != len(schema):
        raise GraphError(
            "invalid_parameter", detail="Each key may appear only once in schema"
        )
    return tuple(schema), True


def _read_rows(data, columns: tuple[str, ...], multi_key: bool) -> list:
    if not isinstance(data, list) or not data:
        raise GraphError("schema_mismatch", detail="data must be a non-empty list")
    if len(data) > keys.MAX_ROWS_PER_REQUEST:
        raise GraphError("too_many_rows", rows=len(data))
    if not multi_key:
        return _single_key_rows(data)
    if set(map(type, data)) != {list} or set(map(len, data)) != {len(columns)}:
        index = _first_bad_row(data, len(columns))
        raise GraphError(
            "schema_mismatch",
            detail=f"row {index} does not have the {len(columns)} values of the schema",
        )
    return data


def _single_key_rows(data: list) -> list:
    kinds = set(map(type, data))
    if kinds <= {str, int}:
        return [[value] for value in data]
    if kinds == {list} and set(map(len, data)) == {1}:
        return data
    index = _first_bad_row(data, 1, flat_ok=True)
    raise GraphError(
        "schema_mismatch", detail=f"row {index} must be one value for the schema"
    )


def _first_bad_row(data: list, width: int, *, flat_ok: bool = False) -> int:
    for index, row in enumerate(data):
        if flat_ok and isinstance(row, str | int) and not isinstance(row, bool):
            continue
        if not isinstance(row, list) or len(row) != width:
            return index
    return 0


def _check_ids_params(payload: dict, columns: tuple, known_app_ids) -> None:
    if "UID" in columns and not (payload.get("app_ids") or payload.get("page_ids")):
        raise GraphError("uid_needs_app_ids", schema="UID")
    if "PAGEUID" in columns and not payload.get("page_ids"):
        raise GraphError("uid_needs_app_ids", schema="PAGEUID")
    app_ids = payload.get("app_ids") or []
    if not isinstance(app_ids, list):
        raise GraphError("invalid_parameter", detail="Param app_ids must be a list")
    unknown = [str(app) for app in app_ids if str(app) not in known_app_ids]
    if unknown and known_app_ids:
        raise GraphError(
            "invalid_parameter",
            detail=f"app_ids contains an app id this token cannot use: {unknown[0]}",
        )


def _check_value_column(columns: tuple, values: list, is_value_based: bool) -> None:
    if "LOOKALIKE_VALUE" not in columns:
        if is_value_based:
            raise GraphError("value_based_needs_value")
        return
    if not is_value_based:
        raise GraphError("value_on_plain_audience")
    numbers = values[columns.index("LOOKALIKE_VALUE")]
    if not set(map(type, numbers)) <= {int, float}:
        raise GraphError("invalid_lookalike_value", detail="a value is not a number")
    if not all(map(_finite, numbers)):
        raise GraphError("invalid_lookalike_value", detail="a value is out of range")
    if min(numbers) < 0:
        raise GraphError("invalid_lookalike_value", detail="a value is below zero")


def _finite(number: int | float) -> bool:
    """A JSON number Graph can store: not NaN, not infinite, within 64 bits."""
    if isinstance(number, int):
        return abs(number) < 2**63
    return math.isfinite(number)


def _check_cell_types(columns: tuple, rows: list, values: list):
    """Cells are strings, except numbers and options; integer ids become strings."""
    to_text = []
    for position, key in enumerate(columns):
        kinds = set(map(type, values[position]))
        if kinds == {str} or key == "LOOKALIKE_VALUE":
            continue
        if key in _ID_KEYS and kinds <= {str, int}:
            to_text.append(position)
        elif not kinds <= _allowed_types(key):
            raise GraphError(
                "schema_mismatch", detail=f"the {key} column holds a wrong type"
            )
    if not to_text:
        return rows, values
    rows = [list(row) for row in rows]
    for row in rows:
        for position in to_text:
            row[position] = str(row[position])
    return rows, list(zip(*rows, strict=True))


def _allowed_types(key: str) -> set:
    if key == "DATA_PROCESSING_OPTIONS":
        return {list}
    if key in _INT_KEYS:
        return {int}
    return {str}


def _mark_invalid_entries(parsed: UsersPayload) -> None:
    columns = parsed.columns
    if parsed.multi_key and "EXTERN_ID" in columns:
        extern_ids = parsed.values[columns.index("EXTERN_ID")]
        if "" in extern_ids:
            for index, value in enumerate(extern_ids):
                if value == "":
                    parsed.invalid[index] = EMPTY_EXTERN_ID
    for position, key in enumerate(columns):
        if key in keys.HASHED_KEYS:
            for index, value in _bad_hashes(parsed.values[position]):
                parsed.bad_hash_cells.append((index, key, value))
                parsed.invalid.setdefault(index, BAD_HASH)


def _bad_hashes(values) -> list[tuple[int, str]]:
    """(row, value) of non-empty cells that are not 64 lowercase hex characters."""
    present = list(filter(None, values))
    if not present or _all_sha256(present):
        return []
    return [
        (index, value)
        for index, value in enumerate(values)
        if value and not is_sha256_hex(value)
    ]


def _all_sha256(values: list[str]) -> bool:
    """Every value is 64 lowercase hex characters (one C-level pass per step)."""
    if set(map(len, values)) != {64}:
        return False
    joined = "".join(values)
    if not joined.isascii():
        return False
    return not joined.encode("ascii").translate(None, _HEX_BYTES)


def is_sha256_hex(value: str) -> bool:
    return len(value) == 64 and _HEX.issuperset(value)


def _row_text(row) -> str:
    return json.dumps(row, separators=(",", ":"), ensure_ascii=False)
