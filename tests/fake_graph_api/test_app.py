import httpx
import pytest

from fake_graph_api import create_app, fake_of

TOKEN = {"access_token": "fbca-dev-token"}


def _client(app) -> httpx.Client:
    transport = httpx.WSGITransport(app=app)
    return httpx.Client(transport=transport, base_url="http://graph.fake")


def test_apps_share_compiled_routes_but_not_state():
    first, second = create_app(seed=1), create_app(seed=1)
    fields = {"name": "only in first", "subtype": "CUSTOM"}
    fields["customer_file_source"] = "USER_PROVIDED_ONLY"

    with _client(first) as one, _client(second) as two:
        created = one.post("/v19.0/act_1001/customaudiences", params=TOKEN, data=fields)
        missing = two.get(f"/v19.0/{created.json()['id']}", params=TOKEN)
        state = two.get("/_fake/state").json()

    assert first.url_map is second.url_map
    assert created.status_code == 200 and missing.status_code == 400
    assert state["ad_accounts"][0]["audiences"] == []
    assert fake_of(first) is not fake_of(second)


def test_each_app_answers_through_its_own_fake():
    apps = [create_app(), create_app()]
    fake_of(apps[1]).clock.advance(60)

    with _client(apps[0]) as one, _client(apps[1]) as two:
        times = [c.get("/_fake/clock").json()["now"] for c in (one, two)]

    assert times[1] - times[0] == pytest.approx(60)


def test_adding_a_route_to_a_fake_app_is_refused():
    app = create_app()

    with pytest.raises(ValueError, match="shares one frozen URL map"):
        app.add_url_rule("/extra", "extra", lambda: "extra")


@pytest.mark.parametrize("method", ["GET", "OPTIONS", "POST"])
def test_a_static_looking_path_gets_the_graph_answer(method):
    with _client(create_app()) as client:
        answer = client.request(method, "/static/style.css")

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == 2500
