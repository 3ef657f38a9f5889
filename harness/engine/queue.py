"""The bulk-forwarding queue of one connection.

mParticle's Facebook Audience integration does not forward in real time: changes
wait in a queue that is flushed when `bulkFlushSeconds` have passed since the last
upload or `bulkFlushMessages` changes are waiting. Changes to one user between two
flushes collapse to the last one, so a flush carries each user's final membership.
Pure: the caller passes the time.
"""

from dataclasses import dataclass

from harness.engine.messages import Profile


@dataclass(frozen=True)
class QueuedChange:
    """A user's final state since the last flush: identities, attributes, membership."""

    profile: Profile
    attributes: dict
    member: bool

    @property
    def user_key(self) -> str:
        return self.profile.key


class BulkQueue:
    """Waiting changes, one per user; knows when a flush is due."""

    def __init__(self, *, flush_seconds: float, flush_messages: int, now: float):
        self.flush_seconds = flush_seconds
        self.flush_messages = flush_messages
        self.last_upload = now
        self.messages_waiting = 0
        self._changes: dict[str, QueuedChange] = {}

    @property
    def pending(self) -> int:
        """How many users have a change waiting."""
        return len(self._changes)

    def user_keys(self) -> set[str]:
        """The keys of the users with a change waiting."""
        return set(self._changes)

    def put(self, change: QueuedChange) -> None:
        """Queue a change; an earlier change of the same user is replaced."""
        self._changes.pop(change.user_key, None)
        self._changes[change.user_key] = change
        self.messages_waiting += 1

    def flush_due(self, now: float) -> bool:
        if not self._changes:
            return False
        waited_long_enough = now - self.last_upload >= self.flush_seconds
        return waited_long_enough or self.messages_waiting >= self.flush_messages

    def take(self, now: float) -> list[QueuedChange]:
        """Empty the queue, oldest change first, and start the next waiting period."""
        changes = list(self._changes.values())
        self._changes.clear()
        self.messages_waiting = 0
        self.last_upload = now
        return changes
