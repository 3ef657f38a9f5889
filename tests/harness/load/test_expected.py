import pytest

from harness.engine.settings import parse_settings
from harness.load.check import check_membership
from harness.load.expected import ExpectedMembership, downstream_names, user_rows

ALICE = "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976"
UK_PHONE = "033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd"
ACCOUNT = {"adAccountId": "act_1001", "accessToken": "fbca-dev-token"}
SOURCE = {"customerFileSource": "USER_PROVIDED_ONLY"}


def settings(**extra):
    return parse_settings(ACCOUNT, {**SOURCE, **extra})


def profile(mpid="1", **identities):
    return {
        "mpid": mpid,
        "user_identities": [
            {"type": kind, "encoding": "raw", "value": value}
            for kind, value in identities.items()
            if kind != "ios_advertising_id"
        ],
        "device_identities": [
            {"type": "ios_advertising_id", "encoding": "raw", "value": value}
            for kind, value in identities.items()
            if kind == "ios_advertising_id"
        ],
    }


ALICE_PROFILE = profile(email=" Alice@Example.com ", mobile_number="+44 7700 900123")


def test_each_forwarded_identity_gets_its_own_audience():
    rows = user_rows(ALICE_PROFILE, {}, settings())

    assert downstream_names("Cart", settings()) == (
        "Cart (email)",
        "Cart (IDFA/GAID)",
        "Cart (phone)",
    )
    assert rows == [{"EMAIL": ALICE}, None, {"PHONE": UK_PHONE}]


def test_multi_key_row_carries_every_identity_and_the_attributes():
    chosen = settings(enableMultiKeyAudience="true", matchOnUserAttributes="true")

    multi_key = user_rows(ALICE_PROFILE, {"$gender": "Female"}, chosen)[-1]

    assert multi_key["EMAIL"] == ALICE and multi_key["PHONE"] == UK_PHONE
    assert multi_key["GEN"].startswith("252f10c8")


def test_multi_key_row_needs_an_identifying_cell():
    chosen = settings(enableMultiKeyAudience="true", matchOnUserAttributes="true")

    rows = user_rows(profile(email="n/a"), {"$firstname": "Jane"}, chosen)

    assert rows[-1] is None


@pytest.mark.parametrize(
    ("value", "allow_zero", "sent"),
    [
        pytest.param("44.5", "false", 44.5, id="positive"),
        pytest.param("0", "false", None, id="zero-not-allowed"),
        pytest.param("0", "true", 0, id="zero-allowed"),
        pytest.param(None, "true", 0, id="missing-allowed"),
        pytest.param("-3", "true", None, id="negative"),
        pytest.param("n/a", "true", None, id="not-a-number"),
    ],
)
def test_value_based_rows(value, allow_zero, sent):
    chosen = settings(
        isAudienceValueBased="true",
        userAttributeRepresentingValue="ltv",
        allowZeroValues=allow_zero,
    )
    attributes = {} if value is None else {"ltv": value}

    rows = user_rows(ALICE_PROFILE, attributes, chosen)

    if sent is None:
        assert rows is None
    else:
        assert rows[0] == {"EMAIL": ALICE, "LOOKALIKE_VALUE": sent}


def test_facebook_ids_need_an_application_id():
    with_app = settings(facebookApplicationId="555")

    assert "Cart (fb id)" not in downstream_names("Cart", settings())
    assert "Cart (fb id)" in downstream_names("Cart", with_app)


def subscription(action="add", **extra):
    return {
        "type": "audience_subscription_request",
        "account": {"account_settings": ACCOUNT},
        "audience_id": 7301,
        "audience_name": "Cart",
        "audience_subscription_settings": {**SOURCE, **extra},
        "action": action,
    }


def change(action, who=ALICE_PROFILE, **attributes):
    entry = {"audience_id": 7301, "action": action}
    entry["user_attributes"] = [
        {"key": key, "value": value, "action": "upsert"}
        for key, value in attributes.items()
    ]
    return {
        "type": "audience_membership_change_request",
        "user_profiles": [{**who, "audiences": [entry]}],
    }


class StubControl:
    def __init__(self, audiences, members):
        self.audiences, self._members = audiences, members

    def state(self):
        return {"ad_accounts": [{"audiences": self.audiences}]}

    def members(self, audience_id):
        return self._members.get(audience_id, [])


def fake_with(email_members, *, deleted=False):
    audiences = [{"id": "1", "name": "Cart (email)", "deleted": deleted}]
    return StubControl(audiences, {"1": email_members})


def watched(*messages):
    expected = ExpectedMembership()
    for message in messages:
        expected.observe(message)
    return expected


def verdict(expected, control, name="Cart (email)"):
    return next(
        a for a in check_membership(expected, control).audiences if a.name == name
    )


def test_a_user_who_left_must_be_gone():
    expected = watched(subscription(), change("add"), change("delete"))

    assert verdict(expected, fake_with([])).ok
    assert not verdict(expected, fake_with([{"EMAIL": ALICE}])).ok


def test_a_missing_member_is_named_by_mpid():
    found = verdict(watched(subscription(), change("add")), fake_with([]))

    assert (found.missing, found.missing_users) == (1, ["1"])


def test_a_value_gone_bad_after_forwarding_may_stay_or_go():
    value_based = {
        "isAudienceValueBased": "true",
        "userAttributeRepresentingValue": "ltv",
    }
    expected = watched(
        subscription(**value_based),
        change("add", ltv="10"),
        change("attribute_update", ltv="0"),
    )
    old_row = {"EMAIL": ALICE, "LOOKALIKE_VALUE": 10}

    assert verdict(expected, fake_with([old_row])).ok
    assert verdict(expected, fake_with([])).ok
    assert not verdict(expected, fake_with([{**old_row, "LOOKALIKE_VALUE": 3}])).ok


def test_a_disconnected_audience_must_be_deleted():
    expected = watched(subscription(), change("add"), subscription("remove"))

    assert verdict(expected, fake_with([], deleted=True)).ok
    assert not verdict(expected, fake_with([{"EMAIL": ALICE}])).ok
