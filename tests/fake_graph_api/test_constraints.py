import pytest

from fake_graph_api import create_app, fake_of

ACCOUNT = "act_1001"


def test_data_source_is_locked_by_the_first_upload(graph, error_of):
    audience_id = graph.create()
    graph.users(audience_id, ["EMAIL"], [[graph.sha("a")]])

    answer = graph.users(audience_id, "EMAIL_SHA256", [graph.sha("b")])

    assert error_of(answer) == (2650, None)
    assert answer.json()["error"]["message"] == (
        "(#2650) Failed to update the custom audience: This audience was created "
        "from data source FILE_IMPORTED.MULTI_HASHES, which does not support data "
        "source FILE_IMPORTED.HASHES_OR_USER_IDS."
    )


def test_terms_not_accepted_blocks_create_and_users(graph, error_of):
    audience_id = graph.create()
    graph.control("POST", f"ad_accounts/{ACCOUNT}", {"tos_accepted": False})

    created = graph.http.post(
        f"/v19.0/{ACCOUNT}/customaudiences", params=graph.auth,
        data={"name": "x", "customer_file_source": "USER_PROVIDED_ONLY"},
    )  # fmt: skip
    added = graph.users(audience_id, ["EMAIL"], [[graph.sha("a")]])

    assert error_of(created) == error_of(added) == (200, 1870090)
    assert graph.members(audience_id) == []


def test_audience_limit_counts_existing_audiences(graph, error_of):
    graph.control(
        "POST", f"ad_accounts/{ACCOUNT}", {"audience_limit": 3, "existing_audiences": 2}
    )
    graph.create("third")

    answer = graph.http.post(
        f"/v19.0/{ACCOUNT}/customaudiences", params=graph.auth,
        data={"name": "fourth", "customer_file_source": "USER_PROVIDED_ONLY"},
    )  # fmt: skip

    assert error_of(answer) == (2654, None)


def test_removal_from_a_too_small_audience_is_refused_when_configured(graph, error_of):
    audience_id = graph.create()
    graph.users(audience_id, ["EMAIL"], [[graph.sha("a")]])
    allowed_by_default = graph.users(
        audience_id, ["EMAIL"], [[graph.sha("b")]], method="DELETE"
    )
    graph.control("POST", f"ad_accounts/{ACCOUNT}", {"removal_min_size": 100})

    refused = graph.users(audience_id, ["EMAIL"], [[graph.sha("a")]], method="DELETE")

    assert allowed_by_default.status_code == 200
    assert error_of(refused) == (200, 1870047)
    assert refused.json()["error"]["error_user_title"] == "Audience Size too Low"
    assert graph.members(audience_id) == [{"EMAIL": graph.sha("a")}]


@pytest.mark.parametrize(
    ("version", "refused"),
    [
        pytest.param("v10.0", True, id="v10-refuses"),
        pytest.param("v11.0", False, id="v11-accepts"),
    ],
)
def test_version_dependent_small_removal_option(version, refused):
    app = create_app(removal_min_size_up_to_v10=100)
    fake = fake_of(app)
    audience = fake.store.create_audience(
        ACCOUNT, {"name": "a", "customer_file_source": "USER_PROVIDED_ONLY"}, now=0
    )
    client = app.test_client()

    answer = client.delete(
        f"/{version}/{audience.id}/users",
        query_string={
            "access_token": "fbca-dev-token",
            "payload": '{"schema":["EMAIL"],"data":[["' + "a" * 64 + '"]]}',
        },
    )

    assert (answer.status_code == 400) is refused


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param({"subtype": "LOOKALIKE"}, (100, None), id="not-custom"),
        pytest.param({"operation_status": 471}, (100, 1713230), id="flagged"),
    ],
)
def test_users_edge_refuses_audiences_it_cannot_change(
    graph, error_of, change, expected
):
    audience_id = graph.create()
    graph.control("POST", f"audiences/{audience_id}", change)

    answer = graph.users(audience_id, ["EMAIL"], [[graph.sha("a")]])

    assert error_of(answer) == expected


def test_deleted_in_ads_manager_looks_missing(graph, error_of):
    audience_id = graph.create()
    graph.control("DELETE", f"audiences/{audience_id}")

    answer = graph.users(audience_id, ["EMAIL"], [[graph.sha("a")]])

    assert error_of(answer) == (100, 33)
    assert f"Object with ID '{audience_id}'" in answer.json()["error"]["message"]


def test_too_many_rows_is_the_modelled_1_99(graph, error_of):
    audience_id = graph.create()

    answer = graph.http.post(
        f"/v19.0/{audience_id}/users", params=graph.auth,
        json={"payload": {"schema": "EMAIL_SHA256", "data": ["a" * 64] * 10_001}},
    )  # fmt: skip

    assert answer.status_code == 500
    assert error_of(answer) == (1, 99)
    journal = graph.control("GET", "journal")["entries"]
    assert journal[-1]["rows"] == 10_001  # the refused request's size stays visible
