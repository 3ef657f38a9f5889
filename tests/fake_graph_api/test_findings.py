import ast
import hashlib
import inspect

import pytest

from fake_graph_api import findings
from fake_graph_api.findings import (
    Where,
    describe_value,
    query_findings,
    users_findings,
)
from fake_graph_api.payload import parse_users_payload

WHERE = Where("act_1001", "23800000000000001", 7)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def findings_for(schema, data) -> list:
    parsed = parse_users_payload({"schema": schema, "data": data}, is_value_based=False)
    return users_findings(parsed, WHERE)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        pytest.param("Joe@Example.com", "an email address", id="email"),
        pytest.param("+1 (650) 555-1212", "a phone number", id="phone"),
        pytest.param(sha("a").upper(), "upper-case hex digest", id="uppercase-hex"),
        pytest.param(hashlib.md5(b"a").hexdigest(), "MD5", id="md5"),
        pytest.param(hashlib.sha1(b"a").hexdigest(), "SHA-1", id="sha1"),
        pytest.param("m", "1 characters", id="plain-letter"),
    ],
)
def test_bad_hash_says_what_it_looks_like(value, words):
    assert words in describe_value(value)


def test_bad_hash_finding_names_row_and_column():
    (finding,) = findings_for(["EMAIL", "FN"], [[sha("a"), sha("b")], ["a@b.co", ""]])

    assert (finding.code, finding.severity) == ("hash_not_sha256", "error")
    assert (finding.row, finding.column, finding.request_seq) == (1, "EMAIL", 7)
    assert finding.ad_account == "act_1001" and "email address" in finding.message


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param("", "hash_of_empty", id="empty-string"),
        pytest.param("n/a", "hash_of_placeholder", id="n-a"),
        pytest.param("+0000000000", "hash_of_placeholder", id="zero-phone"),
        pytest.param("test@example.com", "hash_of_placeholder", id="test-email"),
    ],
)
def test_digests_of_empty_and_placeholders(text, code):
    (finding,) = findings_for(["PHONE"], [[sha(text)], [sha("15551234567")]])

    assert (finding.code, finding.row, finding.column) == (code, 0, "PHONE")


@pytest.mark.parametrize(
    ("madid", "code"),
    [
        pytest.param(sha("6d92078a"), "madid_hashed", id="hashed"),
        pytest.param("6D92078A-8246-4BA4-AE5B-76104861E7DC", "madid_uppercase",
                     id="uppercase"),
    ],
)  # fmt: skip
def test_madid_problems(madid, code):
    (finding,) = findings_for("MOBILE_ADVERTISER_ID", [madid])

    assert (finding.code, finding.column) == (code, "MADID")


def test_clean_payload_has_no_findings():
    rows = [[sha("a"), "6d92078a-8246"], [sha("b"), ""]]

    assert findings_for(["EMAIL", "MADID"], rows) == []


def test_duplicate_rows_are_reported_at_the_repeat():
    rows = [[sha("a")], [sha("b")], [sha("a")]]

    (finding,) = findings_for(["EMAIL"], rows)

    assert (finding.code, finding.row, finding.severity) == (
        "duplicate_row",
        2,
        "warning",
    )


def test_payload_and_pii_in_the_query_string():
    query = {"payload": "{}", "email": "joe@example.com", "access_token": "x"}

    codes = [f.code for f in query_findings(query, WHERE)]

    assert codes == ["payload_in_query", "pii_in_query"]


def test_findings_never_change_the_answer(graph):
    audience_id = graph.create()
    empty_hash = sha("")

    answer = graph.users(audience_id, ["EMAIL"], [[empty_hash]])

    assert answer.status_code == 200 and answer.json()["num_invalid_entries"] == 0
    (finding,) = graph.control("GET", "findings?ad_account=act_1001")["findings"]
    assert finding["code"] == "hash_of_empty" and finding["audience_id"] == audience_id
    (entry,) = [e for e in graph.control("GET", "journal")["entries"] if e["rows"]]
    assert entry["findings"] == ["hash_of_empty"]


def test_codes_lists_every_code_the_module_reports_with_its_severity():
    tree = ast.parse(inspect.getsource(findings))
    reported = {
        call.args[0].value: call.args[1].value
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        and getattr(call.func, "attr", None) == "finding"
        and isinstance(call.args[0], ast.Constant)
    }
    assert reported == findings.CODES
