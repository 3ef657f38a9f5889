import json

ACCOUNT = "act_1001"
LIST = f"/v19.0/{ACCOUNT}/customaudiences"


def test_budget_exhaustion_answers_80003_until_the_window_moves(graph, error_of):
    graph.control("POST", f"ad_accounts/{ACCOUNT}", {"calls_per_hour": 3})
    for _ in range(3):
        assert graph.http.get(LIST, params=graph.auth).status_code == 200
        graph.control("POST", "clock/advance", {"seconds": 600})

    refused = graph.http.get(LIST, params=graph.auth)
    graph.control("POST", "clock/advance", {"seconds": 1800})
    again = graph.http.get(LIST, params=graph.auth)

    assert error_of(refused) == (80003, None)
    assert refused.json()["error"]["is_transient"] is True
    usage = json.loads(refused.headers["x-business-use-case-usage"])["1001"][0]
    assert usage["estimated_time_to_regain_access"] == 30
    assert usage["call_count"] == 100
    assert again.status_code == 200


def test_usage_headers_grow_with_calls(graph):
    graph.control("POST", f"ad_accounts/{ACCOUNT}", {"calls_per_hour": 10})

    answers = [graph.http.get(LIST, params=graph.auth) for _ in range(2)]

    counts = [
        json.loads(a.headers["x-business-use-case-usage"])["1001"][0]["call_count"]
        for a in answers
    ]
    assert counts == [10, 20]


def test_accounts_are_throttled_separately(graph, error_of):
    graph.control(
        "POST", "setup",
        {"ad_accounts": [{"id": "act_2002", "calls_per_hour": 1}],
         "tokens": [{"token": "t2", "ad_accounts": ["act_2002"]}]},
    )  # fmt: skip
    other = "/v19.0/act_2002/customaudiences"
    graph.http.get(other, params={"access_token": "t2"})

    assert error_of(graph.http.get(other, params={"access_token": "t2"}))[0] == 80003
    assert graph.http.get(LIST, params=graph.auth).status_code == 200


def test_throttled_uploads_say_when_to_come_back(graph, error_of):
    audience_id = graph.create()
    graph.control("POST", f"ad_accounts/{ACCOUNT}", {"calls_per_hour": 2})
    graph.users(audience_id, ["EMAIL"], [[graph.sha("a")]])

    refused = graph.users(audience_id, ["EMAIL"], [[graph.sha("b")]])

    assert error_of(refused) == (80003, None)
    usage = json.loads(refused.headers["x-business-use-case-usage"])["1001"][0]
    assert usage["estimated_time_to_regain_access"] == 60
