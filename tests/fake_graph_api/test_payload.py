import hashlib

import pytest

from fake_graph_api.errors import GraphError
from fake_graph_api.payload import parse_users_payload

HASH = hashlib.sha256(b"a@b.c").hexdigest()


def refused(raw, **context) -> str:
    with pytest.raises(GraphError) as caught:
        parse_users_payload(raw, is_value_based=context.pop("value", False), **context)
    return caught.value.name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(None, "missing_required_parameter", id="no-payload"),
        pytest.param("{not json", "invalid_parameter", id="not-json"),
        pytest.param({"schema": "PHONE", "data": ["1"]}, "invalid_parameter",
                     id="unknown-single-key"),
        pytest.param({"schema": ["UID"], "data": [["1"]]}, "invalid_pii_type",
                     id="uid-in-multi-key"),
        pytest.param({"schema": ["EMAIL", "FN"], "data": [[HASH]]}, "schema_mismatch",
                     id="short-row"),
        pytest.param({"schema": ["EMAIL"], "data": []}, "schema_mismatch",
                     id="no-rows"),
        pytest.param({"schema": "EMAIL_SHA256", "data": [HASH] * 10_001},
                     "too_many_rows", id="10001-rows"),
        pytest.param({"schema": "UID", "data": ["123"]}, "uid_needs_app_ids",
                     id="uid-without-app-ids"),
        pytest.param({"schema": ["EMAIL", "LOOKALIKE_VALUE"], "data": [[HASH, 1]]},
                     "value_on_plain_audience", id="value-on-plain-audience"),
        pytest.param({"schema": ["EMAIL"], "data": [[7]]}, "schema_mismatch",
                     id="number-in-hashed-column"),
    ],
)  # fmt: skip
def test_refused_payloads(raw, expected):
    assert refused(raw) == expected


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([[HASH]], "value_based_needs_value", id="missing-column"),
        pytest.param([[HASH, -1]], "invalid_lookalike_value", id="negative"),
        pytest.param([[HASH, "4"]], "invalid_lookalike_value", id="string-number"),
        pytest.param([[HASH, 10**400]], "invalid_lookalike_value", id="huge-integer"),
        pytest.param([[HASH, float("nan")]], "invalid_lookalike_value", id="nan"),
    ],
)
def test_value_based_audiences_need_non_negative_numbers(rows, expected):
    schema = ["EMAIL"] if len(rows[0]) == 1 else ["EMAIL", "LOOKALIKE_VALUE"]

    assert refused({"schema": schema, "data": rows}, value=True) == expected


def test_value_based_rows_keep_numbers():
    raw = {"schema": ["EMAIL", "LOOKALIKE_VALUE"], "data": [[HASH, 44.5], [HASH, 0]]}

    parsed = parse_users_payload(raw, is_value_based=True)

    assert parsed.rows == [[HASH, 44.5], [HASH, 0]]


def test_exactly_10000_rows_pass():
    parsed = parse_users_payload(
        {"schema": "EMAIL_SHA256", "data": [HASH] * 10_000}, is_value_based=False
    )

    assert len(parsed.rows) == 10_000 and parsed.sub_type == "HASHES_OR_USER_IDS"


def test_single_key_accepts_flat_and_one_element_rows():
    flat = parse_users_payload({"schema": "EMAIL_SHA256", "data": [HASH]},
                               is_value_based=False)  # fmt: skip
    nested = parse_users_payload({"schema": "EMAIL_SHA256", "data": [[HASH]]},
                                 is_value_based=False)  # fmt: skip

    assert flat.rows == nested.rows == [[HASH]]
    assert flat.columns == ("EMAIL",)


def test_bad_hashes_are_invalid_entries_with_samples():
    raw = {"schema": ["EMAIL", "FN"], "data": [[HASH, ""], ["Joe@x.com", HASH]]}

    parsed = parse_users_payload(raw, is_value_based=False)

    assert parsed.invalid == {1: "invalid hash format"}
    assert parsed.samples() == {f'["Joe@x.com","{HASH}"]': "invalid hash format"}
    assert parsed.accepted() == ([[HASH, ""]], None)
    assert parsed.bad_hash_cells == [(1, "EMAIL", "Joe@x.com")]


def test_uid_with_known_app_ids_passes():
    raw = {"schema": "UID", "data": ["123"], "app_ids": ["111"]}

    parsed = parse_users_payload(
        raw, is_value_based=False, known_app_ids=frozenset({"111"})
    )

    assert parsed.columns == ("UID",)
