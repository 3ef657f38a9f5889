from harness.engine.messages import Identity, Profile
from harness.engine.queue import BulkQueue, QueuedChange


def change(mpid: str, *, member: bool = True, email: str = "a@example.com"):
    profile = Profile(mpid, (Identity("email", "raw", email),), ())
    return QueuedChange(profile, {}, member)


def queue(**thresholds):
    return BulkQueue(
        flush_seconds=thresholds.get("seconds", 10_800),
        flush_messages=thresholds.get("messages", 750_000),
        now=0.0,
    )


def test_an_empty_queue_is_never_due():
    assert not queue().flush_due(1e9)


def test_due_after_the_flush_interval_since_the_last_upload():
    waiting = queue()
    waiting.put(change("1"))

    assert not waiting.flush_due(10_799)
    assert waiting.flush_due(10_800)


def test_due_when_enough_messages_wait():
    waiting = queue(messages=3)
    for mpid in ("1", "2"):
        waiting.put(change(mpid))
    assert not waiting.flush_due(0)

    waiting.put(change("1", member=False))
    assert waiting.flush_due(0)


def test_changes_to_one_user_collapse_to_the_last():
    waiting = queue()
    waiting.put(change("1"))
    waiting.put(change("2"))
    waiting.put(change("1", member=False))

    taken = waiting.take(5.0)

    assert [(c.profile.mpid, c.member) for c in taken] == [("2", True), ("1", False)]
    assert waiting.pending == 0


def test_taking_restarts_the_waiting_period():
    waiting = queue(seconds=100)
    waiting.put(change("1"))
    waiting.take(50.0)
    waiting.put(change("2"))

    assert not waiting.flush_due(149)
    assert waiting.flush_due(150)


def test_users_without_mpid_are_told_apart_by_identities():
    waiting = queue()
    waiting.put(change(None, email="a@example.com"))
    waiting.put(change(None, email="b@example.com"))
    assert waiting.pending == 2
