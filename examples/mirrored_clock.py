"""A virtual clock for engines in their own process, whose waits the fake also sees.

An engine outside the runner's process keeps its own clock. `advance` control
messages move it (the runner has already moved the fake's clock). But a wait
inside one message, such as a retry backoff or waiting out a throttle window,
happens while the runner is blocked; `MirroredClock.sleep` therefore also moves
the fake's clock through its control API (`POST /_fake/clock/advance`).
"""

import httpx

from fake_graph_api.clock import VirtualClock


class MirroredClock(VirtualClock):
    """Sleeping moves this clock and the fake's; `fake_url` is learnt per message."""

    def __init__(self) -> None:
        super().__init__()
        self.fake_url: str | None = None

    def learn(self, message: dict) -> None:
        """Remember the fake's base URL from the message's account settings."""
        settings = (message.get("account") or {}).get("account_settings") or {}
        self.fake_url = settings.get("graphBaseUrl") or self.fake_url

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        if self.fake_url and seconds > 0:
            httpx.post(
                f"{self.fake_url}/_fake/clock/advance", json={"seconds": seconds}
            )
