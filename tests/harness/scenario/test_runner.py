import hashlib
from pathlib import Path

import pytest

from fake_graph_api.clock import VirtualClock
from harness.adapters import open_engine
from harness.scenario.fake_site import FakeSite, fake_config
from harness.scenario.loader import load_scenario
from harness.scenario.replay import Replay
from harness.scenario.runner import (
    ERROR,
    FAILED,
    INVALID,
    PASSED,
    RunOptions,
    run_file,
    run_many,
    worker_count,
)

HERE = Path(__file__).parent

SCENARIO = """\
scenario: emails reach the email audience
tags: [email]
connection:
  customer_file_source: USER_PROVIDED_ONLY
profiles:
  ana: {email: " ana@example.org "}
  bob: {email: bob@example.org}
steps:
  - subscribe: {audience: 7301, name: Cart Abandoners}
  - add: {audience: 7301, users: [ana, bob]}
  - advance: 3h
  - expect:
      audiences:
        "Cart Abandoners (email)":
          includes: [{EMAIL: bob@example.org}]
  - remove: {audience: 7301, users: [bob]}
  - flush
expect:
  audiences:
    "Cart Abandoners (email)":
      members: [{EMAIL: ana@example.org}]
  absent: ["Cart Abandoners (phone)"]
  connection: active
  requests: {method: POST, path: "/*/users", count: 2, payload_in_query: false}
"""


@pytest.fixture(autouse=True)
def tiny_engine_importable(monkeypatch):
    monkeypatch.syspath_prepend(str(HERE))


def run(write_scenario, text=SCENARIO, engine="python:tiny_engine:create"):
    return run_file(write_scenario(text), RunOptions(engine=engine))


def test_a_correct_engine_passes(write_scenario):
    result = run(write_scenario)

    assert result.status == PASSED, result.problems
    assert result.problems == []
    assert result.tags == ("email",)


def test_a_mistake_fails_with_its_diagnosis(write_scenario):
    result = run(write_scenario, engine="python:tiny_engine:create_untrimmed")

    assert result.status == FAILED
    text = "\n".join(problem.message for problem in result.failures)
    assert "missing member {EMAIL: ana@example.org}" in text
    assert (
        "EMAIL for ana looks like sha256(' ana@example.org '): it was not trimmed"
        in text
    )
    assert result.failures[0].line == 20


def test_checkpoint_failures_point_at_the_checkpoint(write_scenario):
    text = SCENARIO.replace("includes: [{EMAIL: bob@example.org}]", "count: 5")

    result = run(write_scenario, text)

    assert result.status == FAILED
    [problem] = result.failures
    assert problem.line == 14
    assert "holds 2 members, expected 5" in problem.message


def test_near_misses_for_an_absent_audience(write_scenario):
    text = SCENARIO.replace(
        '"Cart Abandoners (email)":\n      members',
        '"Cart abandoners (email)":\n      members',
    )

    result = run(write_scenario, text)

    [problem] = result.failures
    assert "no audience named 'Cart abandoners (email)'" in problem.message
    assert "near misses: 'Cart Abandoners (email)'" in problem.message


def test_absent_and_connection_and_request_checks_fail(write_scenario):
    text = (
        SCENARIO.replace(
            'absent: ["Cart Abandoners (phone)"]', 'absent: ["Cart Abandoners (email)"]'
        )
        .replace("connection: active", "connection: {state: faulted, code: 190}")
        .replace("count: 2,", "count: {min: 3},")
    )

    result = run(write_scenario, text)

    messages = [problem.message for problem in result.failures]
    assert any("expected absent" in m for m in messages)
    assert any(
        "connection of audience 7301 is active; expected faulted" in m for m in messages
    )
    assert any("2 POST /*/users requests, expected at least 3" in m for m in messages)


def test_warnings_fail_only_under_strict(write_scenario):
    text = SCENARIO.replace(", payload_in_query: false", "")
    path = write_scenario(text)
    spec = "python:tiny_engine:create_payload_in_query"

    relaxed = run_file(path, RunOptions(engine=spec))
    strict = run_file(path, RunOptions(engine=spec, strict=True))

    assert relaxed.status == PASSED
    assert [w.message.split(":")[0] for w in relaxed.warnings] == [
        "finding payload_in_query (warning) x3"
    ]
    assert strict.status == FAILED


def test_an_engine_that_raises_is_an_error(write_scenario):
    result = run(write_scenario, engine="python:tiny_engine:create_raising")

    assert result.status == ERROR
    assert "raised RuntimeError on audience_subscription_request" in result.error
    assert "tiny_engine.py:" in result.error


def test_an_answer_that_is_not_an_object_is_an_error(write_scenario):
    result = run(write_scenario, engine="python:tiny_engine:create_list_answering")

    assert result.status == ERROR
    assert "with a list, not an object" in result.error


def test_a_garbled_status_answer_is_an_error_not_a_crash(write_scenario):
    result = run(write_scenario, engine="python:tiny_engine:create_garbled_status")

    assert result.status == ERROR
    assert result.error.startswith("the replay broke: AttributeError")


def test_an_unloadable_file_is_invalid(write_scenario):
    result = run_file(write_scenario("scenario: x\nsteps: nope\n"))

    assert result.status == INVALID
    assert ":2: steps:" in result.error


def test_advance_moves_the_clock_when_the_engine_does_not(write_scenario):
    scenario = load_scenario(write_scenario(SCENARIO))
    clock = VirtualClock()
    site = FakeSite.in_process(fake_config(None), clock)
    engine = open_engine(
        "python:tiny_engine:create",
        graph_url=site.graph_url,
        clock=clock,
        http=site.http,
    )
    start = clock.now()

    problems = Replay(scenario, engine, site).run()

    assert problems == []
    assert engine.engine.advanced == 10800
    assert clock.now() - start == 10800


def test_a_factory_can_be_the_engine_even_a_lambda(write_scenario):
    import tiny_engine

    scenarios = [
        load_scenario(write_scenario(SCENARIO, f"s{n}.yaml")) for n in range(4)
    ]
    options = RunOptions(
        engine=lambda **kw: tiny_engine.create(**kw, mistake="not_trimmed")
    )

    results = list(run_many(scenarios, options))

    assert {r.status for r in results} == {FAILED}
    assert "it was not trimmed" in results[0].failures[0].message


def test_run_many_keeps_the_order_in_parallel(write_scenario):
    scenarios = [
        load_scenario(
            write_scenario(SCENARIO.replace("reach", f"reach #{n}"), f"s{n}.yaml")
        )
        for n in range(4)
    ]

    results = list(
        run_many(scenarios, RunOptions(engine="python:tiny_engine:create", jobs=2))
    )

    assert [r.title for r in results] == [s.title for s in scenarios]
    assert {r.status for r in results} == {PASSED}


@pytest.mark.parametrize(
    "options, count, jobs",
    [
        pytest.param(RunOptions(), 2, 1, id="few-scenarios-serial"),
        pytest.param(RunOptions(jobs=3), 2, 3, id="jobs-option"),
        pytest.param(RunOptions(server="http://127.0.0.1:1"), 50, 1, id="live-fake"),
        pytest.param(RunOptions(engine="http:http://127.0.0.1:1/"), 50, 1, id="http"),
        pytest.param(RunOptions(engine=lambda **kw: None), 50, 1, id="unpicklable"),
    ],
)
def test_when_scenarios_run_one_at_a_time(options, count, jobs):
    assert worker_count(count, options) == jobs


EXTERN_ID_SCENARIO = """\
scenario: the external id is expected as written
connection:
  customer_file_source: USER_PROVIDED_ONLY
  enable_multi_key_audience: true
  multi_key_external_id_type: customer
profiles:
  ana: {{customer: " Ext-0001 ", email: ana@example.org}}
steps:
  - subscribe: {{audience: 7607, name: Members}}
  - add: {{audience: 7607, users: [ana]}}
  - flush
expect:
  audiences:
    "Members (multi-key)":
      members: [{{EXTERN_ID: {written}, EMAIL: ana@example.org}}]
"""


def test_a_plain_external_id_is_diagnosed_as_hashed_by_the_engine(write_scenario):
    digest = hashlib.sha256(b"ext-0001").hexdigest()
    text = EXTERN_ID_SCENARIO.format(written="ext-0001")

    result = run(write_scenario, text, engine=None)

    assert result.status == FAILED
    message = "\n".join(problem.message for problem in result.failures)
    assert "EXTERN_ID for ana looks like sha256('ext-0001')" in message
    assert "the engine hashed the external id" in message
    assert f'expect EXTERN_ID: "sha256:{digest}"' in message
    assert "sent unhashed" not in message

    fixed = EXTERN_ID_SCENARIO.format(written=f'"sha256:{digest}"')
    assert run(write_scenario, fixed, engine=None).status == PASSED


NO_EXPECT = """\
scenario: no expect block
connection: {customer_file_source: USER_PROVIDED_ONLY}
profiles:
  ana: {email: ana@example.org}
steps:
  - subscribe: {audience: 7301, name: Cart}
  - add: {audience: 7301, users: [ana]}
"""


@pytest.mark.parametrize(
    "steps, status",
    [
        pytest.param("  - flush\n", PASSED, id="connection-active"),
        pytest.param(
            "  - facebook: {expire_token: true}\n  - flush\n", FAILED, id="faulted"
        ),
    ],
)
def test_without_expect_every_connection_must_be_active(write_scenario, steps, status):
    result = run(write_scenario, NO_EXPECT + steps, engine=None)

    assert result.status == status, result.problems
    if status == FAILED:
        [problem] = result.failures
        assert "connection of audience 7301 is faulted" in problem.message
        assert problem.line == 5


def test_requests_can_be_counted_for_one_downstream_audience(write_scenario):
    text = NO_EXPECT + (
        "  - flush\n"
        "expect:\n"
        "  requests:\n"
        "    - {path: '/*/users', count: 2}\n"
        "    - {path: '/*/users', audience: 'Cart (email)', count: 1}\n"
        "    - {path: '/*/users', audience: 'Cart (multi-key)', count: 1}\n"
    )
    text = text.replace(
        "customer_file_source: USER_PROVIDED_ONLY",
        "customer_file_source: USER_PROVIDED_ONLY, enable_multi_key_audience: true",
    )
    result = run(write_scenario, text, engine=None)

    assert result.status == PASSED, result.problems
