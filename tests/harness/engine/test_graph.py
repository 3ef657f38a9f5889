import json
import logging

import httpx
import pytest

from fake_graph_api.clock import VirtualClock
from harness.engine.errors import PermanentGraphError, TransientGraphError
from harness.engine.graph import GraphClient

TOKEN = "secret-token-value"


def error_body(code, subcode=None, message="boom"):
    error = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


class Script:
    """A MockTransport handler answering from a list, recording each request."""

    def __init__(self, *answers: httpx.Response) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def client(script: Script, clock=None) -> GraphClient:
    http = httpx.Client(transport=httpx.MockTransport(script), base_url="http://g")
    return GraphClient(
        http,
        clock=clock or VirtualClock(),
        ad_account="act_1001",
        token=TOKEN,
        api_version="v19.0",
        base_url="http://g",
    )


OK = httpx.Response(200, json={"audience_id": "1", "num_received": 1})


def test_users_payload_travels_in_a_json_body_even_for_delete():
    script = Script(OK)
    payload = {"schema": ["EMAIL"], "data": [["ab"]]}
    session = {"session_id": 9, "batch_seq": 1, "last_batch_flag": True}

    client(script).send_users("DELETE", "238", payload, session)

    request = script.requests[0]
    assert request.method == "DELETE"
    assert request.url.path == "/v19.0/238/users"
    assert "payload" not in request.url.params
    assert "access_token" not in request.url.params
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert json.loads(request.content) == {"payload": payload, "session": session}


@pytest.mark.parametrize(
    ("failure", "waited"),
    [
        pytest.param(
            httpx.Response(400, json=error_body(80004, 2446079)), 60 + 120, id="80004"
        ),
        pytest.param(httpx.Response(400, json=error_body(613)), 60 + 120, id="613"),
        pytest.param(httpx.Response(500, json=error_body(1, 99)), 2 + 4, id="code-1"),
        pytest.param(
            httpx.Response(
                502,
                text="<html>Facebook | Error</html>",
                headers={"content-type": "text/html"},
            ),
            2 + 4,
            id="html",
        ),
        pytest.param(httpx.ConnectError("refused"), 2 + 4, id="connection-refused"),
        pytest.param(httpx.Response(503, json={}), 2 + 4, id="5xx-without-code"),
    ],
)
def test_transient_failures_are_retried_until_success(failure, waited):
    clock = VirtualClock(start=0)
    script = Script(failure, failure, OK)

    answer = client(script, clock).call("POST", "238/users", body={}, rows=1)

    assert answer["num_received"] == 1
    assert len(script.requests) == 3
    assert clock.now() == pytest.approx(waited)


def test_backoff_honours_the_time_to_regain_access():
    usage = {
        "1001": [{"type": "custom_audience", "estimated_time_to_regain_access": 2}]
    }
    throttled = httpx.Response(
        400,
        json=error_body(80004, 2446079),
        headers={"x-business-use-case-usage": json.dumps(usage)},
    )
    clock = VirtualClock(start=0)
    script = Script(throttled, throttled, OK)

    client(script, clock).call("POST", "238/users", body={})

    assert clock.now() >= 2 * 120


def test_retries_are_bounded():
    clock = VirtualClock(start=0)
    script = Script(httpx.Response(400, json=error_body(17, 2446079)))

    with pytest.raises(TransientGraphError) as caught:
        client(script, clock).call("POST", "238/users", body={})

    assert caught.value.code == 17
    assert len(script.requests) == 6


def test_a_wait_longer_than_an_hour_gives_up_at_once():
    usage = {"1001": [{"estimated_time_to_regain_access": 1440}]}
    script = Script(
        httpx.Response(
            400,
            json=error_body(80003),
            headers={"x-business-use-case-usage": json.dumps(usage)},
        )
    )
    with pytest.raises(TransientGraphError):
        client(script).call("POST", "238/users", body={})
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    ("status", "code", "subcode"),
    [
        pytest.param(400, 190, 463, id="token-expired"),
        pytest.param(400, 200, 1870090, id="terms-not-accepted"),
        pytest.param(400, 2650, None, id="data-source-mismatch"),
        pytest.param(400, 100, 33, id="object-missing"),
        pytest.param(500, 190, None, id="invalid-token-on-500"),
        pytest.param(400, 2663, None, id="terms-2663"),
    ],
)
def test_permanent_failures_are_raised_at_once(status, code, subcode):
    script = Script(httpx.Response(status, json=error_body(code, subcode)))

    with pytest.raises(PermanentGraphError) as caught:
        client(script).call("POST", "act_1001/customaudiences", body={})

    assert (caught.value.code, caught.value.subcode) == (code, subcode)
    assert "act_1001" in str(caught.value)
    assert len(script.requests) == 1


def test_listing_follows_every_page():
    first = {
        "data": [{"id": "1", "name": "A"}],
        "paging": {"cursors": {"after": "c1"}, "next": "http://g/next"},
    }
    last = {"data": [{"id": "2", "name": "B"}], "paging": {"cursors": {"after": "c2"}}}
    script = Script(httpx.Response(200, json=first), httpx.Response(200, json=last))

    names = [a["name"] for a in client(script).list_audiences()]

    assert names == ["A", "B"]
    assert script.requests[1].url.params["after"] == "c1"


def test_each_call_logs_one_line_without_the_token(caplog):
    script = Script(httpx.Response(400, json=error_body(100, 33)))
    caplog.set_level(logging.INFO, logger="harness.engine")

    with pytest.raises(PermanentGraphError) as caught:
        client(script).send_users(
            "POST", "238", {"schema": ["EMAIL"], "data": [[]]}, {}
        )

    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1
    assert "POST /v19.0/238/users rows=1 status=400 code=100" in lines[0]
    assert TOKEN not in lines[0] and TOKEN not in str(caught.value)
