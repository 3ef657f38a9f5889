"""Users without the multi-key external id still reach the multi-key audience."""

import hashlib
import json

import pytest

BOB = hashlib.sha256(b"bob@example.org").hexdigest()
MULTI_KEY_WITH_EXTERNAL_ID = {
    "forwardPhones": "false",
    "forwardIdfas": "false",
    "forwardGoogleAdvertisingIds": "false",
    "enableMultiKeyAudience": "true",
    "multiKeyExternalIdType": "customer",
}


def subscribe(world, messages, **settings):
    world.engine.handle(
        messages.subscription(**{**MULTI_KEY_WITH_EXTERNAL_ID, **settings})
    )


def customers(messages, count: int, **extra) -> list[dict]:
    return [
        messages.profile(
            mpid=f"c{i}",
            email=f"customer{i}@example.com",
            identities=[("customer", f"C-{i}")],
            **extra,
        )
        for i in range(count)
    ]


def guests(messages, count: int, **extra) -> list[dict]:
    return [
        messages.profile(mpid=f"g{i}", email=f"guest{i}@example.org", **extra)
        for i in range(count)
    ]


def multi_key_bodies(world, method: str = "POST") -> list[dict]:
    audience_id = world.status()["downstream"]["multi_key"]
    return [
        json.loads(request.content)
        for request in world.sent
        if request.url.path.endswith(f"/{audience_id}/users")
        and request.method == method
    ]


def test_a_user_without_the_external_id_is_sent_without_the_column(world, messages):
    subscribe(world, messages)
    world.engine.handle(
        messages.membership(
            *customers(messages, 1),
            messages.profile(mpid="2", email="bob@example.org"),
        )
    )
    world.engine.flush()

    schemas = [body["payload"]["schema"] for body in multi_key_bodies(world)]
    assert schemas == [["EXTERN_ID", "EMAIL"], ["EMAIL"]]
    assert {"EMAIL": BOB} in world.members("multi_key")
    assert len(world.members("multi_key")) == 2
    assert world.engine.connections[7301].notices == []
    source = world.audience("multi_key")["data_source"]
    assert source == {"type": "FILE_IMPORTED", "sub_type": "MULTI_HASHES"}


@pytest.mark.parametrize(
    ("with_id", "without_id", "expected"),
    [
        pytest.param(3, 2, [(1, 2), (2, 1), (3, 2)], id="both-schemas-split"),
        pytest.param(0, 3, [(1, 2), (2, 1)], id="only-users-without-id"),
        pytest.param(2, 0, [(1, 2)], id="only-users-with-id"),
    ],
)
def test_both_schemas_share_one_upload_session(
    make_world, messages, with_id, without_id, expected
):
    world = make_world(engine_options={"max_rows_per_request": 2})
    subscribe(world, messages)
    world.engine.handle(
        messages.membership(
            *customers(messages, with_id), *guests(messages, without_id)
        )
    )
    world.engine.flush()

    bodies = multi_key_bodies(world)
    sessions = [body["session"] for body in bodies]
    assert [
        (s["batch_seq"], len(b["payload"]["data"]))
        for s, b in zip(sessions, bodies, strict=True)
    ] == expected
    assert [s["last_batch_flag"] for s in sessions] == [
        seq == len(expected) for seq in range(1, len(expected) + 1)
    ]
    assert {s["session_id"] for s in sessions} == {sessions[0]["session_id"]}
    assert {s["estimated_num_total"] for s in sessions} == {with_id + without_id}
    assert len(world.members("multi_key")) == with_id + without_id


def test_a_removal_without_the_external_id_removes_the_member(world, messages):
    subscribe(world, messages)
    world.engine.handle(
        messages.membership(*customers(messages, 1), *guests(messages, 2))
    )
    world.engine.flush()
    world.engine.handle(messages.membership(*guests(messages, 1, action="delete")))
    world.engine.flush()

    [removal] = multi_key_bodies(world, "DELETE")
    assert removal["payload"]["schema"] == ["EMAIL"]
    guest0 = {"EMAIL": hashlib.sha256(b"guest0@example.org").hexdigest()}
    assert guest0 not in world.members("multi_key")
    assert len(world.members("multi_key")) == 2
    assert world.engine.connections[7301].notices == []


def test_value_based_rows_without_the_external_id_keep_their_value(world, messages):
    subscribe(
        world,
        messages,
        isAudienceValueBased="true",
        userAttributeRepresentingValue="ltv",
    )
    world.engine.handle(
        messages.membership(
            messages.profile(mpid="2", email="bob@example.org", attributes={"ltv": "7"})
        )
    )
    world.engine.flush()

    [body] = multi_key_bodies(world)
    assert body["payload"]["schema"] == ["EMAIL", "LOOKALIKE_VALUE"]
    assert world.members("multi_key") == [{"EMAIL": BOB, "LOOKALIKE_VALUE": 7}]
