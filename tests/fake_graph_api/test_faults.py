import json

import pytest

ACCOUNT = "act_1001"


def test_named_error_fires_n_times_on_matching_paths(graph, error_of):
    audience_id = graph.create()
    rule = graph.control(
        "POST", "faults", {"method": "POST", "path": "/*/users", "error": "throttled",
                           "times": 2},
    )  # fmt: skip

    answers = [
        graph.users(audience_id, ["EMAIL"], [[graph.sha("a")]]) for _ in range(3)
    ]
    listing = graph.http.get(f"/v19.0/{ACCOUNT}/customaudiences", params=graph.auth)

    assert rule["id"] == "fault-1"
    assert [a.status_code for a in answers] == [400, 400, 200]
    assert error_of(answers[0]) == (80003, None)
    assert listing.status_code == 200
    faulted = [e["fault"] for e in graph.control("GET", "journal")["entries"]]
    assert faulted.count("fault-1") == 2


def test_raw_status_body_and_html_page(graph):
    graph.control("POST", "faults", {"path": "/act_*/customaudiences", "status": 502,
                                     "body": {"oops": True}, "times": 1})  # fmt: skip
    graph.control("POST", "faults", {"path": "/act_*/customaudiences", "html": True,
                                     "times": 1})  # fmt: skip
    path = f"/v19.0/{ACCOUNT}/customaudiences"

    raw = graph.http.get(path, params=graph.auth)
    html = graph.http.get(path, params=graph.auth)

    assert (raw.status_code, raw.json()) == (502, {"oops": True})
    assert html.status_code == 500 and "<html>" in html.text


def test_ad_account_filter_and_clearing(graph):
    rule = graph.control(
        "POST", "faults", {"ad_account": "act_9", "error": "temporary"}
    )
    path = f"/v19.0/{ACCOUNT}/customaudiences"

    unaffected = graph.http.get(path, params=graph.auth)
    cleared = graph.http.delete(f"/_fake/faults/{rule['id']}").json()

    assert unaffected.status_code == 200
    assert cleared == {"cleared": 1}
    assert graph.control("GET", "faults") == {"faults": []}


def test_seeded_probability_is_repeatable(fake_graph):
    def pattern() -> list[int]:
        fake_graph.client.post("/_fake/reset", json={})
        fake_graph.client.post(
            "/_fake/faults", json={"error": "unknown_error", "probability": 0.5}
        )
        path = f"/v19.0/{ACCOUNT}/customaudiences"
        return [
            fake_graph.client.get(
                path, params={"access_token": "fbca-dev-token"}
            ).status_code
            for _ in range(12)
        ]

    first = pattern()
    assert pattern() == first and set(first) == {200, 500}


@pytest.mark.parametrize(
    "rule",
    [
        pytest.param({"error": "no_such_error"}, id="unknown-error-name"),
        pytest.param({"error": "temporary", "html": True}, id="two-answers"),
        pytest.param({}, id="no-answer"),
        pytest.param({"error": "temporary", "times": 0}, id="zero-times"),
        pytest.param(
            {"error": "temporary", "probability": 2}, id="probability-above-1"
        ),
        pytest.param({"error": "temporary", "colour": "red"}, id="unknown-field"),
        pytest.param({"status": 503}, id="status-without-body"),
    ],
)
def test_bad_rules_are_refused(graph, rule):
    answer = graph.http.post("/_fake/faults", json=rule)

    assert answer.status_code == 400 and answer.json()["error"]["message"]


def test_named_errors_mention_the_request_they_answer(graph, error_of):
    audience_id = graph.create()
    graph.control("POST", "faults", {"error": "object_not_found", "times": 1})

    answer = graph.http.get(f"/v19.0/{audience_id}", params=graph.auth)

    assert error_of(answer) == (100, 33)
    message = answer.json()["error"]["message"]
    assert f"Unsupported get request. Object with ID '{audience_id}'" in message


def test_named_error_can_advertise_a_wait(graph, error_of):
    audience_id = graph.create()
    graph.control(
        "POST", "faults", {"path": "/*/users", "error": "throttled_80004",
                           "regain_minutes": 2, "times": 1},
    )  # fmt: skip

    refused = graph.users(audience_id, ["EMAIL"], [[graph.sha("a")]])
    accepted = graph.users(audience_id, ["EMAIL"], [[graph.sha("a")]])

    assert error_of(refused)[0] == 80004
    usage = json.loads(refused.headers["x-business-use-case-usage"])["1001"][0]
    assert usage["estimated_time_to_regain_access"] == 2
    assert "x-business-use-case-usage" not in accepted.headers


@pytest.mark.parametrize(
    "rule",
    [
        pytest.param({"status": 500, "body": {}, "regain_minutes": 2}, id="no-error"),
        pytest.param({"error": "throttled", "regain_minutes": -1}, id="negative"),
    ],
)
def test_bad_waits_are_refused(graph, rule):
    answer = graph.http.post("/_fake/faults", json=rule)

    assert answer.status_code == 400
    assert "regain_minutes" in answer.json()["error"]["message"]
