"""Read `expect` blocks into Expectation records, hashing plaintext the scenario wrote.

Member cells of hashed keys are normalised plaintext in the file; the harness
hashes them with SHA-256 exactly as written (no normalisation: that is the engine's
job, and the point of the test). `sha256:<hex>` is a literal digest. Unhashed keys
(MADID, EXTERN_ID, LOOKALIKE_VALUE, ...) are kept as written, LOOKALIKE_VALUE as a
number. Errors are DocumentErrors naming file, line and field.
"""

from __future__ import annotations

from fake_graph_api.documents import Document
from fake_graph_api.findings import CODES as FINDING_CODES
from fake_graph_api.keys import HASHED_KEYS
from harness.normalise import is_sha256_hex, sha256_hex
from harness.scenario.model import (
    AudienceExpectation,
    ConnectionExpectation,
    Expectation,
    ExpectedCell,
    ExpectedRow,
    FindingExpectation,
    RequestsExpectation,
)

LITERAL_PREFIX = "sha256:"
AUDIENCE_FIELDS = (
    "subtype",
    "customer_file_source",
    "is_value_based",
    "description",
    "operation_status",
)
NUMERIC_KEYS = frozenset({"LOOKALIKE_VALUE"})


def read_expectation(document: Document, path: tuple, data: dict) -> Expectation:
    """The Expectation of the `expect` mapping found at `path` in `document`."""
    audiences = tuple(
        _audience(document, path + ("audiences", name), name, block or {})
        for name, block in (data.get("audiences") or {}).items()
    )
    findings = None
    if "findings" in data:
        findings = tuple(
            _finding(document, path + ("findings", index), item)
            for index, item in enumerate(data["findings"] or [])
        )
    return Expectation(
        audiences=audiences,
        absent=tuple(data.get("absent") or ()),
        deleted=tuple(data.get("deleted") or ()),
        audience_count=data.get("audience_count"),
        connections=_connections(document, path + ("connection",), data),
        findings=findings,
        requests=_requests(document, path + ("requests",), data),
        line=document.line_of(path),
    )


def default_expectation(line: int | None) -> Expectation:
    """What a scenario without `expect` is checked for: every connection active.

    Without it, a scenario whose every connection faulted would pass unnoticed.
    The default finding check of a final `expect` applies as well.
    """
    return Expectation(
        connections=(ConnectionExpectation(state="active", line=line),), line=line
    )


def _audience(document, path, name, block) -> AudienceExpectation:
    rows = {
        kind: _rows(document, path + (kind,), block[kind])
        for kind in ("members", "includes", "excludes")
        if kind in block
    }
    return AudienceExpectation(
        name=name,
        members=rows.get("members"),
        includes=rows.get("includes", ()),
        excludes=rows.get("excludes", ()),
        count=block.get("count"),
        ad_account=block.get("ad_account"),
        fields={key: block[key] for key in AUDIENCE_FIELDS if key in block},
        line=document.line_of(path),
    )


def _rows(document, path, rows) -> tuple[ExpectedRow, ...]:
    return tuple(
        ExpectedRow(
            cells=tuple(
                expected_cell(document, path + (index, key), key, written)
                for key, written in row.items()
            ),
            line=document.line_of(path + (index,)),
        )
        for index, row in enumerate(rows or [])
    )


def expected_cell(document, path, key: str, written: object) -> ExpectedCell:
    """The cell the fake must hold for what the scenario wrote under `key`."""
    if (
        isinstance(written, bool)
        or isinstance(written, float)
        and key not in NUMERIC_KEYS
    ):
        raise document.error(path, f"write {key} as text (quote it), got {written!r}")
    text = str(written)
    if text == "":
        raise document.error(
            path, "a member row lists only non-empty cells; leave the column out"
        )
    if text.startswith(LITERAL_PREFIX):
        return ExpectedCell(key, written, _literal_digest(document, path, text))
    if key in NUMERIC_KEYS:
        return ExpectedCell(key, written, _number(document, path, key, written))
    if key in HASHED_KEYS:
        return ExpectedCell(key, written, sha256_hex(text))
    return ExpectedCell(key, written, text)


def _literal_digest(document, path, text: str) -> str:
    digest = text[len(LITERAL_PREFIX) :].strip()
    if not is_sha256_hex(digest):
        raise document.error(
            path, f"{text!r} is not sha256: followed by 64 hexadecimal digits"
        )
    return digest.lower()


def _number(document, path, key, written) -> float:
    try:
        return float(written)
    except ValueError:
        raise document.error(path, f"{key} must be a number, got {written!r}") from None


def _finding(document, path, item) -> FindingExpectation:
    line = document.line_of(path)
    code = item if isinstance(item, str) else item["code"]
    if code not in FINDING_CODES:
        known = ", ".join(sorted(FINDING_CODES))
        raise document.error(
            path, f"unknown finding code {code!r}; the fake reports: {known}"
        )
    if isinstance(item, str):
        return FindingExpectation(code=item, line=line)
    return FindingExpectation(
        code=item["code"],
        severity=item.get("severity"),
        count=item.get("count"),
        line=line,
    )


def _one_or_many(value, path: tuple) -> list[tuple[object, tuple]]:
    """(item, path) pairs of a field that holds one item or a list of them."""
    if value is None:
        return []
    if isinstance(value, list):
        return [(item, path + (index,)) for index, item in enumerate(value)]
    return [(value, path)]


def _connections(document, path, data) -> tuple[ConnectionExpectation, ...]:
    result = []
    for item, item_path in _one_or_many(data.get("connection"), path):
        line = document.line_of(item_path)
        if isinstance(item, str):
            result.append(ConnectionExpectation(state=item, line=line))
        else:
            result.append(ConnectionExpectation(**item, line=line))
    return tuple(result)


def _requests(document, path, data) -> tuple[RequestsExpectation, ...]:
    result = []
    for item, item_path in _one_or_many(data.get("requests"), path):
        count = item.get("count")
        low, high = (count, count) if isinstance(count, int) else (None, None)
        if isinstance(count, dict):
            low, high = count.get("min"), count.get("max")
        if low is not None and high is not None and low > high:
            raise document.error(
                item_path + ("count",), f"min {low} is larger than max {high}"
            )
        result.append(
            RequestsExpectation(
                method=item.get("method", "*"),
                path=item.get("path", "*"),
                audience=item.get("audience"),
                status=item.get("status"),
                count_min=low,
                count_max=high,
                max_rows=item.get("max_rows"),
                payload_in_query=item.get("payload_in_query"),
                line=document.line_of(item_path),
            )
        )
    return tuple(result)
