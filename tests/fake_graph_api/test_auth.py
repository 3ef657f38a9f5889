import pytest

from fake_graph_api.auth import appsecret_proof

ACCOUNT = "act_1001"
LIST = f"/v19.0/{ACCOUNT}/customaudiences"


@pytest.fixture
def tokens(graph):
    graph.control(
        "POST",
        "setup",
        {
            "ad_accounts": [{"id": "act_2002"}],
            "tokens": [
                {"token": "tok-read", "ad_accounts": [ACCOUNT], "access": "read"},
                {"token": "tok-old", "ad_accounts": [ACCOUNT], "expired": True},
                {"token": "tok-other", "ad_accounts": ["act_2002"]},
            ],
        },
    )
    return graph


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        pytest.param(None, (104, None), id="missing"),
        pytest.param("nonsense", (190, None), id="unknown"),
        pytest.param("tok-old", (190, 463), id="expired"),
    ],
)
def test_bad_tokens(tokens, error_of, token, expected):
    params = {"access_token": token} if token else {}

    answer = tokens.http.get(LIST, params=params)

    assert error_of(answer) == expected
    assert answer.headers["www-authenticate"].startswith('OAuth "Facebook Platform"')


def test_token_expiry_follows_the_virtual_clock(tokens, error_of):
    now = tokens.control("GET", "clock")["now"]
    tokens.control("POST", "tokens", {"token": "tok-soon", "expires_at": now + 60})

    before = tokens.http.get(LIST, params={"access_token": "tok-soon"})
    tokens.control("POST", "clock/advance", {"seconds": 61})
    after = tokens.http.get(LIST, params={"access_token": "tok-soon"})

    assert before.status_code == 200
    assert error_of(after) == (190, 463)


def test_other_accounts_objects_look_missing(tokens, error_of):
    audience_id = tokens.create()
    other = {"access_token": "tok-other"}

    read = tokens.http.get(f"/v19.0/{audience_id}", params=other)
    missing = tokens.http.get("/v19.0/23899999999999999", params=other)
    listing = tokens.http.get(LIST, params=other)

    assert error_of(read) == error_of(missing) == error_of(listing) == (100, 33)
    strip = audience_id, "23899999999999999"
    assert (
        read.json()["error"]["message"].replace(strip[0], strip[1])
        == (missing.json()["error"]["message"])
    )


def test_read_only_token_reads_but_cannot_write(tokens, error_of):
    reader = {"access_token": "tok-read"}
    audience_id = tokens.create()

    read = tokens.http.get(f"/v19.0/{audience_id}", params=reader)
    write = tokens.http.delete(f"/v19.0/{audience_id}", params=reader)

    assert read.status_code == 200
    assert error_of(write) == (200, None)
    assert tokens.control("GET", f"audiences/{audience_id}")["deleted"] is False


@pytest.mark.parametrize(
    ("proof", "accepted"),
    [
        pytest.param("right", True, id="right-proof"),
        pytest.param("0" * 64, False, id="wrong-proof"),
        pytest.param(None, False, id="no-proof"),
    ],
)
def test_appsecret_proof_is_checked_when_the_account_has_a_secret(
    tokens, error_of, proof, accepted
):
    tokens.control("POST", f"ad_accounts/{ACCOUNT}", {"app_secret": "s3cret"})
    params = dict(tokens.auth)
    if proof:
        right = appsecret_proof("s3cret", params["access_token"])
        params["appsecret_proof"] = right if proof == "right" else proof

    answer = tokens.http.get(LIST, params=params)

    assert (answer.status_code == 200) is accepted
    if not accepted:
        assert error_of(answer) == (100, None)
