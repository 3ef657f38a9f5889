import json

import pytest


def replace(graph, audience_id, rows, session_id, batch_seq, last=False):
    session = {
        "session_id": session_id,
        "batch_seq": batch_seq,
        "last_batch_flag": last,
    }
    return graph.users(
        audience_id, ["EMAIL"], [[r] for r in rows],
        edge="usersreplace", session=json.dumps(session),
    )  # fmt: skip


@pytest.fixture
def audience(graph):
    audience_id = graph.create()
    graph.users(audience_id, ["EMAIL"], [[graph.sha("old")]])
    return audience_id


def test_replace_swaps_members_on_the_last_batch(graph, audience):
    first = replace(graph, audience, [graph.sha("n1")], 11, 1)
    during = graph.members(audience)
    status = graph.control("GET", f"audiences/{audience}")["operation_status"]
    replace(graph, audience, [graph.sha("n2")], 11, 2, last=True)

    assert first.json()["session_id"] == "11"
    assert during == [{"EMAIL": graph.sha("old")}] and status["code"] == 414
    assert graph.members(audience) == sorted(
        [{"EMAIL": graph.sha("n1")}, {"EMAIL": graph.sha("n2")}], key=json.dumps
    )


def test_num_received_counts_the_whole_session(graph, audience):
    replace(graph, audience, [graph.sha("a"), graph.sha("b")], 5, 1)

    answer = replace(graph, audience, [graph.sha("c")], 5, 2)

    assert answer.json()["num_received"] == 3


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        pytest.param([(7, 2)], 1870147, id="first-batch-not-1"),
        pytest.param([(7, 1, True), (7, 2)], 1870159, id="batch-after-last"),
        pytest.param([(7, 1), (8, 1)], 1870145, id="second-replace-meanwhile"),
    ],
)
def test_replace_session_rules(graph, error_of, audience, steps, expected):
    *setup, (session_id, batch_seq, *last) = steps
    for step in setup:
        assert replace(graph, audience, [graph.sha("x")], *step).status_code == 200

    answer = replace(graph, audience, [graph.sha("y")], session_id, batch_seq, *last)

    assert error_of(answer) == (2650, expected)


def test_replace_times_out_after_90_minutes_keeping_what_arrived(
    graph, error_of, audience
):
    replace(graph, audience, [graph.sha("kept")], 9, 1)
    graph.control("POST", "clock/advance", {"seconds": 90 * 60})

    late = replace(graph, audience, [graph.sha("late")], 9, 2)

    assert error_of(late) == (2650, 1870158)
    assert graph.members(audience) == [{"EMAIL": graph.sha("kept")}]


def test_users_calls_wait_for_a_running_replace(graph, error_of, audience):
    replace(graph, audience, [graph.sha("a")], 3, 1)

    answer = graph.users(audience, ["EMAIL"], [[graph.sha("b")]])

    assert error_of(answer) == (2650, 1870145)


def test_replace_needs_a_session(graph, error_of, audience):
    answer = graph.users(audience, ["EMAIL"], [[graph.sha("a")]], edge="usersreplace")

    assert error_of(answer) == (100, None)
