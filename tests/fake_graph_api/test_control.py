import httpx
import pytest

from fake_graph_api import create_app

ACCOUNT = "act_1001"


def test_setup_upserts_and_state_redacts_tokens(graph):
    answer = graph.control(
        "POST", "setup",
        {"ad_accounts": [{"id": "act_2002", "tos_accepted": False}],
         "app_ids": ["111"], "tokens": [{"token": "secret-tok", "access": "read"}]},
    )  # fmt: skip

    state = graph.control("GET", "state")
    assert answer == {"ad_accounts": ["act_2002"], "tokens": 1, "app_ids": ["111"]}
    assert [a["id"] for a in state["ad_accounts"]] == [ACCOUNT, "act_2002"]
    assert "secret-tok" not in str(state) and "fbca-dev-token" not in str(state)
    assert state["app_ids"] == ["111"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        pytest.param("setup", {"ad_accounts": [{"id": "1001"}]}, "ad_accounts[0].id",
                     id="account-without-act"),
        pytest.param("setup", {"colour": 1}, None, id="unknown-top-level-key"),
        pytest.param(f"ad_accounts/{ACCOUNT}", {"calls_per_hour": "many"},
                     "ad_accounts[0].calls_per_hour", id="budget-not-a-number"),
        pytest.param("clock/advance", {"seconds": -5}, "seconds", id="clock-backwards"),
        pytest.param("clock/advance", {"seconds": 1e308}, "seconds",
                     id="clock-beyond-a-century"),
        pytest.param("audiences", {"ad_account": "act_9"}, "ad_account",
                     id="audience-in-unknown-account"),
    ],
)  # fmt: skip
def test_bad_control_bodies_name_the_field(graph, path, body, field):
    answer = graph.http.post(f"/_fake/{path}", json=body)

    assert answer.status_code == 400
    assert answer.json()["error"].get("field") == field
    assert answer.json()["error"]["message"]


def test_audience_made_in_ads_manager_is_visible_to_graph(graph):
    made = graph.control(
        "POST", "audiences",
        {"ad_account": ACCOUNT, "name": "old list", "subtype": "OFFLINE_EVENTS",
         "data_source": {"type": "FILE_IMPORTED", "sub_type": "MULTI_HASHES"}},
    )  # fmt: skip

    read = graph.http.get(
        f"/v19.0/{made['id']}", params={**graph.auth, "fields": "name,subtype"}
    )

    assert made["data_source"] == {"type": "FILE_IMPORTED", "sub_type": "MULTI_HASHES"}
    assert read.json() == {"name": "old list", "subtype": "OFFLINE_EVENTS"}


def test_members_dump_is_sorted_and_keyed(graph):
    audience_id = graph.create()
    rows = [[graph.sha("b"), "2"], [graph.sha("a"), "1"]]
    graph.users(audience_id, ["EMAIL", "EXTERN_ID"], rows)

    dump = graph.control("GET", f"audiences/{audience_id}/members")

    assert dump["keys"] == ["EXTERN_ID", "EMAIL"]
    assert dump["members"] == sorted(
        [{"EMAIL": r[0], "EXTERN_ID": r[1]} for r in rows],
        key=lambda m: (m["EMAIL"], m["EXTERN_ID"]),
    )


def test_reset_returns_to_startup_and_keeps_the_clock(graph):
    graph.create()
    graph.control("POST", "clock/advance", {"seconds": 10})
    graph.control("POST", "faults", {"error": "temporary"})
    now = graph.control("GET", "clock")["now"]

    answer = graph.control("POST", "reset", {})

    state = graph.control("GET", "state")
    assert answer == {"reset": "all"}
    assert state["ad_accounts"][0]["audiences"] == [] and state["now"] == now
    assert graph.control("GET", "journal")["entries"] == []
    assert graph.control("GET", "faults")["faults"] == []


def test_reset_of_one_account_keeps_the_others(graph):
    graph.control("POST", "setup", {"ad_accounts": [{"id": "act_2002"}]})
    kept = graph.control("POST", "audiences", {"ad_account": "act_2002", "name": "k"})
    graph.create()

    graph.control("POST", "reset", {"ad_account": ACCOUNT})

    assert graph.control("GET", f"audiences/{kept['id']}")["deleted"] is False
    state = graph.control("GET", "state")
    own = [a for a in state["ad_accounts"] if a["id"] == ACCOUNT][0]
    assert own["audiences"] == []


def test_same_seed_gives_the_same_ids():
    def first_id() -> str:
        app = create_app(seed=42)
        client = httpx.Client(
            transport=httpx.WSGITransport(app=app), base_url="http://g"
        )
        answer = client.post(
            f"/v19.0/{ACCOUNT}/customaudiences",
            params={"access_token": "fbca-dev-token"},
            data={"name": "n", "customer_file_source": "USER_PROVIDED_ONLY"},
        )
        return answer.json()["id"]

    assert first_id() == first_id()


def test_control_api_refuses_remote_clients():
    app = create_app()
    transport = httpx.WSGITransport(app=app, remote_addr="203.0.113.9")
    client = httpx.Client(transport=transport, base_url="http://g")

    assert client.get("/_fake/state").status_code == 403


def test_journal_has_no_token_and_is_limited(graph):
    for _ in range(3):
        graph.http.get(f"/v19.0/{ACCOUNT}/customaudiences", params=graph.auth)

    entries = graph.control("GET", "journal?limit=2")["entries"]

    assert [e["seq"] for e in entries] == [2, 3]
    assert "fbca-dev-token" not in str(entries)
    assert set(entries[0]) == {
        "seq", "time", "method", "path", "ad_account", "audience_id", "status",
        "graph_code", "graph_subcode", "rows", "payload_in_query", "url_length",
        "duration_ms", "findings", "fault",
    }  # fmt: skip


def test_clock_refuses_not_a_number_and_keeps_working(graph):
    before = graph.control("GET", "clock")["now"]

    refused = graph.http.post(
        "/_fake/clock/advance",
        content=b'{"seconds": NaN}',
        headers={"Content-Type": "application/json"},
    )
    listing = graph.http.get("/v19.0/act_1001/customaudiences", params=graph.auth)

    assert refused.status_code == 400
    assert graph.control("GET", "clock")["now"] == before
    assert listing.status_code == 200
