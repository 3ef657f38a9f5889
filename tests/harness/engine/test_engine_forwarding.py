"""Rows the reference engine forwards, read back from the in-process fake Graph API."""

import json
import logging

import pytest

from harness.engine import rows as rows_module

ALICE = "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976"
BOB = "686b5e4cf4f963adf8f51468a48028ef8d15bd02fa335f821279a3d1678c9615"
CAROL = "c4fcf4f743a2924a8396b40d609fb406519eacdb29414c0a770e0fa26d877c8e"
UK_PHONE = "033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd"
US_PHONE = "43b63f22d478442e6d58c9ba5eef8a8b378b9990aafb681d11e231e3ceab6294"
JANE = "81f8f6dde88365f3928796ec7aa53f72820b06db8664f5fe76a7eb13e24546a2"
EMPTY_DIGEST = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
IDFA = "6D92078A-8246-4BA4-AE5B-76104861E7DC"


def same(members: list[dict], expected: list[dict]) -> bool:
    """Members equal `expected`, in any order."""

    def key(member):
        return json.dumps(member, sort_keys=True)

    return sorted(members, key=key) == sorted(expected, key=key)


def forward(world, messages, *profiles, **settings):
    """Subscribe with `settings`, send `profiles`, flush; return both answers."""
    subscribed = world.engine.handle(messages.subscription(**settings))
    answer = world.engine.handle(messages.membership(*profiles))
    world.engine.flush()
    return subscribed, answer


def test_one_audience_per_identity_kind_with_the_documented_names(world, messages):
    subscribed, _ = forward(
        world, messages, enableMultiKeyAudience="true", facebookApplicationId="4242"
    )

    names = sorted(a["name"] for a in world.live_audiences())
    assert names == [
        "Cart Abandoners (IDFA/GAID)",
        "Cart Abandoners (email)",
        "Cart Abandoners (fb id)",
        "Cart Abandoners (multi-key)",
        "Cart Abandoners (phone)",
    ]
    for audience in world.live_audiences():
        assert audience["subtype"] == "CUSTOM"
        assert audience["customer_file_source"] == "USER_PROVIDED_ONLY"
        assert audience["is_value_based"] is False

    settings = subscribed["audience_subscription_settings"]
    assert (
        settings["downstreamEmailAudienceId"] == world.status()["downstream"]["email"]
    )
    assert subscribed["type"] == "audience_subscription_response"


def test_idfa_and_gaid_share_one_audience_unhashed(world, messages):
    forward(
        world,
        messages,
        messages.profile(mpid="1", devices=[("ios_advertising_id", IDFA)]),
        messages.profile(mpid="2", devices=[("google_advertising_id", "AB-12")]),
    )

    assert same(
        world.members("idfa_gaid"), [{"MADID": "ab-12"}, {"MADID": IDFA.lower()}]
    )


def test_email_comes_from_the_chosen_identity_type(world, messages):
    user = messages.profile(
        mpid="1", email="bob@example.org", identities=[("other3", "Alice@Example.com")]
    )
    forward(world, messages, user, externalEmailIdentityType="other3")

    assert world.members("email") == [{"EMAIL": ALICE}]


def test_every_distinct_phone_is_forwarded(world, messages):
    user = messages.profile(
        mpid="1",
        identities=[
            ("mobile_number", "+44 7700 900123"),
            ("phone_number_2", "+44 (0)7700 900123"),
            ("phone_number_3", "0044 7700 900123"),
        ],
        attributes={"$Mobile": "+1 (650) 555-0100"},
    )
    forward(world, messages, user)

    assert same(world.members("phone"), [{"PHONE": UK_PHONE}, {"PHONE": US_PHONE}])


def test_facebook_ids_go_raw_with_the_application_id(world, messages):
    user = messages.profile(mpid="1", identities=[("facebook", "100012345")])
    forward(world, messages, user, facebookApplicationId="4242")

    call = world.journal("*/users")[0]
    assert call["status"] == 200 and call["findings"] == []
    assert world.members("fb_id") == [{"UID": "100012345"}]


def test_facebook_ids_stay_home_without_an_application_id(world, messages):
    user = messages.profile(mpid="1", identities=[("facebook", "100012345")])
    forward(world, messages, user)

    assert "fb_id" not in world.status()["downstream"]
    assert world.user_calls() == []


def test_multi_key_row_with_external_id_and_user_attributes(world, messages):
    user = messages.profile(
        mpid="1",
        email="alice@example.com",
        identities=[("customer", "  CUST-0042 "), ("mobile_number", "+16505550100")],
        attributes={"$firstname": "Jane", "$Country": "US", "$Gender": "woman"},
    )
    forward(
        world,
        messages,
        user,
        enableMultiKeyAudience="true",
        matchOnUserAttributes="true",
        multiKeyExternalIdType="customer",
    )

    [member] = world.members("multi_key")
    assert member["EMAIL"] == ALICE and member["PHONE"] == US_PHONE
    # sha256("cust-0042"): mParticle trims, lower-cases and hashes the external id
    assert member["EXTERN_ID"] == (
        "04f18369b9f09f7908b299d2535b6d99d3df2e17e8f953553f269e38ed7281d8"
    )
    assert member["FN"] == JANE
    assert member["FI"] == (
        "189f40034be7a199f1fa9891668ee3ab6049f82d38c68be70f596eab2e1857b7"
    )
    assert member["GEN"] == (
        "252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111"
    )
    assert "LN" not in member
    assert world.members("email") == [{"EMAIL": ALICE}]


def test_attribute_keys_stay_out_of_single_key_audiences(world, messages):
    user = messages.profile(
        mpid="1", email="alice@example.com", attributes={"$FirstName": "Jane"}
    )
    forward(world, messages, user, matchOnUserAttributes="true")

    assert world.members("email") == [{"EMAIL": ALICE}]


def value_based(**settings):
    return {
        "isAudienceValueBased": "true",
        "userAttributeRepresentingValue": "ltv",
        "forwardPhones": "false",
        "forwardIdfas": "false",
        "forwardGoogleAdvertisingIds": "false",
        **settings,
    }


def test_value_based_rows_carry_a_json_number(world, messages):
    users = [
        messages.profile(
            mpid="1", email="alice@example.com", attributes={"ltv": "44.5"}
        ),
        messages.profile(mpid="2", email="bob@example.org", attributes={"LTV": "-3"}),
        messages.profile(mpid="3", email="carol@example.net", attributes={"ltv": "0"}),
        messages.profile(mpid="4", email="dave@example.com", attributes={"ltv": "x"}),
    ]
    forward(world, messages, *users, **value_based())

    assert world.audience("email")["is_value_based"] is True
    assert world.members("email") == [{"EMAIL": ALICE, "LOOKALIKE_VALUE": 44.5}]


def test_zero_and_missing_values_only_with_allow_zero_values(world, messages):
    users = [
        messages.profile(mpid="1", email="alice@example.com", attributes={"ltv": "0"}),
        messages.profile(mpid="2", email="bob@example.org"),
    ]
    forward(world, messages, *users, **value_based(allowZeroValues="true"))

    assert same(
        world.members("email"),
        [{"EMAIL": BOB, "LOOKALIKE_VALUE": 0}, {"EMAIL": ALICE, "LOOKALIKE_VALUE": 0}],
    )


def test_removal_from_a_value_based_audience_carries_the_value(world, messages):
    add = messages.profile(mpid="1", email="alice@example.com", attributes={"ltv": "7"})
    forward(world, messages, add, **value_based())
    world.engine.handle(
        messages.membership(
            messages.profile(mpid="1", email="alice@example.com", action="delete")
        )
    )
    world.engine.flush()

    assert world.members("email") == []
    assert [c["method"] for c in world.user_calls()] == ["POST", "DELETE"]
    assert all(c["findings"] == [] for c in world.user_calls())


VALUE_DELETED = [{"key": "ltv", "action": "delete"}]


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(
            [("delete", []), ("add", VALUE_DELETED)],
            id="left-and-came-back-without-a-value",
        ),
        pytest.param([("add", VALUE_DELETED)], id="value-deleted"),
        pytest.param(
            [("add", [{"key": "ltv", "value": "x", "action": "upsert"}])],
            id="value-became-non-numeric",
        ),
    ],
)
def test_a_member_whose_value_becomes_unusable_is_withdrawn(world, messages, changes):
    add = messages.profile(mpid="1", email="alice@example.com", attributes={"ltv": "7"})
    forward(world, messages, add, **value_based())
    for action, attributes in changes:
        change = messages.profile(mpid="1", email="alice@example.com", action=action)
        change["audiences"][0]["user_attributes"] = attributes
        world.engine.handle(messages.membership(change))
    world.engine.flush()

    assert world.members("email") == []
    removal = json.loads(world.sent[-1].content)["payload"]
    assert removal["data"] == [[ALICE, 7]]


def test_a_user_never_sent_with_a_value_is_not_withdrawn(world, messages):
    user = messages.profile(
        mpid="1", email="alice@example.com", attributes={"ltv": "x"}
    )
    forward(world, messages, user, **value_based())

    assert world.user_calls() == []


def test_a_pre_hashed_email_is_passed_through(world, messages):
    user = messages.profile(mpid="1")
    user["user_identities"] = [
        {"type": "email", "encoding": "sha256", "value": ALICE.upper()}
    ]
    forward(world, messages, user)

    assert world.members("email") == [{"EMAIL": ALICE}]


def test_one_bad_user_never_fails_the_others(world, messages, caplog):
    users = [
        messages.profile(
            mpid="1",
            email="alice@example.com",
            identities=[("mobile_number", "+0000000000")],
        ),
        messages.profile(mpid="2", identities=[("customer", "C-2")]),
        messages.profile(
            mpid="3",
            email="carol@example.net",
            identities=[("mobile_number", "+1 (650) 555-0100")],
        ),
    ]
    caplog.set_level(logging.WARNING, logger="harness.engine")
    forward(
        world,
        messages,
        *users,
        enableMultiKeyAudience="true",
        forwardIdfas="false",
        forwardGoogleAdvertisingIds="false",
    )

    assert same(world.members("email"), [{"EMAIL": CAROL}, {"EMAIL": ALICE}])
    assert world.members("phone") == [{"PHONE": US_PHONE}]
    assert (
        world.members("multi_key")
        == sorted([{"EMAIL": ALICE}, {"EMAIL": CAROL, "PHONE": US_PHONE}], key=str)
        or len(world.members("multi_key")) == 2
    )
    skipped = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert any("no usable identifier for the phone audience" in s for s in skipped)
    assert any("no usable identifier for the multi_key audience" in s for s in skipped)
    assert EMPTY_DIGEST not in world.sent_text()


def test_a_user_whose_rows_cannot_be_built_costs_nobody_else(
    world, messages, monkeypatch
):
    real_cell = rows_module.normalise.cell

    def cell_failing_for_bob(key, value, **context):
        if value == "bob@example.org":
            raise TypeError("EMAIL: unexpected value")
        return real_cell(key, value, **context)

    monkeypatch.setattr(rows_module.normalise, "cell", cell_failing_for_bob)
    forward(
        world,
        messages,
        messages.profile(mpid="1", email="alice@example.com"),
        messages.profile(mpid="2", email="bob@example.org"),
    )

    assert world.members("email") == [{"EMAIL": ALICE}]
    [notice] = [
        n for n in world.engine.connections[7301].notices if n.audience_kind == "all"
    ]
    assert "TypeError" in notice.reason and "bob" not in notice.reason
