"""Conformance findings: what the real API accepts silently but is an integration bug.

`users_findings(parsed, ...)` looks at one validated users payload and returns
findings; `query_findings(query)` looks at the URL query string. Findings never
change the HTTP answer. Codes (severity):

    hash_not_sha256     (error)    a hashed column holds something else; says what
    hash_of_empty       (error)    sha256 of the empty string
    hash_of_placeholder (warning)  sha256 of "n/a", "null", "+0000000000", ...
    madid_hashed        (error)    a MADID that is a 64-hex digest
    madid_uppercase     (warning)  a MADID with upper-case letters
    duplicate_row       (warning)  a row repeated in the same request
    payload_in_query    (warning)  the users payload travelled in the URL
    pii_in_query        (error)    a query value that looks like an email or phone

Fast path: each column is checked with set and string builtins; only failing
columns are looked at cell by cell. At most MAX_PER_REQUEST findings a request.
"""

import hashlib
import json
from dataclasses import asdict, dataclass

from fake_graph_api.keys import HASHED_KEYS
from fake_graph_api.payload import UsersPayload, is_sha256_hex

MAX_PER_REQUEST = 200
EMPTY_DIGEST = hashlib.sha256(b"").hexdigest()
PLACEHOLDERS = (
    "n/a", "na", "null", "none", "nil", "unknown", "undefined", "nan", "-", "0",
    "+0000000000", "0000000000", "1234567890", "test", "test@example.com",
    "test@test.com", "email@example.com", "noemail@example.com", "no@email.com",
    "false", "true", "x",
)  # fmt: skip
PLACEHOLDER_DIGESTS = {
    hashlib.sha256(text.encode()).hexdigest(): text for text in PLACEHOLDERS
}
# Every finding code this module reports, with its severity (the docstring's list).
CODES = {
    "hash_not_sha256": "error",
    "hash_of_empty": "error",
    "hash_of_placeholder": "warning",
    "madid_hashed": "error",
    "madid_uppercase": "warning",
    "duplicate_row": "warning",
    "payload_in_query": "warning",
    "pii_in_query": "error",
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    ad_account: str | None
    audience_id: str | None
    request_seq: int
    row: int | None = None
    column: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Where:
    """The request a finding belongs to."""

    ad_account: str | None
    audience_id: str | None
    request_seq: int

    def finding(self, code, severity, message, row=None, column=None) -> Finding:
        return Finding(
            code, severity, message, self.ad_account, self.audience_id,
            self.request_seq, row, column,
        )  # fmt: skip


def users_findings(parsed: UsersPayload, where: Where) -> list[Finding]:
    found: list[Finding] = []
    for row, column, value in parsed.bad_hash_cells:
        found.append(
            where.finding(
                "hash_not_sha256",
                "error",
                f"{column} should be a lowercase SHA-256 hex digest but "
                f"{describe_value(value)}",
                row,
                column,
            )  # fmt: skip
        )
    for column, values in zip(parsed.columns, parsed.values, strict=True):
        if column in HASHED_KEYS:
            found += _placeholder_hashes(values, column, where)
        elif column == "MADID":
            found += _madid_problems(values, where)
    found += _duplicates(parsed.rows, parsed.values, where)
    return found[:MAX_PER_REQUEST]


def query_findings(query: dict, where: Where) -> list[Finding]:
    found = []
    if "payload" in query:
        found.append(
            where.finding(
                "payload_in_query",
                "warning",
                "The users payload was sent in the URL query string; large payloads "
                "fail there. Send it in the request body.",
            )  # fmt: skip
        )
    for name, value in query.items():
        if name in ("access_token", "appsecret_proof", "payload"):
            continue
        kind = _pii_kind(value) if isinstance(value, str) else None
        if kind:
            found.append(
                where.finding(
                    "pii_in_query",
                    "error",
                    f"The query parameter {name} looks like {kind}; personal data "
                    "must never travel in a URL.",
                    column=name,
                )  # fmt: skip
            )
    return found


def describe_value(value: str) -> str:
    """What a value in a hashed column looks like, in words for a finding."""
    length = len(value)
    lowered = value.lower()
    if length == 64 and is_sha256_hex(lowered):
        return "it is an upper-case hex digest (lower-case it)"
    if length == 32 and _is_hex(lowered):
        return "it looks like an MD5 digest (32 hex characters)"
    if length == 40 and _is_hex(lowered):
        return "it looks like a SHA-1 digest (40 hex characters)"
    kind = _pii_kind(value)
    if kind:
        return f"it looks like {kind} sent in clear"
    return f"it is {length} characters of something else"


def _placeholder_hashes(values: list, column: str, where: Where) -> list[Finding]:
    # Scanning against the few known digests is cheaper than a set of the column.
    if EMPTY_DIGEST not in values and PLACEHOLDER_DIGESTS.keys().isdisjoint(values):
        return []
    found = []
    for row, value in enumerate(values):
        if value == EMPTY_DIGEST:
            found.append(
                where.finding(
                    "hash_of_empty",
                    "error",
                    f"{column} is the SHA-256 of an empty string; send an empty "
                    "cell instead",
                    row,
                    column,
                )  # fmt: skip
            )
        elif value in PLACEHOLDER_DIGESTS:
            found.append(
                where.finding(
                    "hash_of_placeholder",
                    "warning",
                    f"{column} is the SHA-256 of the placeholder "
                    f"{PLACEHOLDER_DIGESTS[value]!r}",
                    row,
                    column,
                )  # fmt: skip
            )
    return found


def _madid_problems(values: list, where: Where) -> list[Finding]:
    joined = "".join(values)
    if 64 not in set(map(len, values)) and joined == joined.lower():
        return []
    found = []
    for row, value in enumerate(values):
        if is_sha256_hex(value.lower()):
            found.append(
                where.finding(
                    "madid_hashed",
                    "error",
                    "MADID is a SHA-256 digest; mobile advertiser ids are sent "
                    "unhashed",
                    row,
                    "MADID",
                )  # fmt: skip
            )
        elif value != value.lower():
            found.append(
                where.finding(
                    "madid_uppercase",
                    "warning",
                    "MADID has upper-case letters; send it lower-cased",
                    row,
                    "MADID",
                )  # fmt: skip
            )
    return found


def _duplicates(rows: list, values: list, where: Where) -> list[Finding]:
    if any(len(set(column)) == len(column) for column in values if _hashable(column)):
        return []  # a column without repeats: no two rows can be equal
    try:
        keys = list(map(tuple, rows))
        if len(set(keys)) == len(keys):
            return []
    except TypeError:  # a list cell (DATA_PROCESSING_OPTIONS) is unhashable
        keys = [json.dumps(row) for row in rows]
    first_seen: dict = {}
    found = []
    for row, key in enumerate(keys):
        if key in first_seen:
            found.append(
                where.finding(
                    "duplicate_row",
                    "warning",
                    f"Row {row} repeats row {first_seen[key]} of the same request",
                    row,
                )  # fmt: skip
            )
        else:
            first_seen[key] = row
    return found


def _hashable(column: tuple) -> bool:
    return list not in set(map(type, column))


def _pii_kind(value: str) -> str | None:
    text = value.strip()
    if "@" in text and "." in text.rpartition("@")[2] and " " not in text:
        return "an email address"
    digits = sum(ch.isdigit() for ch in text)
    if 7 <= digits <= 15 and all(ch.isdigit() or ch in "+-() ." for ch in text):
        return "a phone number"
    return None


def _is_hex(text: str) -> bool:
    return all(ch in "0123456789abcdef" for ch in text)
