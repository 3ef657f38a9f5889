"""Bad input never breaks the fake: no 5xx, always a Graph envelope, no state change.

Hypothesis draws requests over the Graph routes (good and bad versions, nodes, edges
and methods), their parameters (known names and junk, values of every JSON type, huge
numbers, unicode) and how they travel (query, form with JSON-string values, JSON
body, multipart, raw garbage). Every answer must be a JSON object: a Graph error
envelope with a 4xx status, or a 200 success. A refused request must leave
`/_fake/state` exactly as it found it.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from fake_graph_api import create_app

AD_ACCOUNT = "act_1001"
TOKEN = "fuzz-token"
CONFIG = {
    "ad_accounts": [{"id": AD_ACCOUNT, "tos_accepted": True}],
    "app_ids": ["111"],
    "tokens": [{"token": TOKEN, "ad_accounts": [AD_ACCOUNT], "access": "full"}],
}
HASH = "f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79"
PARAM_NAMES = (
    "payload",
    "session",
    "name",
    "description",
    "subtype",
    "customer_file_source",
    "is_value_based",
    "retention_days",
    "fields",
    "limit",
    "after",
    "before",
    "summary",
    "method",
    "namespace",
    "id",
    "appsecret_proof",
)
SCHEMA_KEYS = ("EMAIL", "PHONE", "FN", "EXTERN_ID", "MADID", "LOOKALIKE_VALUE", "UID")

huge_numbers = st.sampled_from([2**63, -(2**63) - 1, 10**400, 1e308, -0.0, 2**31])
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | huge_numbers
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["", HASH, HASH.upper(), "\u0000", "\ud7ff\ue000", "é🙂"])
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
schemas = (
    st.sampled_from(["EMAIL_SHA256", "PHONE_SHA256", "MOBILE_ADVERTISER_ID", "UID"])
    | st.lists(st.sampled_from(SCHEMA_KEYS), max_size=4)
    | json_values
)
rows = st.lists(
    st.lists(st.sampled_from(["", HASH, "67", 4.5, -1]) | scalars, max_size=4)
    | scalars,
    max_size=5,
)
payloads = st.fixed_dictionaries(
    {"schema": schemas, "data": rows},
    optional={"app_ids": json_values, "is_raw": json_values, "page_ids": json_values},
)
sessions = st.fixed_dictionaries(
    {},
    optional={
        "session_id": json_values,
        "batch_seq": json_values,
        "last_batch_flag": json_values,
    },
)
cells = st.sampled_from([HASH, HASH, "", "67", HASH.upper(), "mary@example.com"])


@st.composite
def well_formed_payloads(draw) -> dict:
    """Payloads of the right shape, so the users call can succeed or fail late."""
    if draw(st.booleans()):
        hashes = draw(st.lists(cells, min_size=1, max_size=5))
        return {
            "schema": draw(st.sampled_from(["EMAIL_SHA256", "PHONE_SHA256"])),
            "data": hashes,
        }
    schema = draw(
        st.lists(st.sampled_from(SCHEMA_KEYS[:5]), min_size=1, max_size=4, unique=True)
    )
    row = st.lists(cells, min_size=len(schema), max_size=len(schema))
    return {"schema": schema, "data": draw(st.lists(row, min_size=1, max_size=4))}


users_params = st.fixed_dictionaries(
    {"payload": well_formed_payloads() | payloads | json_values},
    optional={"session": sessions | json_values},
)
other_params = st.dictionaries(
    st.sampled_from(PARAM_NAMES) | st.text(max_size=10),
    st.one_of(json_values, payloads, sessions),
    max_size=5,
)
params = st.one_of(users_params, users_params, other_params)


def mostly(common: st.SearchStrategy, rare: st.SearchStrategy) -> st.SearchStrategy:
    """`common` five draws in six, `rare` otherwise; shrinks towards `common`."""
    return st.integers(0, 5).flatmap(lambda n: rare if n == 5 else common)


# Mostly well-formed routes with a valid token, so the payload checks get exercised;
# the rest aims at routing, versions and authentication.
GOOD_ROUTES = [
    ("{account}", "customaudiences"),
    ("{audience}", None),
    ("{audience}", "users"),
    ("{audience}", "users"),
    ("{audience}", "usersreplace"),
    ("{populated}", "users"),
    ("{populated}", "users"),
    ("{populated}", None),
    ("{deleted}", "users"),
    ("{unknown}", None),
]
good_routes = st.sampled_from(GOOD_ROUTES)
junk_routes = st.tuples(
    st.sampled_from(["{account}", "{audience}", "act_", "act_abc", "me", "-1", "%00"])
    | st.sampled_from(["238" + "9" * 40, "0"]),
    st.sampled_from([None, "sessions", "adaccounts", "users/x"]) | st.text(max_size=10),
)
routes = mostly(good_routes, junk_routes)
junk_versions = st.sampled_from(
    ["", "19.0", "v2.80", "V19.0", "v19", "v19.0.1", "vé.0", "v99999999999999999999.0"]
)
good_versions = st.sampled_from(["v19.0", "v12.0", "v9.0"])
versions = mostly(good_versions, junk_versions)
methods = mostly(
    st.sampled_from(["POST", "POST", "GET", "DELETE"]),
    st.sampled_from(["PUT", "PATCH", "OPTIONS"]),
)
encodings = st.sampled_from(["form", "form", "query", "json", "multipart", "garbage"])
tokens = mostly(
    st.just("query"), st.sampled_from(["form", "bearer", "missing", "unknown"])
)


def pep3333_path(app):
    """httpx's WSGITransport passes PATH_INFO as decoded unicode; WSGI wants the
    UTF-8 bytes seen as latin-1, which is what a real server hands the app."""

    def wsgi(environ, start_response):
        environ["PATH_INFO"] = environ["PATH_INFO"].encode().decode("latin-1")
        return app(environ, start_response)

    return wsgi


@pytest.fixture(scope="module")
def fuzz_client() -> httpx.Client:
    app = pep3333_path(create_app(CONFIG, seed=7))
    transport = httpx.WSGITransport(app=app, raise_app_exceptions=True)
    with httpx.Client(transport=transport, base_url="http://graph.fake") as client:
        yield client


def fresh_world(graph: httpx.Client) -> dict[str, str]:
    """Reset the fake; an empty, a populated and a deleted audience to aim at."""
    graph.post("/_fake/reset", json={}).raise_for_status()
    ids = {"{account}": AD_ACCOUNT, "{unknown}": "23800000000000001"}
    for name in ("{audience}", "{populated}", "{deleted}"):
        answer = graph.post("/_fake/audiences", json={"ad_account": AD_ACCOUNT})
        ids[name] = answer.raise_for_status().json()["id"]
    graph.delete(f"/_fake/audiences/{ids['{deleted}']}").raise_for_status()
    people = {"schema": ["EMAIL", "FN"], "data": [[HASH, HASH], [HASH[::-1], ""]]}
    graph.post(
        f"/v19.0/{ids['{populated}']}/users",
        params={"access_token": TOKEN},
        data={"payload": json.dumps(people)},
    ).raise_for_status()
    return ids


def state_of(graph: httpx.Client, ids: dict[str, str]) -> dict:
    """The control API's state dump plus the members of the live audiences."""
    state = graph.get("/_fake/state").raise_for_status().json()
    state.pop("now", None)
    for name in ("{audience}", "{populated}"):
        answer = graph.get(f"/_fake/audiences/{ids[name]}/members")
        state[name] = answer.raise_for_status().json()["members"]
    return state


def encode(value) -> str:
    """How a parameter value travels in a query or form: JSON text, or itself."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def build_request(drawn: dict, ids: dict[str, str]) -> dict:
    """httpx.request() arguments for one drawn request."""
    node, edge = drawn["route"]
    segments = [drawn["version"], ids.get(node, node)]
    if edge is not None:
        segments.append(edge)
    url = "/" + "/".join(quote(segment, safe="") for segment in segments)
    request = {"method": drawn["method"], "url": url, "params": {}, "headers": {}}

    fields = {name: encode(value) for name, value in drawn["params"].items()}
    place_token(request, fields, drawn["token"])
    place_params(request, fields, drawn)
    return request


def place_token(request: dict, fields: dict, how: str) -> None:
    if how == "query":
        request["params"]["access_token"] = TOKEN
    elif how == "form":
        fields["access_token"] = TOKEN
    elif how == "bearer":
        request["headers"]["Authorization"] = f"Bearer {TOKEN}"
    elif how == "unknown":
        request["params"]["access_token"] = "not-a-token"


def place_params(request: dict, fields: dict, drawn: dict) -> None:
    """Query, form fields with JSON-string values, JSON body, multipart or garbage."""
    encoding = drawn["encoding"]
    if encoding == "query" or drawn["method"] in ("GET", "OPTIONS"):
        request["params"].update(fields)
    elif encoding == "form":
        request["data"] = fields
    elif encoding == "json":
        token = (
            {"access_token": fields["access_token"]} if "access_token" in fields else {}
        )
        # json.dumps, not httpx's json=: infinities become the invalid `Infinity`.
        request["content"] = json.dumps({**drawn["params"], **token}).encode()
        request["headers"]["Content-Type"] = "application/json"
    elif encoding == "multipart":
        request["files"] = {name: (None, text) for name, text in fields.items()}
    else:
        request["content"] = drawn["garbage"]
        request["headers"]["Content-Type"] = drawn["content_type"]


requests = st.fixed_dictionaries(
    {
        "version": versions,
        "route": routes,
        "method": methods,
        "params": params,
        "encoding": encodings,
        "token": tokens,
        "garbage": st.binary(max_size=64),
        "content_type": st.sampled_from(
            ["application/json", "application/x-www-form-urlencoded", "text/plain"]
        ),
    }
)


def assert_graph_answer(answer: httpx.Response) -> dict:
    """The answer is a JSON object: an error envelope with 4xx, or a 200 success."""
    assert answer.status_code < 500, answer.text
    body = answer.json()
    assert isinstance(body, dict), answer.text
    if "error" not in body:
        assert answer.status_code == 200, answer.text
        return body
    error = body["error"]
    assert 400 <= answer.status_code < 500, answer.text
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["type"], str) and error["type"]
    assert isinstance(error["code"], int)
    assert isinstance(error["fbtrace_id"], str) and error["fbtrace_id"]
    return body


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=requests)
def test_any_request_gets_a_graph_answer_and_refusals_change_nothing(
    fuzz_client, drawn
):
    ids = fresh_world(fuzz_client)
    before = state_of(fuzz_client, ids)

    answer = fuzz_client.request(**build_request(drawn, ids))

    body = assert_graph_answer(answer)
    event(f"{answer.status_code} code {body.get('error', {}).get('code')}")
    if "error" in body:
        assert state_of(fuzz_client, ids) == before, (
            f"refused request changed state: {body}"
        )
