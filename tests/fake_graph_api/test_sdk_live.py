"""Meta's official `facebook_business` SDK against a live fake: it cannot tell.

The SDK is pointed at the fake by giving its session a plain-http GRAPH base URL;
everything else is the SDK's own code: its parameter encoding (JSON strings in form
fields, DELETE payloads in the query string), its hashing in `add_users`, its Cursor
paging and its error parsing into `FacebookRequestError`.
"""

from __future__ import annotations

import hashlib

import httpx
import pytest
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.customaudience import CustomAudience
from facebook_business.api import FacebookAdsApi
from facebook_business.exceptions import FacebookRequestError
from facebook_business.session import FacebookSession

pytestmark = pytest.mark.slow

ACCOUNT = "act_1001"
OTHER_ACCOUNT = "act_3003"
TOKEN = "sdk-full"
APP_SECRET = "shh-app-secret"
SETUP = {
    "ad_accounts": [
        {"id": ACCOUNT, "tos_accepted": True},
        {"id": "act_2002", "tos_accepted": False},
        {"id": OTHER_ACCOUNT, "tos_accepted": True, "app_secret": APP_SECRET},
    ],
    "app_ids": ["111"],
    "tokens": [
        {"token": TOKEN, "ad_accounts": [ACCOUNT, "act_2002", OTHER_ACCOUNT]},
        {"token": "sdk-read", "ad_accounts": [ACCOUNT], "access": "read"},
        {"token": "sdk-old", "ad_accounts": [ACCOUNT], "expired": True},
    ],
}
EMAILS = ["  Mary@Example.com ", "joe@example.com", "ann@example.org"]


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def control(fake_graph_server) -> httpx.Client:
    """The fake's control API, already set up with the accounts and tokens above."""
    with httpx.Client(base_url=fake_graph_server.url) as client:
        client.post("/_fake/setup", json=SETUP).raise_for_status()
        yield client


def sdk_api(url: str, token: str = TOKEN, app_secret: str | None = None):
    session = FacebookSession(access_token=token, app_secret=app_secret)
    session.GRAPH = url
    return FacebookAdsApi(session, api_version="v19.0")


@pytest.fixture
def api(fake_graph_server, control) -> FacebookAdsApi:
    return sdk_api(fake_graph_server.url)


def create_audience(api, account: str = ACCOUNT, **params) -> CustomAudience:
    fields = {
        "name": "SDK list",
        "subtype": CustomAudience.Subtype.custom,
        "customer_file_source": CustomAudience.CustomerFileSource.user_provided_only,
        **params,
    }
    fields = {key: value for key, value in fields.items() if value is not None}
    return AdAccount(account, api=api).create_custom_audience(params=fields)


def members(control: httpx.Client, audience_id: str) -> list[dict]:
    answer = control.get(f"/_fake/audiences/{audience_id}/members")
    return answer.raise_for_status().json()["members"]


def graph_error(call) -> FacebookRequestError:
    with pytest.raises(FacebookRequestError) as caught:
        call()
    return caught.value


def codes(error: FacebookRequestError) -> tuple:
    return error.api_error_code(), error.api_error_subcode()


# ---- the happy paths -------------------------------------------------------------


def test_create_returns_only_an_id_and_reads_back_requested_fields(api):
    audience = create_audience(api, description="from the SDK")

    read = CustomAudience(audience["id"], api=api).api_get(
        fields=["name", "description", "subtype", "customer_file_source"]
    )

    assert audience["id"].isdigit()
    assert read.export_all_data() == {
        "id": audience["id"],
        "name": "SDK list",
        "description": "from the SDK",
        "subtype": "CUSTOM",
        "customer_file_source": "USER_PROVIDED_ONLY",
    }


def test_create_without_customer_file_source_is_refused(api):
    error = graph_error(lambda: create_audience(api, customer_file_source=None))

    assert codes(error) == (100, None)
    assert "customer_file_source" in error.api_error_message()


def test_email_sha256_add_and_remove_change_members(api, control):
    audience = create_audience(api)
    schema = CustomAudience.Schema.email_hash

    added = audience.add_users(schema, EMAILS).json()
    removed = audience.remove_users(schema, EMAILS[:1]).json()

    expected = [sha256_hex(e.strip().lower()) for e in EMAILS[1:]]
    assert added["num_received"] == 3 and added["num_invalid_entries"] == 0
    assert added["audience_id"] == audience["id"]
    assert added["session_id"].isdigit() and removed["num_received"] == 1
    assert sorted(m["EMAIL"] for m in members(control, audience["id"])) == sorted(
        expected
    )


def test_multi_key_rows_are_hashed_by_the_sdk_and_stored_per_person(api, control):
    audience = create_audience(api)
    schema = ["EMAIL", "PHONE", "FN"]
    people = [
        ["Mary@example.com", "+1 (650) 555-1212", "Mary"],
        ["", "4915112345678", "Jo"],
    ]

    answer = audience.add_users(schema, people, is_raw=True).json()
    audience.remove_users(schema, [people[1]], is_raw=True)

    assert (answer["num_received"], answer["num_invalid_entries"]) == (2, 0)
    assert members(control, audience["id"]) == [
        {
            "EMAIL": sha256_hex("mary@example.com"),
            "PHONE": sha256_hex("16505551212"),
            "FN": sha256_hex("mary"),
        }
    ]


def test_cursor_iterates_more_than_sixty_audiences_newest_first(api, control):
    created = [create_audience(api, name=f"list {n}")["id"] for n in range(65)]

    cursor = AdAccount(ACCOUNT, api=api).get_custom_audiences(
        fields=["id", "name"], params={"limit": 25}
    )
    listed = [audience["id"] for audience in cursor]

    journal = control.get("/_fake/journal").json()["entries"]
    pages = [
        e for e in journal if e["method"] == "GET" and e["path"].endswith("audiences")
    ]
    assert listed == list(reversed(created))
    assert len(pages) == 3


def test_delete_through_the_sdk_then_reads_answer_object_not_found(api, control):
    by_node = create_audience(api)
    by_call = create_audience(api)

    by_node.api_delete()
    raw = api.call("DELETE", (by_call["id"],)).json()
    error = graph_error(lambda: by_node.api_get(fields=["name"]))

    assert raw == {"success": True}
    assert control.get(f"/_fake/audiences/{by_node['id']}").json()["deleted"] is True
    assert codes(error) == (100, 33)


# ---- every constraint surfaces as FacebookRequestError ----------------------------


def call_users(api, audience_id: str, payload: dict, method: str = "POST"):
    return api.call(method, (audience_id, "users"), params={"payload": payload})


def test_terms_not_accepted_blocks_create(api):
    error = graph_error(lambda: create_audience(api, account="act_2002"))

    assert codes(error) == (200, 1870090)


def test_audience_cap_of_500_blocks_the_next_create(api, control):
    control.post(
        "/_fake/setup",
        json={"ad_accounts": [{"id": ACCOUNT, "existing_audiences": 500}]},
    ).raise_for_status()

    error = graph_error(lambda: create_audience(api))

    assert codes(error) == (2654, None)


def test_more_than_10000_rows_are_refused(api):
    audience = create_audience(api)
    rows = [sha256_hex(str(n)) for n in range(10_001)]

    error = graph_error(
        lambda: audience.add_users(
            CustomAudience.Schema.email_hash, rows, pre_hashed=True
        )
    )

    assert codes(error) == (1, 99)


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"schema": ["EMAIL", "FN"], "data": [["a" * 64]]}, id="short-row"),
        pytest.param({"schema": ["EMAIL"], "data": [["a" * 64, "b"]]}, id="long-row"),
        pytest.param({"schema": ["EMAIL"]}, id="no-data"),
    ],
)
def test_rows_that_do_not_match_the_schema_are_refused(api, payload):
    audience = create_audience(api)

    error = graph_error(lambda: call_users(api, audience["id"], payload))

    assert codes(error) == (100, None)


def test_uid_schema_needs_app_ids(api):
    audience = create_audience(api)
    payload = {"schema": "UID", "data": ["100001"]}

    error = graph_error(lambda: call_users(api, audience["id"], payload))
    accepted = call_users(api, audience["id"], {**payload, "app_ids": ["111"]})

    assert codes(error) == (100, None)
    assert accepted.json()["num_received"] == 1


@pytest.mark.parametrize(
    ("value_based", "schema", "row"),
    [
        pytest.param(True, ["EMAIL"], ["a" * 64], id="value-based-without-value"),
        pytest.param(
            False, ["EMAIL", "LOOKALIKE_VALUE"], ["a" * 64, 3], id="value-on-plain"
        ),
        pytest.param(True, ["EMAIL", "LOOKALIKE_VALUE"], ["a" * 64, -1], id="negative"),
        pytest.param(True, ["EMAIL", "LOOKALIKE_VALUE"], ["a" * 64, "3"], id="string"),
    ],
)
def test_lookalike_value_rules(api, value_based, schema, row):
    audience = create_audience(api, is_value_based=value_based)
    payload = {"schema": schema, "data": [row]}

    error = graph_error(lambda: call_users(api, audience["id"], payload))

    assert codes(error) == (100, None)


def test_value_based_audience_takes_non_negative_values(api, control):
    audience = create_audience(api, is_value_based=True)
    rows = [["a" * 64, 44.5], ["b" * 64, 0]]

    answer = audience.add_users(
        ["EMAIL", "LOOKALIKE_VALUE"], rows, is_raw=True, pre_hashed=True
    )

    assert answer.json()["num_received"] == 2
    assert {"EMAIL": "a" * 64, "LOOKALIKE_VALUE": 44.5} in members(
        control, audience["id"]
    )


MULTI_KEY_UPLOAD = (["EMAIL", "FN"], [["mary@example.com", "mary"]], True)
SINGLE_KEY_UPLOAD = (CustomAudience.Schema.email_hash, ["joe@example.com"], False)


@pytest.mark.parametrize(
    ("first", "second", "locked_to"),
    [
        pytest.param(
            MULTI_KEY_UPLOAD, SINGLE_KEY_UPLOAD, "MULTI_HASHES", id="multi-then-single"
        ),
        pytest.param(
            SINGLE_KEY_UPLOAD,
            MULTI_KEY_UPLOAD,
            "HASHES_OR_USER_IDS",
            id="single-then-multi",
        ),
    ],
)
def test_data_source_lock_in_after_the_first_upload(api, first, second, locked_to):
    audience = create_audience(api)
    schema, users, is_raw = first
    audience.add_users(schema, users, is_raw=is_raw)

    schema, users, is_raw = second
    error = graph_error(lambda: audience.add_users(schema, users, is_raw=is_raw))

    assert codes(error) == (2650, None)
    assert (
        f"created from data source FILE_IMPORTED.{locked_to}"
        in error.api_error_message()
    )


@pytest.mark.parametrize(
    "target", ["23800000000000001", "deleted"], ids=["unknown", "deleted"]
)
def test_users_call_on_missing_audience_is_object_not_found(api, target):
    if target == "deleted":
        audience = create_audience(api)
        audience.api_delete()
        target = audience["id"]

    error = graph_error(
        lambda: CustomAudience(target, api=api).add_users("EMAIL_SHA256", ["a@b.c"])
    )

    assert codes(error) == (100, 33)


def test_removal_from_too_small_audience_is_refused_when_configured(api, control):
    control.post(f"/_fake/ad_accounts/{ACCOUNT}", json={"removal_min_size": 100})
    audience = create_audience(api)
    audience.add_users(CustomAudience.Schema.email_hash, EMAILS)

    error = graph_error(
        lambda: audience.remove_users(CustomAudience.Schema.email_hash, EMAILS[:1])
    )

    assert codes(error) == (200, 1870047)
    assert len(members(control, audience["id"])) == 3


def test_throttling_answers_80003_with_usage_header(api, control):
    control.post(f"/_fake/ad_accounts/{ACCOUNT}", json={"calls_per_hour": 3})
    account = AdAccount(ACCOUNT, api=api)

    def exhaust():
        for _ in range(5):
            list(account.get_custom_audiences(fields=["id"]))

    error = graph_error(exhaust)

    assert codes(error) == (80003, None)
    assert error.api_transient_error() is True
    assert "x-business-use-case-usage" in {k.lower() for k in error.http_headers()}


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        pytest.param("sdk-old", (190, 463), id="expired-token"),
        pytest.param("no-such-token", (190, None), id="unknown-token"),
        pytest.param("sdk-read", (200, None), id="read-only-token-writing"),
    ],
)
def test_token_problems(fake_graph_server, control, token, expected):
    api = sdk_api(fake_graph_server.url, token=token)

    error = graph_error(lambda: create_audience(api))

    assert codes(error) == expected


def test_wrong_appsecret_proof_is_refused_and_the_right_one_accepted(
    fake_graph_server, control
):
    wrong = sdk_api(fake_graph_server.url, app_secret="not-the-secret")
    right = sdk_api(fake_graph_server.url, app_secret=APP_SECRET)

    error = graph_error(lambda: create_audience(wrong, account=OTHER_ACCOUNT))
    audience = create_audience(right, account=OTHER_ACCOUNT)

    assert codes(error) == (100, None)
    assert "appsecret_proof" in error.api_error_message()
    assert audience["id"].isdigit()
