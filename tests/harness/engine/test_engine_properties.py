"""Chunking and flush timing never change what the audiences finally hold."""

import hashlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EMAIL_AND_MULTI_KEY = {
    "forwardPhones": "false",
    "forwardIdfas": "false",
    "forwardGoogleAdvertisingIds": "false",
    "enableMultiKeyAudience": "true",
}
USERS = 6

step = st.tuples(
    st.integers(0, USERS - 1),  # which user
    st.booleans(),  # joins (True) or leaves (False)
    st.sampled_from(["none", "flush", "advance"]),  # what happens after the change
)


def email_of(user: int) -> str:
    return f"user{user}@example.com"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(step, min_size=1, max_size=25),
    max_rows=st.integers(1, 4),
    batch_messages=st.integers(1, 5),
)
def test_final_audiences_depend_only_on_each_users_last_change(
    make_world, messages, steps, max_rows, batch_messages
):
    world = make_world(engine_options={"max_rows_per_request": max_rows})
    world.engine.handle(messages.subscription(**EMAIL_AND_MULTI_KEY))

    final: dict[int, bool] = {}
    batch = []
    for user, joins, then in steps:
        action = "add" if joins else "delete"
        batch.append(
            messages.profile(mpid=str(user), email=email_of(user), action=action)
        )
        final[user] = joins
        if len(batch) >= batch_messages or then != "none":
            world.engine.handle(messages.membership(*batch))
            batch = []
        if then == "flush":
            world.engine.flush()
        elif then == "advance":
            world.engine.advance(10_800)
    if batch:
        world.engine.handle(messages.membership(*batch))
    world.engine.flush()

    expected = sorted(digest(email_of(u)) for u, joined in final.items() if joined)
    for kind in ("email", "multi_key"):
        assert sorted(m["EMAIL"] for m in world.members(kind)) == expected
    assert all(call["status"] == 200 for call in world.user_calls())
    assert all(call["rows"] <= max_rows for call in world.user_calls())
