import pytest

from harness.engine import messages as protocol
from harness.engine.errors import InvalidMessageError


def test_valid_messages_pass_and_give_their_type(messages):
    profile = messages.profile(mpid="1", email="alice@example.com")

    assert protocol.validate(messages.subscription()) == "audience_subscription_request"
    assert protocol.validate(messages.membership(profile)) == (
        "audience_membership_change_request"
    )
    assert protocol.validate(messages.control("flush")) == "fbca_control"


def test_a_keep_alive_without_profiles_is_valid(messages):
    keep_alive = messages.membership()

    assert "user_profiles" not in keep_alive
    assert protocol.validate(keep_alive) == "audience_membership_change_request"
    assert protocol.membership_changes(keep_alive) == []


@pytest.mark.parametrize(
    ("path", "value", "expected_path"),
    [
        pytest.param(
            ["user_profiles", 0, "user_identities", 0, "type"],
            "Email",
            "$.user_profiles[0].user_identities[0].type",
            id="identity-type-case",
        ),
        pytest.param(
            ["user_profiles", 0, "audiences", 0, "action"],
            "remove",
            "$.user_profiles[0].audiences[0].action",
            id="audience-action",
        ),
        pytest.param(
            ["user_profiles", 0, "audiences", 0, "audience_id"],
            "7301",
            "$.user_profiles[0].audiences[0].audience_id",
            id="audience-id-string",
        ),
        pytest.param(
            ["account", "account_settings", "forwardEmails"],
            True,
            "$.account.account_settings.forwardEmails",
            id="setting-not-string",
        ),
        pytest.param(["account"], KeyError, "$.account", id="account-missing"),
        pytest.param(
            ["user_profiles", 0, "device_identities", 0, "encoding"],
            "base64",
            "$.user_profiles[0].device_identities[0].encoding",
            id="bad-encoding",
        ),
    ],
)
def test_an_invalid_membership_names_the_field(
    messages, mutations, path, value, expected_path
):
    message = messages.membership(
        messages.profile(
            mpid="1",
            email="alice@example.com",
            devices=[("ios_advertising_id", "6D92078A-8246-4BA4-AE5B-76104861E7DC")],
        )
    )

    with pytest.raises(InvalidMessageError) as caught:
        protocol.validate(mutations.broken(message, path, value))
    assert caught.value.path == expected_path


def test_an_unknown_message_type_is_named(messages):
    with pytest.raises(InvalidMessageError) as caught:
        protocol.validate({"type": "event_processing_request"})
    assert caught.value.path == "$.type"


def test_a_message_that_is_not_an_object_is_refused():
    with pytest.raises(InvalidMessageError, match="JSON object"):
        protocol.validate(["audience_subscription_request"])


@pytest.mark.parametrize(
    ("message", "expected_path"),
    [
        pytest.param(
            {"type": "fbca_control", "action": "advance"},
            "$.seconds",
            id="advance-without-seconds",
        ),
        pytest.param(
            {"type": "fbca_control", "action": "rewind"},
            "$.action",
            id="unknown-action",
        ),
        pytest.param(
            {"type": "fbca_control", "action": "advance", "seconds": -1},
            "$.seconds",
            id="negative-seconds",
        ),
    ],
)
def test_invalid_control_messages_name_the_field(message, expected_path):
    with pytest.raises(InvalidMessageError) as caught:
        protocol.validate(message)
    assert caught.value.path == expected_path


def test_subscription_action_must_be_known(messages):
    with pytest.raises(InvalidMessageError) as caught:
        protocol.validate(messages.subscription(action="delete"))
    assert caught.value.path == "$.action"


def test_membership_changes_flatten_profiles_and_audiences(messages):
    profile = messages.profile(
        mpid="42", email="alice@example.com", attributes={"$FirstName": "Ana"}
    )
    profile["audiences"].append(
        {"audience_id": 7100, "audience_name": "Trial Users", "action": "delete"}
    )

    changes = protocol.membership_changes(messages.membership(profile))

    assert [(c.audience_id, c.is_member) for c in changes] == [
        (7301, True),
        (7100, False),
    ]
    assert changes[0].attributes[0].key == "$FirstName"
    assert changes[1].path == "$.user_profiles[0].audiences[1]"
    assert changes[0].profile.key == "mpid:42"


def test_a_user_without_mpid_is_keyed_by_identities(messages):
    first = messages.profile(email="alice@example.com", identities=[("customer", "C1")])
    second = messages.profile(
        identities=[("customer", "C1")], email="alice@example.com"
    )

    keys = {
        protocol.membership_changes(messages.membership(p))[0].profile.key
        for p in (first, second)
    }
    assert len(keys) == 1


def test_identity_type_names_are_the_protocol_ones():
    assert "phone_number_2" in protocol.USER_IDENTITY_TYPES
    assert "other10" in protocol.USER_IDENTITY_TYPES
    assert "google_advertising_id" in protocol.DEVICE_IDENTITY_TYPES
    assert "customer_id" not in protocol.USER_IDENTITY_TYPES


def test_fast_check_agrees_with_jsonschema_on_every_broken_field(messages, mutations):
    """The compiled fast check may only say yes where jsonschema finds no error."""
    profile = messages.profile(mpid="1", email="alice@example.com")
    originals = [
        messages.subscription(),
        messages.membership(profile),
        messages.control("advance", seconds=10),
    ]

    checked = refused = 0
    for original in originals:
        kind = original["type"]
        for path, value, broken in mutations.every_broken(original):
            strict = next(protocol._validator(kind).iter_errors(broken), None)
            assert protocol._accepts(kind)(broken) == (strict is None), (path, value)
            checked += 1
            refused += strict is not None

    assert checked > 300 and refused > 100
