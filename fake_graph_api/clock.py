"""Clocks shared by the fake server, the reference engine and the scenario runner.

A clock has `now()` (Unix seconds, float) and `sleep(seconds)`. The virtual clock
never waits: sleeping advances it, so retries with backoff, throttling windows,
token expiry and bulk-flush timers all run instantly and deterministically.
"""

import math
import threading
import time

DEFAULT_EPOCH = 1_767_225_600.0  # 2026-01-01T00:00:00Z, a fixed start for replays


class VirtualClock:
    """A clock that moves only when told to; safe to share between threads."""

    def __init__(self, start: float = DEFAULT_EPOCH) -> None:
        self._now = float(start)
        self._lock = threading.Lock()
        self._listeners: list = []

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        """Move the clock forward by `seconds` (never backwards) and return the time."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(
                f"a clock moves forward by a finite number of seconds, not {seconds}"
            )
        with self._lock:
            self._now += seconds
            now = self._now
        for listener in list(self._listeners):
            listener(seconds)
        return now

    def sleep(self, seconds: float) -> None:
        self.advance(max(0.0, seconds))

    def on_advance(self, listener) -> None:
        """Call `listener(seconds)` after every advance, e.g. to move a remote clock."""
        self._listeners.append(listener)


class SystemClock:
    """Wall-clock time, for engines forwarding to a live server in real time."""

    def now(self) -> float:
        return time.time()

    def advance(self, seconds: float) -> float:
        time.sleep(seconds)
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, seconds))

    def on_advance(self, listener) -> None:
        raise TypeError("a system clock cannot notify listeners; use a VirtualClock")
