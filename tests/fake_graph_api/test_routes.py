import json

import pytest

ACCOUNT = "act_1001"


def test_create_answers_only_the_id_with_recorded_headers(graph):
    answer = graph.http.post(
        f"/v19.0/{ACCOUNT}/customaudiences",
        params=graph.auth,
        data={
            "name": "a",
            "subtype": "CUSTOM",
            "customer_file_source": "USER_PROVIDED_ONLY",
        },
    )

    assert answer.status_code == 200
    assert list(answer.json()) == ["id"]
    assert answer.json()["id"].isdigit() and len(answer.json()["id"]) == 17
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["facebook-api-version"] == "v19.0"
    usage = json.loads(answer.headers["x-business-use-case-usage"])
    assert usage["1001"][0]["type"] == "custom_audience"


def test_create_without_customer_file_source_is_refused(graph, error_of):
    answer = graph.http.post(
        f"/v19.0/{ACCOUNT}/customaudiences",
        params=graph.auth,
        data={"name": "a", "subtype": "CUSTOM"},
    )

    assert error_of(answer) == (100, None)
    assert "customer_file_source" in answer.json()["error"]["message"]
    assert graph.control("GET", "state")["ad_accounts"][0]["audiences"] == []


def test_read_gives_only_requested_fields_in_order(graph):
    audience_id = graph.create("shoppers")

    answer = graph.http.get(
        f"/v19.0/{audience_id}",
        params={**graph.auth, "fields": "name,id,subtype,approximate_count"},
    )

    assert answer.json() == {
        "name": "shoppers", "id": audience_id, "subtype": "CUSTOM",
        "approximate_count": -1,
    }  # fmt: skip
    assert list(answer.json()) == ["name", "id", "subtype", "approximate_count"]


def test_read_without_fields_gives_only_the_id(graph):
    audience_id = graph.create()

    assert graph.http.get(f"/v19.0/{audience_id}", params=graph.auth).json() == {
        "id": audience_id
    }


def test_unknown_field_is_code_100(graph, error_of):
    audience_id = graph.create()

    answer = graph.http.get(
        f"/v19.0/{audience_id}", params={**graph.auth, "fields": "id,colour"}
    )

    assert error_of(answer) == (100, None)
    assert "nonexisting field (colour)" in answer.json()["error"]["message"]


def test_size_reads_minus_one_until_processed_on_the_clock(graph):
    audience_id = graph.create()
    graph.users(audience_id, "EMAIL_SHA256", [graph.sha("a@b.c")])
    read = {**graph.auth, "fields": "approximate_count_lower_bound"}

    before = graph.http.get(f"/v19.0/{audience_id}", params=read).json()
    graph.control("POST", "clock/advance", {"seconds": 3600})
    after = graph.http.get(f"/v19.0/{audience_id}", params=read).json()

    assert before["approximate_count_lower_bound"] == -1
    assert after["approximate_count_lower_bound"] == 1


def test_empty_list_is_exactly_data_empty(graph):
    answer = graph.http.get(f"/v19.0/{ACCOUNT}/customaudiences", params=graph.auth)

    assert answer.json() == {"data": []}


def test_list_pages_newest_first_with_next_only_before_the_last_page(graph):
    made = [graph.create(f"a{n}") for n in range(5)]
    query = {**graph.auth, "fields": "id,name", "limit": 2, "summary": "true"}
    seen, pages = [], []
    while True:
        page = graph.http.get(f"/v19.0/{ACCOUNT}/customaudiences", params=query).json()
        pages.append(page)
        seen += [item["id"] for item in page["data"]]
        if "next" not in page["paging"]:
            break
        query["after"] = page["paging"]["cursors"]["after"]

    assert seen == list(reversed(made))
    assert [len(p["data"]) for p in pages] == [2, 2, 1]
    assert "after=" in pages[0]["paging"]["next"]


def test_update_and_delete_answer_success(graph, error_of):
    audience_id = graph.create()

    updated = graph.http.post(
        f"/v19.0/{audience_id}", params=graph.auth, data={"description": "new"}
    )
    deleted = graph.http.delete(f"/v19.0/{audience_id}", params=graph.auth)
    again = graph.http.get(f"/v19.0/{audience_id}", params=graph.auth)

    assert updated.json() == {"success": True}
    assert deleted.json() == {"success": True}
    assert error_of(again) == (100, 33)
    assert graph.control("GET", f"audiences/{audience_id}")["deleted"] is True


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/v2/act_1001/customaudiences", id="version-without-minor"),
        pytest.param("/19.0/act_1001/customaudiences", id="version-without-v"),
        pytest.param("/act_1001/customaudiences", id="no-version"),
    ],
)
def test_malformed_version_is_2500(graph, error_of, path):
    assert error_of(graph.http.get(path, params=graph.auth)) == (2500, None)


def test_unknown_edge_is_2500(graph, error_of):
    audience_id = graph.create()

    answer = graph.http.get(f"/v19.0/{audience_id}/followers", params=graph.auth)

    assert error_of(answer) == (2500, None)


def test_long_url_is_414_with_a_graph_envelope(graph):
    payload = json.dumps({"schema": "EMAIL_SHA256", "data": ["a" * 64] * 400})
    audience_id = graph.create()

    answer = graph.http.delete(
        f"/v19.0/{audience_id}/users", params={**graph.auth, "payload": payload}
    )

    assert answer.status_code == 414
    assert "error" in answer.json()


def test_users_answer_has_the_recorded_shape(graph):
    audience_id = graph.create()

    answer = graph.users(
        audience_id, ["EMAIL", "FN"], [[graph.sha("a"), graph.sha("b")]]
    )

    body = answer.json()
    assert list(body) == [
        "audience_id", "session_id", "num_received", "num_invalid_entries",
        "invalid_entry_samples",
    ]  # fmt: skip
    assert body["audience_id"] == audience_id and isinstance(body["session_id"], str)
    assert (body["num_received"], body["num_invalid_entries"]) == (1, 0)
    assert "x-ad-account-usage" in answer.headers and "x-app-usage" in answer.headers


def test_empty_external_id_is_reported_as_recorded(graph):
    audience_id = graph.create()
    good = [graph.sha("a"), "67"]
    bad = [graph.sha("b"), ""]

    body = graph.users(audience_id, ["EMAIL", "EXTERN_ID"], [good, bad]).json()

    assert body["num_received"] == 2 and body["num_invalid_entries"] == 1
    key = json.dumps(bad, separators=(",", ":"))
    assert body["invalid_entry_samples"] == {key: "empty external ID"}
    assert graph.members(audience_id) == [{"EMAIL": good[0], "EXTERN_ID": "67"}]


@pytest.mark.parametrize(
    "send",
    [
        pytest.param("json", id="json-body"),
        pytest.param("multipart", id="multipart-form"),
        pytest.param("method-override", id="post-with-method-delete"),
        pytest.param("bearer", id="bearer-token"),
    ],
)
def test_request_encodings_reach_the_same_state(graph, send):
    audience_id = graph.create()
    email = graph.sha("x@y.z")
    graph.users(audience_id, ["EMAIL"], [[email]])
    payload = {"schema": ["EMAIL"], "data": [[email]]}
    path = f"/v19.0/{audience_id}/users"

    if send == "json":
        answer = graph.http.request(
            "DELETE", path, params=graph.auth, json={"payload": payload}
        )
    elif send == "multipart":
        fields = {"payload": (None, json.dumps(payload)), "method": (None, "DELETE")}
        answer = graph.http.post(path, params=graph.auth, files=fields)
    elif send == "method-override":
        fields = {"payload": json.dumps(payload), "method": "DELETE"}
        answer = graph.http.post(path, params=graph.auth, data=fields)
    else:
        answer = graph.http.post(
            path,
            headers={"Authorization": f"Bearer {graph.auth['access_token']}"},
            json={"payload": payload, "method": "DELETE"},
        )

    assert answer.status_code == 200, answer.text
    assert graph.members(audience_id) == []


def test_unsupported_method_answers_a_graph_error(graph, error_of):
    answer = graph.http.request("PROPFIND", f"/v19.0/{ACCOUNT}/customaudiences")

    assert error_of(answer)[0] in (100, 104)


def test_create_with_fields_reads_after_write(graph, error_of):
    create = f"/v19.0/{ACCOUNT}/customaudiences"
    fields = {"name": "rw", "customer_file_source": "USER_PROVIDED_ONLY"}

    answer = graph.http.post(
        create, params=graph.auth, data={**fields, "fields": "name,subtype"}
    )
    refused = graph.http.post(
        create, params=graph.auth, data={**fields, "fields": "name,colour"}
    )

    assert list(answer.json()) == ["id", "name", "subtype"]
    assert error_of(refused) == (100, None)
    listed = graph.http.get(create, params=graph.auth).json()["data"]
    assert [item["id"] for item in listed] == [answer.json()["id"]]


def test_fetch_or_create_returns_the_audience_of_that_name(graph):
    first = graph.create("same")
    create = f"/v19.0/{ACCOUNT}/customaudiences"
    fields = {"name": "same", "customer_file_source": "USER_PROVIDED_ONLY"}

    fetched = graph.http.post(
        create, params=graph.auth, data={**fields, "enable_fetch_or_create": "true"}
    )
    made = graph.http.post(create, params=graph.auth, data=fields)

    assert fetched.json() == {"id": first}
    assert made.json()["id"] != first


def test_head_is_answered_as_get_without_a_body(fake_graph):
    path = "/v19.0/act_1001/customaudiences"
    params = {"access_token": "fbca-dev-token"}

    head = fake_graph.client.head(path, params=params)
    get = fake_graph.client.get(path, params=params)

    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == "application/json"
