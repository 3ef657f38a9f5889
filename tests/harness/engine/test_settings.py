import dataclasses

import pytest

from harness.engine.errors import SettingsError
from harness.engine.settings import (
    SETTINGS,
    ConnectionSettings,
    parse_settings,
    settings_from_names,
)

ACCOUNT = {"adAccountId": "act_1001", "accessToken": "fbca-dev-token"}
SOURCE = {"customerFileSource": "USER_PROVIDED_ONLY"}


def parse(**connection):
    return parse_settings(ACCOUNT, {**SOURCE, **connection})


def test_the_table_and_the_typed_object_list_the_same_settings_in_order():
    assert [f.name for f in dataclasses.fields(ConnectionSettings)] == [
        setting.name for setting in SETTINGS
    ]


def test_defaults_are_the_documented_ones():
    settings = parse()

    assert settings.forward_emails and settings.forward_phones
    assert settings.forward_facebook_ids and settings.forward_idfas
    assert settings.forward_google_advertising_ids
    assert not settings.enable_multi_key_audience
    assert not settings.match_on_user_attributes
    assert not settings.is_audience_value_based and not settings.allow_zero_values
    assert settings.external_email_identity_type == "email"
    assert settings.multi_key_external_id_type == "none"
    assert settings.multi_key_audience_suffix == "(multi-key)"
    assert settings.bulk_flush_seconds == 10_800
    assert settings.bulk_flush_messages == 750_000
    assert not settings.hash_device_ids
    assert settings.default_phone_region is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("true", True, id="lower-true"),
        pytest.param("False", False, id="capitalised-false"),
        pytest.param(" TRUE ", True, id="padded-upper"),
    ],
)
def test_booleans_arrive_as_strings(raw, expected):
    assert parse(forwardPhones=raw).forward_phones is expected


def test_a_bad_boolean_names_the_setting():
    with pytest.raises(SettingsError, match="forwardEmails") as caught:
        parse(forwardEmails="yes")
    assert caught.value.setting == "forwardEmails"


def test_customer_file_source_left_unselected_is_refused():
    with pytest.raises(SettingsError, match="UNSELECTED") as caught:
        parse_settings(ACCOUNT, {})
    assert caught.value.setting == "customerFileSource"


def test_unknown_customer_file_source_is_refused():
    with pytest.raises(SettingsError, match="customerFileSource"):
        parse(customerFileSource="FROM_A_FRIEND")


def test_value_based_needs_a_value_attribute():
    with pytest.raises(SettingsError) as caught:
        parse(isAudienceValueBased="true")
    assert caught.value.setting == "userAttributeRepresentingValue"


def test_value_based_with_its_attribute_is_fine():
    settings = parse(isAudienceValueBased="true", userAttributeRepresentingValue="ltv")
    assert settings.user_attribute_representing_value == "ltv"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("act_1001", "act_1001", id="with-prefix"),
        pytest.param("1001", "act_1001", id="bare-digits"),
    ],
)
def test_ad_account_id_is_normalised(raw, expected):
    assert parse_settings({**ACCOUNT, "adAccountId": raw}, SOURCE).ad_account_id == (
        expected
    )


def test_a_missing_token_is_named():
    with pytest.raises(SettingsError, match="accessToken"):
        parse_settings({"adAccountId": "act_1001"}, SOURCE)


@pytest.mark.parametrize(
    ("setting", "raw"),
    [
        pytest.param("externalEmailIdentityType", "fax", id="email-type-unknown"),
        pytest.param("externalEmailIdentityType", "none", id="email-type-none"),
        pytest.param("multiKeyExternalIdType", "ios_advertising_id", id="device-id"),
        pytest.param("bulkFlushSeconds", "-5", id="negative-seconds"),
        pytest.param("bulkFlushMessages", "many", id="words-for-count"),
        pytest.param("defaultPhoneRegion", "Britain", id="region-name"),
        pytest.param("facebookApplicationId", "app-1", id="app-id-not-numeric"),
        pytest.param("graphApiVersion", "19", id="version-without-v"),
        pytest.param("adAccountId", "acct_1", id="account-id-shape"),
    ],
)
def test_malformed_values_name_their_setting(setting, raw):
    with pytest.raises(SettingsError) as caught:
        parse(**{setting: raw})
    assert caught.value.setting == setting


def test_identity_types_accept_ui_spelling():
    settings = parse(
        externalEmailIdentityType="Other 2", multiKeyExternalIdType="Customer"
    )
    assert settings.external_email_identity_type == "other2"
    assert settings.multi_key_external_id_type == "customer"


def test_facebook_ids_need_the_application_id():
    assert not parse().forwards_facebook_ids
    assert parse(facebookApplicationId="4242").forwards_facebook_ids


def test_later_maps_win_and_unknown_keys_are_ignored():
    settings = parse_settings(
        {**ACCOUNT, "forwardEmails": "true"},
        {**SOURCE, "forwardEmails": "false", "downstreamEmailAudienceId": "238"},
    )
    assert not settings.forward_emails


def test_scenario_names_become_camel_case_strings():
    assert settings_from_names({"forward_phones": False, "bulk_flush_seconds": 60}) == {
        "forwardPhones": "false",
        "bulkFlushSeconds": "60",
    }


def test_an_unknown_scenario_name_is_refused():
    with pytest.raises(SettingsError, match="forward_fax"):
        settings_from_names({"forward_fax": True})
