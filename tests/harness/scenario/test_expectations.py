"""Expectations against crafted fake states (a stand-in for the control API)."""

import hashlib

import pytest

from fake_graph_api.documents import parse_document
from harness.scenario.diagnosis import Diagnoser, RawInput
from harness.scenario.expectations import check_expectation
from harness.scenario.expected import read_expectation
from harness.scenario.problems import FAILURE, WARNING
from harness.scenario.snapshot import FakeSnapshot


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def audience(id_, name, *, deleted=False, **fields):
    return {"id": id_, "name": name, "deleted": deleted, "subtype": "CUSTOM", **fields}


class CraftedControl:
    """Answers the snapshot's control calls from a crafted state."""

    def __init__(self, audiences=(), members=None, journal=(), findings=()):
        self._audiences = list(audiences)
        self._members = members or {}
        self._journal = list(journal)
        self._findings = list(findings)

    def state(self):
        return {"ad_accounts": [{"id": "act_1001", "audiences": self._audiences}]}

    def members(self, audience_id):
        return self._members.get(audience_id, [])

    def journal(self):
        return self._journal

    def findings(self):
        return self._findings


def check(
    expect_yaml, control, *, connections=(), subscribed=(7301,), final=True, inputs=None
):
    document = parse_document(expect_yaml, file="case.yaml")
    expect = read_expectation(document, (), document.data)
    snapshot = FakeSnapshot(
        control, ad_account="act_1001", connections=lambda: list(connections)
    )
    inputs = inputs or [RawInput("ana", "mobile_number", "+44 7700 900123", "GB")]
    return check_expectation(
        expect,
        snapshot,
        diagnoser=Diagnoser(inputs),
        subscribed=list(subscribed),
        final=final,
    )


PHONE_AUDIENCE = CraftedControl(
    [audience("11", "Cart (phone)")],
    {"11": [{"PHONE": sha256("+447700900123")}]},
)


def test_members_differ_and_the_mistake_is_named():
    [problem] = check(
        'audiences: {"Cart (phone)": {members: [{PHONE: "447700900123"}]}}',
        PHONE_AUDIENCE,
    )

    assert problem.line == 1
    assert "missing member {PHONE: 447700900123}" in problem.message
    assert "PHONE for ana looks like sha256('+447700900123'): the plus was kept" in (
        problem.message
    )


@pytest.mark.parametrize(
    "expect, holds",
    [
        pytest.param("members: [{PHONE: '447700900123'}]", False, id="members-exact"),
        pytest.param(
            f"members: [PHONE: 'sha256:{sha256('+447700900123')}']",
            True,
            id="digest",
        ),
        pytest.param("includes: [{PHONE: '+447700900123'}]", True, id="includes"),
        pytest.param("excludes: [{PHONE: '+447700900123'}]", False, id="excludes"),
        pytest.param("count: 1", True, id="count"),
        pytest.param("count: 2", False, id="count-wrong"),
        pytest.param("subtype: CUSTOM", True, id="field"),
        pytest.param("subtype: LOOKALIKE", False, id="field-wrong"),
    ],
)
def test_audience_expectations(expect, holds):
    problems = check(f'audiences: {{"Cart (phone)": {{{expect}}}}}', PHONE_AUDIENCE)
    assert (problems == []) is holds, problems


def test_a_member_who_should_have_left_is_recognised_with_the_traffic():
    control = CraftedControl(
        [audience("11", "Cart (email)")],
        {
            "11": [
                {"EMAIL": sha256("ana@example.org")},
                {"EMAIL": sha256("bob@example.org")},
            ]
        },
        journal=[
            {
                "seq": 4,
                "method": "POST",
                "path": "/v19.0/11/users",
                "status": 200,
                "rows": 2,
                "audience_id": "11",
            },
            {
                "seq": 5,
                "method": "POST",
                "path": "/v19.0/12/users",
                "status": 200,
                "rows": 1,
                "audience_id": "12",
            },
        ],
    )
    inputs = [
        RawInput("ana", "email", "ana@example.org"),
        RawInput("bob", "email", " Bob@example.org"),
    ]

    [problem] = check(
        'audiences: {"Cart (email)": {members: [{EMAIL: ana@example.org}]}}',
        control,
        inputs=inputs,
    )

    assert "EMAIL is bob's email ('bob@example.org'), correctly sent" in problem.message
    assert "a removal that never arrived" in problem.message
    assert "users requests to it: POST x1 (2 rows); DELETE x0 (0 rows)" in (
        problem.message
    )


def test_a_scenario_row_written_raw_gets_a_hint():
    [problem] = check(
        'audiences: {"Cart (phone)": {members: [{PHONE: "+44 7700 900123"}]}}',
        CraftedControl(
            [audience("11", "Cart (phone)")],
            {"11": [{"PHONE": sha256("447700900123")}]},
        ),
    )

    assert (
        "the scenario writes PHONE '+44 7700 900123', which normalises to "
        "'447700900123': expected rows hold normalised plaintext"
    ) in problem.message
    assert "it is the expected row once the scenario's text is normalised" in (
        problem.message
    )
    assert "not expected here" not in problem.message


def test_a_row_must_list_every_non_empty_cell():
    control = CraftedControl(
        [audience("11", "Cart (multi-key)")],
        {"11": [{"EMAIL": sha256("ana@example.org"), "FN": sha256("ana")}]},
    )

    [problem] = check(
        'audiences: {"Cart (multi-key)": {members: [{EMAIL: ana@example.org}]}}',
        control,
    )

    assert "has extra ['FN']" in problem.message


def test_lookalike_values_compare_as_numbers():
    control = CraftedControl(
        [audience("11", "Value (multi-key)")],
        {"11": [{"EXTERN_ID": "c-1", "LOOKALIKE_VALUE": 12}]},
    )
    expect = "members: [{EXTERN_ID: c-1, LOOKALIKE_VALUE: 12.0}]"
    assert check(f'audiences: {{"Value (multi-key)": {{{expect}}}}}', control) == []


def test_two_live_audiences_with_one_name_fail():
    control = CraftedControl(
        [audience("11", "Cart (email)"), audience("12", "Cart (email)")]
    )

    [problem] = check('audiences: {"Cart (email)": {count: 0}}', control)

    assert "2 live audiences are named 'Cart (email)' (ids 11, 12)" in problem.message


@pytest.mark.parametrize(
    "expect, holds, words",
    [
        pytest.param('absent: ["Cart (email)"]', True, "", id="absent-deleted-ok"),
        pytest.param('deleted: ["Cart (email)"]', True, "", id="deleted"),
        pytest.param('deleted: ["Cart (phone)"]', False, "still live", id="still-live"),
        pytest.param(
            'absent: ["Cart (phone)"]', False, "expected absent", id="present"
        ),
        pytest.param(
            'deleted: ["Cart (Email)"]',
            False,
            "deleted ones close to it: 'Cart (email)'",
            id="never-existed",
        ),
        pytest.param("audience_count: 1", True, "", id="count-live-only"),
        pytest.param("audience_count: 2", False, "1 live audiences", id="count-wrong"),
    ],
)
def test_absent_deleted_and_counts(expect, holds, words):
    control = CraftedControl(
        [audience("11", "Cart (email)", deleted=True), audience("12", "Cart (phone)")]
    )
    problems = check(expect, control)
    assert (problems == []) is holds
    assert words in " ".join(p.message for p in problems)


FAULTED = {
    "audience_id": 7301,
    "state": "faulted",
    "fault": {"code": 190, "subcode": 463, "message": "Session has expired"},
}


@pytest.mark.parametrize(
    "expect, holds",
    [
        pytest.param("connection: faulted", True, id="state"),
        pytest.param("connection: active", False, id="wrong-state"),
        pytest.param(
            "connection: {state: faulted, code: 190, subcode: 463}", True, id="code"
        ),
        pytest.param("connection: {state: faulted, code: 200}", False, id="wrong-code"),
        pytest.param(
            "connection: {state: faulted, message: expired}", True, id="message"
        ),
        pytest.param(
            "connection: {audience: 7302, state: active}", False, id="unknown"
        ),
    ],
)
def test_connection_expectations(expect, holds):
    problems = check(expect, CraftedControl(), connections=[FAULTED])
    assert (problems == []) is holds, problems


FINDINGS = [
    {"code": "payload_in_query", "severity": "error", "message": "payload in URL"},
    {"code": "duplicate_row", "severity": "warning", "message": "row 1 repeats row 0"},
]


def test_unlisted_findings_fail_or_warn_at_the_end():
    problems = check("{}", CraftedControl(findings=FINDINGS))

    assert [(p.severity, p.message.split(":")[0]) for p in problems] == [
        (FAILURE, "finding payload_in_query (error)"),
        (WARNING, "finding duplicate_row (warning)"),
    ]


def test_findings_are_not_checked_at_checkpoints_unless_asked():
    assert check("{}", CraftedControl(findings=FINDINGS), final=False) == []


def test_listed_findings_are_expected():
    problems = check(
        "findings: [payload_in_query, {code: duplicate_row, count: 2}]",
        CraftedControl(findings=FINDINGS),
    )
    [problem] = problems
    assert problem.message == "expected finding duplicate_row x2, found 1"


JOURNAL = [
    {
        "seq": 1,
        "method": "POST",
        "path": "/v19.0/act_1001/customaudiences",
        "status": 200,
        "rows": None,
        "payload_in_query": False,
    },
    {
        "seq": 2,
        "method": "POST",
        "path": "/v19.0/11/users",
        "audience_id": "11",
        "status": 400,
        "rows": 10001,
        "payload_in_query": False,
    },
    {
        "seq": 3,
        "method": "DELETE",
        "path": "/v19.0/11/users?payload=x",
        "audience_id": "11",
        "status": 200,
        "rows": 2,
        "payload_in_query": True,
    },
]


@pytest.mark.parametrize(
    "expect, words",
    [
        pytest.param("{method: POST, path: '/*/users', count: 1}", None, id="count"),
        pytest.param(
            "{path: '/*/users', count: {min: 3}}", "expected at least 3", id="min"
        ),
        pytest.param(
            "{count: {max: 2}}", "3 * * requests, expected at most 2", id="max"
        ),
        pytest.param(
            "{max_rows: 10000}",
            "request #2 (POST /v19.0/11/users) carried 10001",
            id="max-rows",
        ),
        pytest.param("{payload_in_query: false}", "request #3", id="payload-in-query"),
        pytest.param("{status: 400, count: 1}", None, id="status"),
        pytest.param("{audience: 'Cart (email)', count: 2}", None, id="audience"),
        pytest.param(
            "{audience: 'Cart (phone)', count: {min: 1}}",
            "0 * * requests about 'Cart (phone)', expected at least 1",
            id="other-audience",
        ),
        pytest.param(
            "{audience: 'Cart (emial)', count: 2}",
            "no audience named 'Cart (emial)' to count requests of; "
            "did you mean 'Cart (email)'?",
            id="unknown-audience",
        ),
    ],
)
def test_request_expectations(expect, words):
    audiences = [audience(11, "Cart (email)"), audience(12, "Cart (phone)")]
    problems = check(
        f"requests: {expect}",
        CraftedControl(audiences=audiences, journal=JOURNAL),
        final=False,
    )
    if words is None:
        assert problems == []
    else:
        assert words in problems[0].message
