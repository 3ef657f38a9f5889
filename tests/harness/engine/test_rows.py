import pytest

from harness.engine import rows
from harness.engine.messages import Identity, Profile
from harness.engine.rows import UserAttributes, build_rows
from harness.engine.settings import parse_settings

ALICE = "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976"
BOB = "686b5e4cf4f963adf8f51468a48028ef8d15bd02fa335f821279a3d1678c9615"
UK_PHONE = "033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd"
US_PHONE = "43b63f22d478442e6d58c9ba5eef8a8b378b9990aafb681d11e231e3ceab6294"
DE_PHONE = "c0f8f0bebbbac96451ee8d8def84a02ae9e34c877775437cb9d458328315afa7"
JANE = "81f8f6dde88365f3928796ec7aa53f72820b06db8664f5fe76a7eb13e24546a2"
OBRIEN = "b4cb6cb33fe4b865868de825023a1e2790dc12ac01ecc8d7c5afe8254071c8ba"
EMPTY_DIGEST = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
IDFA = "6D92078A-8246-4BA4-AE5B-76104861E7DC"


def settings(**connection):
    return parse_settings(
        {"adAccountId": "act_1001", "accessToken": "t"},
        {"customerFileSource": "USER_PROVIDED_ONLY", **connection},
    )


def profile(*identities, devices=()):
    return Profile(
        mpid="1",
        user_identities=tuple(Identity(t, "raw", v) for t, v in identities),
        device_identities=tuple(Identity(t, "raw", v) for t, v in devices),
    )


def rows_of(kind, user, connection, attributes=None, **extra):
    return build_rows(kind, user, UserAttributes(attributes or {}), connection, **extra)


def test_audience_names_follow_the_documented_suffixes():
    connection = settings(enableMultiKeyAudience="true", facebookApplicationId="42")
    names = [
        rows.audience_name(kind, "VIP", connection)
        for kind in rows.downstream_kinds(connection)
    ]
    assert names == [
        "VIP (email)",
        "VIP (fb id)",
        "VIP (IDFA/GAID)",
        "VIP (phone)",
        "VIP (multi-key)",
    ]


def test_the_multi_key_suffix_is_a_setting():
    connection = settings(enableMultiKeyAudience="true", multiKeyAudienceSuffix="(MK)")
    assert rows.audience_name(rows.MULTI_KEY, "VIP", connection) == "VIP (MK)"


@pytest.mark.parametrize(
    ("connection", "expected"),
    [
        pytest.param({}, ["email", "idfa_gaid", "phone"], id="defaults-no-app-id"),
        pytest.param(
            {"forwardIdfas": "false"}, ["email", "idfa_gaid", "phone"], id="gaid-only"
        ),
        pytest.param(
            {"forwardIdfas": "false", "forwardGoogleAdvertisingIds": "false"},
            ["email", "phone"],
            id="no-device-ids",
        ),
        pytest.param(
            {"facebookApplicationId": "42", "forwardFacebookIds": "false"},
            ["email", "idfa_gaid", "phone"],
            id="fb-ids-off",
        ),
        pytest.param(
            {
                "facebookApplicationId": "42",
                "isAudienceValueBased": "true",
                "userAttributeRepresentingValue": "ltv",
            },
            ["email", "idfa_gaid", "phone"],
            id="value-based-has-no-uid-audience",
        ),
    ],
)
def test_which_audiences_a_connection_feeds(connection, expected):
    assert [k.id for k in rows.downstream_kinds(settings(**connection))] == expected


def test_email_is_hashed_from_the_email_identity():
    user = profile(("email", "  Alice@Example.com "))
    assert rows_of(rows.EMAIL, user, settings()) == ([[ALICE]], None)
    assert rows.schema_of(rows.EMAIL, settings()) == ["EMAIL"]


def test_external_email_identity_type_picks_another_identity():
    user = profile(("email", "bob@example.org"), ("other2", "alice@example.com"))
    connection = settings(externalEmailIdentityType="other2")
    assert rows_of(rows.EMAIL, user, connection) == ([[ALICE]], None)


def test_a_sha256_email_is_passed_through_lower_cased():
    user = profile(("email", ALICE.upper()))
    built, _ = rows_of(rows.EMAIL, user, settings())
    assert built == [[ALICE]]


def test_every_distinct_phone_is_forwarded():
    user = profile(
        ("mobile_number", "+44 7700 900123"),
        ("phone_number_2", "0044 7700 900123"),
        ("phone_number_3", "+1 (650) 555-0100"),
    )
    built, _ = rows_of(rows.PHONE, user, settings(), {"$mobile": "+49 15123456789"})
    assert built == [[UK_PHONE], [US_PHONE], [DE_PHONE]]


def test_a_local_phone_uses_the_users_country():
    user = profile(("mobile_number", "015123456789"))
    built, _ = rows_of(rows.PHONE, user, settings(), {"$Country": "de"})
    assert built == [[DE_PHONE]]


def test_a_local_phone_uses_the_default_region_when_the_country_is_unknown():
    user = profile(("mobile_number", "015123456789"))
    built, _ = rows_of(rows.PHONE, user, settings(defaultPhoneRegion="DE"))
    assert built == [[DE_PHONE]]


def test_a_placeholder_phone_skips_the_user_with_a_reason():
    user = profile(("mobile_number", "+0000000000"))
    built, reason = rows_of(rows.PHONE, user, settings())
    assert built == []
    assert "no usable identifier" in reason


def test_device_ids_share_one_audience_lower_case_and_unhashed():
    user = profile(
        devices=[("ios_advertising_id", IDFA), ("google_advertising_id", "G-1")]
    )
    built, _ = rows_of(rows.DEVICE_ID, user, settings())
    assert built == [[IDFA.lower()], ["g-1"]]


def test_device_id_hashing_is_a_setting():
    user = profile(devices=[("ios_advertising_id", IDFA)])
    built, _ = rows_of(rows.DEVICE_ID, user, settings(hashDeviceIds="true"))
    assert built == [
        ["31b806b4deec8c4cb1ffb18b9ab4ee1fa82a2b30e1f47902f04d03f5db023376"]
    ]


def test_only_the_enabled_device_id_kind_is_read():
    user = profile(
        devices=[("ios_advertising_id", IDFA), ("google_advertising_id", "G-1")]
    )
    built, _ = rows_of(rows.DEVICE_ID, user, settings(forwardIdfas="false"))
    assert built == [["g-1"]]


def test_facebook_ids_go_raw_with_the_application_id():
    connection = settings(facebookApplicationId="4242")
    user = profile(("facebook", " 100012345 "))

    assert rows.schema_of(rows.FACEBOOK_ID, connection) == "UID"
    assert rows.payload_extras(rows.FACEBOOK_ID, connection) == {"app_ids": [4242]}
    assert rows_of(rows.FACEBOOK_ID, user, connection) == (["100012345"], None)


def multi_key(**connection):
    return settings(enableMultiKeyAudience="true", **connection)


def test_multi_key_row_holds_every_selected_identity_once():
    user = profile(
        ("email", "alice@example.com"),
        ("mobile_number", "+44 7700 900123"),
        ("phone_number_2", "+1 650 555 0100"),
        devices=[("ios_advertising_id", IDFA)],
    )
    connection = multi_key()

    assert rows.schema_of(rows.MULTI_KEY, connection) == ["EMAIL", "PHONE", "MADID"]
    assert rows_of(rows.MULTI_KEY, user, connection) == (
        [[ALICE, UK_PHONE, IDFA.lower()]],
        None,
    )


def test_multi_key_external_id_is_trimmed_lower_cased_and_hashed():
    user = profile(("customer", "  ALICE@Example.com "))
    connection = multi_key(multiKeyExternalIdType="customer", forwardEmails="false")

    assert rows.schema_of(rows.MULTI_KEY, connection)[0] == "EXTERN_ID"
    built, _ = rows_of(rows.MULTI_KEY, user, connection)
    assert built[0][0] == ALICE


def test_match_on_user_attributes_fills_the_attribute_columns():
    user = profile(("email", "alice@example.com"))
    connection = multi_key(
        matchOnUserAttributes="true",
        forwardPhones="false",
        forwardIdfas="false",
        forwardGoogleAdvertisingIds="false",
    )
    attributes = {
        "$firstname": "Jane",
        "$LastName": "O'Brien",
        "$Zip": "94035-1234",
        "$Country": "United States",
        "$Gender": "Female",
    }

    built, _ = rows_of(rows.MULTI_KEY, user, connection, attributes)
    cells = dict(zip(rows.schema_of(rows.MULTI_KEY, connection), built[0], strict=True))

    assert cells["FN"] == JANE
    assert cells["LN"] == OBRIEN
    assert (
        cells["ZIP"]
        == "1794327a4d443904421f5ca1f3d72d0a62ba2f0770d80755ec2220fc0efb052e"
    )
    assert (
        cells["COUNTRY"]
        == "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621"
    )
    assert (
        cells["GEN"]
        == "252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111"
    )
    assert cells["CT"] == "" and cells["ST"] == ""
    assert EMPTY_DIGEST not in built[0]


def test_attribute_columns_stay_out_of_single_key_audiences():
    connection = settings(matchOnUserAttributes="true")
    assert rows.schema_of(rows.EMAIL, connection) == ["EMAIL"]


def test_multi_key_without_any_identifier_skips_the_user():
    user = profile(("customer", "C-1"))
    built, reason = rows_of(
        rows.MULTI_KEY,
        user,
        multi_key(matchOnUserAttributes="true"),
        {"$FirstName": "Jane"},
    )
    assert built == [] and "multi_key" in reason


def value_based(**connection):
    return settings(
        isAudienceValueBased="true", userAttributeRepresentingValue="ltv", **connection
    )


@pytest.mark.parametrize(
    ("attributes", "connection", "expected"),
    [
        pytest.param({"LTV": "44.5"}, {}, 44.5, id="decimal"),
        pytest.param({"ltv": "140"}, {}, 140, id="integer"),
        pytest.param({"ltv": "-3"}, {"allowZeroValues": "true"}, None, id="negative"),
        pytest.param({"ltv": "lots"}, {"allowZeroValues": "true"}, None, id="words"),
        pytest.param({"ltv": "0"}, {}, None, id="zero-not-allowed"),
        pytest.param({"ltv": "0"}, {"allowZeroValues": "true"}, 0, id="zero-allowed"),
        pytest.param({}, {}, None, id="missing-not-allowed"),
        pytest.param({}, {"allowZeroValues": "true"}, 0, id="missing-allowed"),
    ],
)
def test_lookalike_values(attributes, connection, expected):
    value, reason = rows.lookalike_value(
        UserAttributes(attributes), value_based(**connection)
    )
    assert value == expected
    assert (reason is None) == (expected is not None)


def test_value_based_rows_carry_the_value_as_a_number():
    connection = value_based()
    user = profile(("email", "alice@example.com"))

    assert rows.schema_of(rows.EMAIL, connection) == ["EMAIL", "LOOKALIKE_VALUE"]
    assert rows_of(rows.EMAIL, user, connection, value=44.5) == ([[ALICE, 44.5]], None)


def test_md5_identities_are_unusable():
    user = Profile("1", (Identity("email", "md5", "0" * 32),), ())
    built, reason = rows_of(rows.EMAIL, user, settings())
    assert built == [] and reason
