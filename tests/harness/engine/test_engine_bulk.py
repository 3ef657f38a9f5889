"""Bulk forwarding and the shape of the Graph calls, against the in-process fake."""

import hashlib
import json

from harness.engine.connection import user_ref

ALICE = "ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976"
BOB = "686b5e4cf4f963adf8f51468a48028ef8d15bd02fa335f821279a3d1678c9615"
A_EXAMPLE = hashlib.sha256(b"a@example.com").hexdigest()
EMAIL_ONLY = {
    "forwardPhones": "false",
    "forwardIdfas": "false",
    "forwardGoogleAdvertisingIds": "false",
}


def subscribe(world, messages, **settings):
    world.engine.handle(messages.subscription(**{**EMAIL_ONLY, **settings}))


def send(world, messages, *profiles):
    return world.engine.handle(messages.membership(*profiles))


def advance(world, messages, seconds):
    return world.engine.handle(messages.control("advance", seconds=seconds))


def users_bodies(world) -> list[dict]:
    return [json.loads(r.content) for r in world.sent if r.url.path.endswith("/users")]


def test_nothing_is_sent_before_three_hours(world, messages):
    subscribe(world, messages)
    send(world, messages, messages.profile(mpid="1", email="alice@example.com"))
    advance(world, messages, 10_799)

    assert world.user_calls() == []
    assert world.status()["pending"] == 1

    advance(world, messages, 1)

    assert world.members("email") == [{"EMAIL": ALICE}]
    assert world.status()["pending"] == 0


def test_the_timer_runs_from_the_last_upload(world, messages):
    subscribe(world, messages)
    send(world, messages, messages.profile(mpid="1", email="alice@example.com"))
    advance(world, messages, 10_800)
    advance(world, messages, 60)
    send(world, messages, messages.profile(mpid="2", email="bob@example.org"))
    advance(world, messages, 10_800 - 61)

    assert len(world.user_calls()) == 1

    advance(world, messages, 1)
    assert len(world.user_calls()) == 2


def test_enough_waiting_messages_flush_at_once(world, messages):
    subscribe(world, messages, bulkFlushMessages="2")
    send(world, messages, messages.profile(mpid="1", email="alice@example.com"))
    assert world.user_calls() == []

    send(world, messages, messages.profile(mpid="2", email="bob@example.org"))
    assert len(world.user_calls()) == 1


def test_changes_to_one_user_collapse_to_the_final_membership(world, messages):
    subscribe(world, messages)
    alice = messages.profile(mpid="1", email="alice@example.com")
    alice_left = messages.profile(mpid="1", email="alice@example.com", action="delete")
    send(world, messages, alice, messages.profile(mpid="2", email="bob@example.org"))
    send(world, messages, alice_left)
    send(world, messages, alice)
    send(world, messages, alice_left)
    advance(world, messages, 10_800)

    assert [(c["method"], c["rows"]) for c in world.user_calls()] == [
        ("DELETE", 1),
        ("POST", 1),
    ]
    assert world.members("email") == [{"EMAIL": BOB}]


def test_users_without_mpid_are_told_apart_by_their_identities(world, messages):
    subscribe(world, messages)
    send(world, messages, messages.profile(email="alice@example.com"))
    send(world, messages, messages.profile(email="bob@example.org"))
    world.engine.flush()

    assert len(world.members("email")) == 2


def test_ten_thousand_and_one_rows_make_one_session_of_two_requests(world, messages):
    subscribe(world, messages)
    profiles = [
        messages.profile(mpid=str(i), email=f"user{i}@example.com")
        for i in range(10_001)
    ]
    send(world, messages, *profiles)
    world.engine.flush()

    calls = world.user_calls()
    assert [c["rows"] for c in calls] == [10_000, 1]
    assert not any(c["payload_in_query"] for c in calls)
    assert max(c["url_length"] for c in calls) < 200
    sessions = [body["session"] for body in users_bodies(world)]
    assert len({s["session_id"] for s in sessions}) == 1
    assert [(s["batch_seq"], s["last_batch_flag"]) for s in sessions] == [
        (1, False),
        (2, True),
    ]
    assert {s["estimated_num_total"] for s in sessions} == {10_001}
    assert world.audience("email")["member_count"] == 10_001


def test_schemas_are_lists_except_app_scoped_ids(world, messages):
    subscribe(
        world,
        messages,
        facebookApplicationId="4242",
        forwardPhones="true",
        enableMultiKeyAudience="true",
    )
    user = messages.profile(
        mpid="1",
        email="alice@example.com",
        identities=[("facebook", "100012345"), ("mobile_number", "+16505550100")],
    )
    send(world, messages, user)
    world.engine.flush()

    schemas = sorted(json.dumps(b["payload"]["schema"]) for b in users_bodies(world))
    assert schemas == ['"UID"', '["EMAIL", "PHONE"]', '["EMAIL"]', '["PHONE"]']
    [uid] = [
        b["payload"] for b in users_bodies(world) if b["payload"]["schema"] == "UID"
    ]
    assert uid["app_ids"] == [4242]
    assert all(c["findings"] == [] for c in world.user_calls())


def test_removals_are_sent_in_a_json_body_too(world, messages):
    subscribe(world, messages)
    send(
        world,
        messages,
        messages.profile(mpid="1", email="a@example.com", action="delete"),
    )
    world.engine.flush()

    [request] = [r for r in world.sent if r.url.path.endswith("/users")]
    assert request.method == "DELETE"
    assert (
        json.loads(request.content)["payload"]["data"]
        == [["fb98d44ad7501a959f3f4f4a3f004fe2d9e581ea6207e218c4b02c08a4d75adf"]]
        or request.url.query == b""
    )
    assert request.url.query == b""


def test_invalid_entry_samples_are_mapped_back_to_their_user(world, messages):
    # The engine never sends a row it knows Facebook rejects, so the rejection of a
    # sent row is played by the fake: a 200 answer sampling Bob's row.
    bob_row = json.dumps([BOB], separators=(",", ":"))
    answer = {
        "num_received": 2,
        "num_invalid_entries": 1,
        "invalid_entry_samples": {bob_row: "invalid hash"},
    }
    world.control(
        "POST",
        "faults",
        {"method": "POST", "path": "/*/users", "status": 200, "body": answer},
    )
    subscribe(world, messages)
    send(
        world,
        messages,
        messages.profile(mpid="1", email="alice@example.com"),
        messages.profile(mpid="2", email="bob@example.org"),
    )
    world.engine.flush()

    connection = world.engine.connections[7301]
    assert [(n.user, n.audience_kind, n.reason) for n in connection.notices] == [
        (user_ref("mpid:2"), "email", "invalid hash")
    ]
