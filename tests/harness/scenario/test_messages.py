import pytest

from fake_graph_api.clock import VirtualClock
from harness.engine.messages import validate
from harness.scenario.messages import (
    AudienceChange,
    MessageBuilder,
    attribute_deletes,
    attribute_upserts,
    split_settings,
)
from harness.scenario.model import Identity, Profile

ANA = Profile(
    "ana",
    (
        Identity("email", " Ana@Example.org "),
        Identity("customer", "CUST-0042"),
        Identity("ios_advertising_id", "5F3C2A10", device=True),
        Identity("other", "abc", encoding="sha256"),
    ),
    {"$FirstName": "Ana", "ltv": 312.5, "interests": ["golf", "ski"], "vip": True},
    mpid="-441",
)


def builder(seed="case.yaml"):
    account, _ = split_settings({"ad_account_id": "act_1001", "access_token": "t"})
    return MessageBuilder(
        account_id=5150, account_settings=account, clock=VirtualClock(), seed=seed
    )


def test_settings_split_into_account_and_connection_strings():
    account, connection = split_settings(
        {"ad_account_id": "act_1", "forward_phones": False, "bulk_flush_seconds": 60}
    )
    assert account == {"adAccountId": "act_1"}
    assert connection == {"forwardPhones": "false", "bulkFlushSeconds": "60"}


def test_subscription_messages_are_valid_and_carry_previous_settings():
    message = builder().subscription(
        "update",
        audience_id=7301,
        name="Cart",
        settings={"forwardPhones": "true"},
        previous={"forwardPhones": "false"},
    )

    assert validate(message) == "audience_subscription_request"
    assert message["account"] == {
        "account_id": 5150,
        "account_settings": {"adAccountId": "act_1001", "accessToken": "t"},
    }
    assert message["previous_audience_subscription_settings"] == {
        "forwardPhones": "false"
    }


def test_membership_message_uses_protocol_identity_types_and_attributes():
    change = AudienceChange(7301, "Cart", {}, "add", attribute_upserts(ANA.attributes))
    message = builder().membership([(ANA, [change])])

    assert validate(message) == "audience_membership_change_request"
    [profile] = message["user_profiles"]
    assert profile["mpid"] == "-441"
    assert profile["user_identities"] == [
        {"type": "email", "encoding": "raw", "value": " Ana@Example.org "},
        {"type": "customer", "encoding": "raw", "value": "CUST-0042"},
        {"type": "other", "encoding": "sha256", "value": "abc"},
    ]
    assert profile["device_identities"] == [
        {"type": "ios_advertising_id", "encoding": "raw", "value": "5F3C2A10"}
    ]
    assert profile["audiences"][0]["user_attributes"] == [
        {"key": "$FirstName", "value": "Ana", "action": "upsert"},
        {"key": "ltv", "value": "312.5", "action": "upsert"},
        {"key": "interests", "list_value": ["golf", "ski"], "action": "upsert"},
        {"key": "vip", "value": "true", "action": "upsert"},
    ]


def test_attribute_deletes_and_keepalive_are_valid():
    change = AudienceChange(
        7301, None, {}, "attribute_update", attribute_deletes(["x"])
    )
    messages = builder()
    assert validate(messages.membership([(ANA, [change])]))
    keepalive = messages.keepalive()
    assert validate(keepalive) and "user_profiles" not in keepalive


@pytest.mark.parametrize("action", ["advance", "flush", "resume", "status"])
def test_control_messages_are_valid(action):
    fields = {"seconds": 10} if action == "advance" else {}
    assert validate(builder().control(action, **fields)) == "fbca_control"


def test_ids_are_deterministic_per_scenario_and_position():
    first, again, other = builder(), builder(), builder("other.yaml")
    ids = [first.keepalive()["id"], first.keepalive()["id"]]
    assert ids == [again.keepalive()["id"], again.keepalive()["id"]]
    assert ids[0] != ids[1]
    assert other.keepalive()["id"] not in ids
