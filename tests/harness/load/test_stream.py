import json
import tracemalloc
from collections import Counter

import pytest

from harness.engine.messages import validate
from harness.load.stream import LoadPlan, MembershipStream, write_jsonl


def stream(**kwargs):
    return MembershipStream(LoadPlan(**{"users": 400, "audiences": 5, **kwargs}))


def actions(messages):
    counted = Counter()
    for message in messages:
        if message["type"] == "audience_membership_change_request":
            for profile in message["user_profiles"]:
                counted.update(entry["action"] for entry in profile["audiences"])
        else:
            counted[(message["type"], message.get("action"))] += 1
    return counted


def test_same_seed_writes_the_same_bytes(tmp_path):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"

    write_jsonl(stream(seed=11, messiness=0.5).messages(), first)
    write_jsonl(stream(seed=11, messiness=0.5).messages(), second)

    assert first.read_bytes() == second.read_bytes()


def test_another_seed_writes_other_bytes(tmp_path):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"

    write_jsonl(stream(seed=11).messages(), first)
    write_jsonl(stream(seed=12).messages(), second)

    assert first.read_bytes() != second.read_bytes()


def test_the_stream_has_every_kind_of_change():
    counted = actions(stream(users=2_000).messages())

    assert counted["add"] > counted["delete"] > 0
    assert counted["attribute_update"] > 0
    assert counted[("audience_subscription_request", "add")] == 5
    assert counted[("audience_subscription_request", "remove")] == 1
    assert counted[("fbca_control", "advance")] >= 10
    assert counted[("fbca_control", "flush")] == 1


def test_users_come_back_after_leaving():
    left, came_back = set(), set()
    for message in stream(users=2_000).messages():
        for profile in message.get("user_profiles", ()):
            for entry in profile["audiences"]:
                key = (profile["mpid"], entry["audience_id"])
                if entry["action"] == "delete":
                    left.add(key)
                elif entry["action"] == "add" and key in left:
                    came_back.add(key)

    assert 0.2 < len(came_back) / len(left) < 0.6


def test_every_message_is_valid_for_the_engine():
    for message in stream(users=300, messiness=1.0).messages():
        assert validate(message) == message["type"]


def test_a_user_appears_at_most_once_per_message():
    for message in stream(users=1_000).messages():
        mpids = [p["mpid"] for p in message.get("user_profiles", ())]
        assert len(mpids) == len(set(mpids))


def test_no_membership_change_for_a_disconnected_audience():
    connected = set()
    for message in stream(users=1_000).messages():
        if message["type"] == "audience_subscription_request":
            change = set.add if message["action"] == "add" else set.discard
            change(connected, message["audience_id"])
        for profile in message.get("user_profiles", ()):
            assert {e["audience_id"] for e in profile["audiences"]} <= connected


def test_messages_serialise_as_json():
    for message in stream(users=100, locales=("ja_JP", "fr_FR")).messages():
        assert json.loads(json.dumps(message, ensure_ascii=False)) == message


def peak_bytes(users: int) -> int:
    tracemalloc.start()
    for _ in stream(users=users, audiences=3, horizon=200, flush_every=500).messages():
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_memory_stays_flat_as_users_grow():
    small, large = peak_bytes(1_000), peak_bytes(6_000)

    assert large < small * 1.5


@pytest.mark.parametrize(
    "plan",
    [
        pytest.param({"users": 0}, id="no-users"),
        pytest.param({"audiences": 0}, id="no-audiences"),
        pytest.param({"locales": ()}, id="no-locale"),
        pytest.param({"messiness": -0.1}, id="negative-messiness"),
    ],
)
def test_bad_plans_are_refused(plan):
    with pytest.raises(ValueError):
        LoadPlan(**{"users": 10, **plan})
