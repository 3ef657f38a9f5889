"""Graph failures: retried when transient, faulting the connection when permanent."""

import httpx
import pytest

AD_ACCOUNT = "act_1001"
ALICE = "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976"
EMAIL_AND_PHONE = {
    "forwardIdfas": "false",
    "forwardGoogleAdvertisingIds": "false",
    "forwardPhones": "true",
}
EMAIL_ONLY = {**EMAIL_AND_PHONE, "forwardPhones": "false"}


def users(messages, count: int, **extra) -> list[dict]:
    return [
        messages.profile(
            mpid=str(i),
            email=f"user{i}@example.com",
            identities=[("mobile_number", f"+1650555{i:04d}")],
            **extra,
        )
        for i in range(count)
    ]


def start(world, messages, profiles, **settings):
    world.engine.handle(messages.subscription(**{**EMAIL_ONLY, **settings}))
    return world.engine.handle(messages.membership(*profiles))


def acknowledged_rows(world) -> int:
    return sum(c["rows"] for c in world.user_calls() if c["status"] == 200)


def test_injected_throttling_is_retried_with_backoff(world, messages):
    world.control(
        "POST",
        "faults",
        {"method": "POST", "path": "/*/users", "error": "throttled_80004", "times": 2},
    )
    start(world, messages, users(messages, 3))
    before = world.clock.now()
    world.engine.flush()

    statuses = [c["status"] for c in world.user_calls()]
    assert statuses == [400, 400, 200]
    assert world.clock.now() - before >= 60 + 120  # rate limits back off from a minute
    assert len(world.members("email")) == 3
    assert world.status()["state"] == "active"


def test_backoff_waits_for_the_time_to_regain_access(make_world, messages):
    world = make_world(calls_per_hour=1)
    before = world.clock.now()
    world.engine.handle(messages.subscription(**EMAIL_ONLY))

    throttled = [c for c in world.journal() if c["graph_code"] == 80003]
    assert [c["method"] for c in throttled] == ["POST"]
    assert world.clock.now() - before >= 60 * 60
    assert world.status()["state"] == "active"
    assert "email" in world.status()["downstream"]


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param({"html": True}, id="html-page"),
        pytest.param({"status": 502, "body": {"oops": True}}, id="502-without-code"),
        pytest.param({"error": "unknown_error"}, id="code-1"),
        pytest.param({"error": "temporary"}, id="code-2"),
        pytest.param({"error": "rate_limit_613"}, id="code-613"),
        pytest.param({"error": "user_request_limit"}, id="code-17"),
    ],
)
def test_transient_answers_are_retried_not_taken_as_success(world, messages, fault):
    world.control(
        "POST", "faults", {"method": "POST", "path": "/*/users", "times": 1, **fault}
    )
    start(world, messages, users(messages, 2))
    world.engine.flush()

    assert [c["status"] < 300 for c in world.user_calls()] == [False, True]
    assert len(world.members("email")) == 2


def test_transient_failures_that_last_fault_the_connection(world, messages):
    world.control(
        "POST", "faults", {"method": "POST", "path": "/*/users", "error": "temporary"}
    )
    start(world, messages, users(messages, 2))
    world.engine.flush()

    status = world.status()
    assert status["state"] == "faulted" and status["fault"]["code"] == 2
    assert len(world.user_calls()) == 6

    world.control("DELETE", "faults")
    world.engine.handle(messages.control("resume", audience_id=7301))
    assert len(world.members("email")) == 2


def test_an_expired_token_faults_and_a_fresh_token_resumes(world, messages):
    start(world, messages, users(messages, 3))
    world.control("POST", "tokens", {"token": "fbca-dev-token", "expired": True})
    world.engine.flush()

    status = world.status()
    assert status["state"] == "faulted"
    assert (status["fault"]["code"], status["fault"]["subcode"]) == (190, 463)
    assert "expired" in status["fault"]["message"]
    assert status["pending"] == 3

    world.control(
        "POST", "tokens", {"token": "fresh-token", "ad_accounts": [AD_ACCOUNT]}
    )
    messages.account_settings["accessToken"] = "fresh-token"
    answer = world.engine.handle(
        messages.membership(messages.profile(mpid="9", email="alice@example.com"))
    )
    assert answer["suspend_subscription"] is True

    world.engine.handle(messages.control("resume"))
    assert world.status()["state"] == "active"
    assert len(world.members("email")) == 4
    assert acknowledged_rows(world) == 4


def test_terms_revoked_fault_names_the_ad_account(world, messages):
    start(world, messages, users(messages, 2))
    world.control("POST", f"ad_accounts/{AD_ACCOUNT}", {"tos_accepted": False})
    world.engine.flush()

    fault = world.status()["fault"]
    assert (fault["code"], fault["subcode"]) == (200, 1870090)
    assert AD_ACCOUNT in fault["message"]
    assert len(world.user_calls()) == 1

    world.control("POST", f"ad_accounts/{AD_ACCOUNT}", {"tos_accepted": True})
    world.engine.resume(7301)
    assert len(world.members("email")) == 2


def test_a_deleted_downstream_audience_is_recreated_on_resume(world, messages):
    start(world, messages, users(messages, 2))
    gone = world.status()["downstream"]["email"]
    world.control("DELETE", f"audiences/{gone}")
    world.engine.flush()

    status = world.status()
    assert (status["fault"]["code"], status["fault"]["subcode"]) == (100, 33)
    assert "email" not in status["downstream"]

    world.engine.resume()
    recreated = world.status()["downstream"]["email"]
    assert recreated != gone
    assert world.audience("email")["name"] == "Cart Abandoners (email)"
    assert len(world.members("email")) == 2


def test_the_501st_audience_faults_the_connection(make_world, messages):
    world = make_world(existing_audiences=498)
    start(
        world, messages, users(messages, 2), forwardIdfas="true", forwardPhones="true"
    )

    status = world.status()
    assert status["state"] == "faulted" and status["fault"]["code"] == 2654
    assert sorted(status["downstream"]) == ["email", "idfa_gaid"]
    keep_alive = world.engine.handle(messages.membership())
    assert keep_alive["suspend_subscription"] is True

    world.control("POST", f"ad_accounts/{AD_ACCOUNT}", {"audience_limit": 510})
    world.engine.resume(7301)
    assert world.status()["state"] == "active"
    assert len(world.members("phone")) == 2


class FailNthUsersCall(httpx.BaseTransport):
    """Delegates to the fake, but answers the nth /users call with an expired token."""

    def __init__(self, inner: httpx.BaseTransport, nth: int) -> None:
        self.inner, self.nth, self.seen = inner, nth, 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/users"):
            self.seen += 1
            if self.seen == self.nth:
                error = {
                    "message": "Error validating access token",
                    "code": 190,
                    "error_subcode": 463,
                    "type": "OAuthException",
                }
                return httpx.Response(400, json={"error": error})
        return self.inner.handle_request(request)


def test_rows_acknowledged_before_a_fault_are_not_sent_again(make_world, messages):
    world = make_world(
        engine_options={"max_rows_per_request": 2},
        wrap_transport=lambda inner: FailNthUsersCall(inner, nth=2),
    )
    start(world, messages, users(messages, 5), **EMAIL_AND_PHONE)
    world.engine.flush()

    assert world.status()["state"] == "faulted"
    assert world.status()["pending"] == 5  # users with rows not yet acknowledged

    world.engine.resume()
    assert len(world.members("email")) == 5 and len(world.members("phone")) == 5
    assert acknowledged_rows(world) == 10
    sent_rows = [
        row
        for r in world.sent
        if r.url.path.endswith("/users")
        for row in httpx.Response(200, content=r.content).json()["payload"]["data"]
    ]
    assert len(sent_rows) == 10 + 2


def test_a_keep_alive_brings_the_fresh_token_too(world, messages):
    start(world, messages, users(messages, 2))
    world.control("POST", "tokens", {"token": "fbca-dev-token", "expired": True})
    world.engine.flush()
    world.control(
        "POST", "tokens", {"token": "fresh-token", "ad_accounts": [AD_ACCOUNT]}
    )
    messages.account_settings["accessToken"] = "fresh-token"

    assert world.engine.handle(messages.membership())["suspend_subscription"] is True
    world.engine.handle(messages.control("resume", audience_id=7301))

    assert len(world.members("email")) == 2


def test_a_flagged_audience_faults_without_retries(world, messages):
    start(world, messages, users(messages, 1))
    flagged = world.status()["downstream"]["email"]
    world.control("POST", f"audiences/{flagged}", {"operation_status": 471})
    world.engine.flush()

    fault = world.status()["fault"]
    assert (fault["code"], fault["subcode"]) == (100, 1713230)
    assert len(world.user_calls()) == 1
