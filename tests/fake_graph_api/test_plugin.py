"""The live fixture is reset before each test: each test sees an empty account."""

import httpx
import pytest

LIST = "/v19.0/act_1001/customaudiences"


@pytest.mark.parametrize("attempt", [1, 2])
def test_live_server_starts_each_test_empty(fake_graph_server, attempt):
    auth = {"access_token": fake_graph_server.token}
    url = fake_graph_server.url + LIST

    before = httpx.get(url, params=auth).json()
    httpx.post(
        url,
        params=auth,
        data={"name": f"try {attempt}", "customer_file_source": "USER_PROVIDED_ONLY"},
    ).raise_for_status()

    assert fake_graph_server.url.startswith("http://127.0.0.1:")
    assert before == {"data": []}


def test_in_process_fixture_shares_state_with_its_fake(fake_graph):
    fake_graph.fake.store.create_audience(
        fake_graph.ad_account, {"name": "direct"}, now=0
    )

    answer = fake_graph.client.get(LIST, params={"access_token": fake_graph.token})

    assert len(answer.json()["data"]) == 1
