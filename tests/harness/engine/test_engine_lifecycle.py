"""Subscriptions, restarts, control messages, invalid input and logging."""

import logging

import pytest

from harness.engine.errors import InvalidMessageError, SettingsError

EMAIL_ONLY = {
    "forwardPhones": "false",
    "forwardIdfas": "false",
    "forwardGoogleAdvertisingIds": "false",
}


def names(world) -> list[str]:
    return sorted(a["name"] for a in world.live_audiences())


def test_a_restarted_engine_finds_its_audiences_across_every_page(world, messages):
    answer = world.engine.handle(messages.subscription(**EMAIL_ONLY))
    first_id = world.status()["downstream"]["email"]
    for number in range(120):
        world.control(
            "POST",
            "audiences",
            {"ad_account": "act_1001", "name": f"Other audience {number}"},
        )

    world.engine = world.new_engine()
    profile = messages.profile(mpid="1", email="alice@example.com")
    stored = answer["audience_subscription_settings"]
    profile["audiences"][0]["audience_subscription_settings"] = stored
    world.engine.handle(messages.membership(profile))
    world.engine.flush()

    assert world.status()["downstream"]["email"] == first_id
    assert names(world).count("Cart Abandoners (email)") == 1
    listing = world.journal("*/customaudiences")
    assert sum(1 for call in listing if call["method"] == "GET") >= 3
    assert world.audience("email")["member_count"] == 1


def test_a_found_audience_of_another_subtype_faults_clearly(world, messages):
    world.control(
        "POST",
        "audiences",
        {
            "ad_account": "act_1001",
            "name": "Cart Abandoners (email)",
            "subtype": "LOOKALIKE",
        },
    )
    world.engine.handle(messages.subscription(**EMAIL_ONLY))

    fault = world.status()["fault"]
    assert "LOOKALIKE" in fault["message"] and "CUSTOM" in fault["message"]


def test_an_update_renames_and_creates_what_is_newly_enabled(world, messages):
    world.engine.handle(messages.subscription(**EMAIL_ONLY))
    email_id = world.status()["downstream"]["email"]

    answer = world.engine.handle(
        messages.subscription(
            "update", name="Big Spenders", **{**EMAIL_ONLY, "forwardPhones": "true"}
        )
    )

    assert names(world) == ["Big Spenders (email)", "Big Spenders (phone)"]
    assert world.status()["downstream"]["email"] == email_id
    assert set(answer["audience_subscription_settings"]) >= {
        "downstreamEmailAudienceId",
        "downstreamPhoneAudienceId",
    }


def test_value_based_cannot_change_after_creation(world, messages):
    world.engine.handle(messages.subscription(**EMAIL_ONLY))

    with pytest.raises(SettingsError) as caught:
        world.engine.handle(
            messages.subscription(
                "update",
                isAudienceValueBased="true",
                userAttributeRepresentingValue="ltv",
                **EMAIL_ONLY,
            )
        )
    assert caught.value.setting == "isAudienceValueBased"


def test_removing_the_subscription_deletes_every_downstream_audience(world, messages):
    world.engine.handle(messages.subscription(enableMultiKeyAudience="true"))
    assert len(world.live_audiences()) == 4

    world.engine.handle(messages.subscription("remove"))

    assert world.live_audiences() == []
    assert world.engine.handle(messages.control("status"))["connections"] == []


def test_a_restarted_engine_still_deletes_the_audiences_on_remove(world, messages):
    answer = world.engine.handle(messages.subscription(**EMAIL_ONLY))
    world.engine = world.new_engine()

    removal = messages.subscription("remove", **EMAIL_ONLY)
    removal["audience_subscription_settings"] = answer["audience_subscription_settings"]
    world.engine.handle(removal)

    assert world.live_audiences() == []
    assert world.engine.connections == {}


def test_an_unselected_customer_file_source_creates_nothing(world, messages):
    subscription = messages.subscription()
    subscription["audience_subscription_settings"] = {}

    with pytest.raises(SettingsError, match="customerFileSource"):
        world.engine.handle(subscription)
    assert world.journal() == []
    assert world.engine.connections == {}


def test_an_invalid_message_changes_nothing(world, messages):
    world.engine.handle(messages.subscription(**EMAIL_ONLY))
    good = messages.profile(mpid="1", email="alice@example.com")
    bad = messages.profile(mpid="2", email="bob@example.org")
    bad["user_identities"][0]["type"] = "e-mail"
    calls_before = len(world.journal())

    with pytest.raises(InvalidMessageError) as caught:
        world.engine.handle(messages.membership(good, bad))

    assert caught.value.path == "$.user_profiles[1].user_identities[0].type"
    assert world.status()["pending"] == 0
    assert len(world.journal()) == calls_before


def test_an_unknown_audience_without_a_name_is_refused(world, messages):
    profile = messages.profile(mpid="1", email="alice@example.com", audience_id=99)
    del profile["audiences"][0]["audience_name"]

    with pytest.raises(InvalidMessageError) as caught:
        world.engine.handle(messages.membership(profile))
    assert caught.value.path == "$.user_profiles[0].audiences[0].audience_name"
    assert world.engine.connections == {}


def test_membership_for_an_unseen_audience_connects_it(world, messages):
    profile = messages.profile(
        mpid="1", email="alice@example.com", audience_id=7400, name="Lapsed"
    )
    profile["audiences"][0]["audience_subscription_settings"] = {
        "customerFileSource": "PARTNER_PROVIDED_ONLY",
        **EMAIL_ONLY,
    }

    world.engine.handle(messages.membership(profile))
    world.engine.flush()

    assert names(world) == ["Lapsed (email)"]
    assert world.members("email", audience_id=7400) != []


def test_keep_alives_are_answered(world, messages):
    answer = world.engine.handle(messages.membership())

    assert answer["type"] == "audience_membership_change_response"
    assert answer["suspend_subscription"] is False
    assert answer["firehose_version"] == "3.2.0" and answer["id"]


def test_attribute_updates_keep_the_user_with_merged_attributes(world, messages):
    world.engine.handle(
        messages.subscription(
            isAudienceValueBased="true",
            userAttributeRepresentingValue="ltv",
            **EMAIL_ONLY,
        )
    )
    world.engine.handle(
        messages.membership(
            messages.profile(
                mpid="1",
                email="alice@example.com",
                attributes={"ltv": "5", "tier": "gold"},
            )
        )
    )
    world.engine.flush()
    update = messages.profile(
        mpid="1",
        email="alice@example.com",
        action="attribute_update",
        attributes={"LTV": "9"},
    )
    world.engine.handle(messages.membership(update))
    world.engine.flush()

    assert world.members("email") == [
        {
            "EMAIL": "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976",
            "LOOKALIKE_VALUE": 9,
        }
    ]


def test_status_reports_each_connection(world, messages):
    world.engine.handle(messages.subscription(**EMAIL_ONLY))
    world.engine.handle(
        messages.membership(messages.profile(mpid="1", email="alice@example.com"))
    )

    answer = world.engine.handle(messages.control("status"))

    assert answer["type"] == "fbca_control_response"
    [connection] = answer["connections"]
    assert set(connection) == {"audience_id", "state", "fault", "pending", "downstream"}
    assert connection["state"] == "active" and connection["fault"] is None
    assert connection["pending"] == 1
    assert list(connection["downstream"]) == ["email"]


@pytest.mark.parametrize(
    "control",
    [
        pytest.param({"action": "advance", "seconds": 5}, id="advance"),
        pytest.param({"action": "flush"}, id="flush"),
        pytest.param({"action": "resume"}, id="resume-all"),
        pytest.param({"action": "reset"}, id="reset"),
    ],
)
def test_control_messages_answer_ok(world, messages, control):
    answer = world.engine.handle({"type": "fbca_control", **control})
    assert answer == {"type": "fbca_control_response", "ok": True}


def test_advance_moves_the_shared_clock(world, messages):
    before = world.clock.now()
    world.engine.handle(messages.control("advance", seconds=90))
    assert world.clock.now() == before + 90


def test_resuming_an_unknown_audience_is_refused(world, messages):
    with pytest.raises(InvalidMessageError, match="7999"):
        world.engine.handle(messages.control("resume", audience_id=7999))


def test_reset_forgets_every_connection(world, messages):
    world.engine.handle(messages.subscription(**EMAIL_ONLY))
    world.engine.handle(messages.control("reset"))
    assert world.engine.handle(messages.control("status"))["connections"] == []


def test_logs_carry_neither_token_nor_raw_identifiers(world, messages, caplog):
    caplog.set_level(logging.DEBUG)
    # The engine's own logger too: `fbca load` raises its level in-process.
    caplog.set_level(logging.DEBUG, logger="harness.engine")
    world.engine.handle(messages.subscription(enableMultiKeyAudience="true"))
    world.engine.handle(
        messages.membership(
            messages.profile(
                mpid="1",
                email="alice@example.com",
                identities=[("mobile_number", "+44 7700 900123")],
                devices=[
                    ("ios_advertising_id", "6D92078A-8246-4BA4-AE5B-76104861E7DC")
                ],
            )
        )
    )
    world.control("POST", "tokens", {"token": "fbca-dev-token", "expired": True})
    world.engine.flush()

    text = "\n".join(record.getMessage() for record in caplog.records)
    graph_lines = [r for r in caplog.records if r.getMessage().startswith("graph ")]
    assert graph_lines and all(r.levelno == logging.INFO for r in graph_lines)
    for secret in (
        "fbca-dev-token",
        "alice@example.com",
        "7700 900123",
        "447700900123",
        "6D92078A",
        "6d92078a",
    ):
        assert secret not in text
    assert "status=400 code=190" in text
