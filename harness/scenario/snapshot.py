"""What the fake holds at one moment, read once through the control API.

Checks read audiences, members, the journal and findings from a `FakeSnapshot`
and the engine's connection states from the `status` control message; each is
fetched on first use and kept, so a checkpoint costs only what it looks at.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from harness.scenario.fake_control import FakeControl


class FakeSnapshot:
    """The fake's audiences (per ad account), members, journal and findings."""

    def __init__(
        self,
        control: FakeControl,
        *,
        ad_account: str,
        connections: Callable[[], list[dict]],
    ) -> None:
        self.control = control
        self.ad_account = ad_account
        self._connections = connections
        self._members: dict[str, list[dict]] = {}

    @cached_property
    def audiences(self) -> list[dict]:
        state = self.control.state()
        return [
            {"ad_account": account["id"], **audience}
            for account in state["ad_accounts"]
            for audience in account.get("audiences", ())
        ]

    def in_account(self, ad_account: str | None = None) -> list[dict]:
        account = ad_account or self.ad_account
        return [a for a in self.audiences if a["ad_account"] == account]

    def live(self, name: str, ad_account: str | None = None) -> list[dict]:
        return [
            a
            for a in self.in_account(ad_account)
            if a["name"] == name and not a["deleted"]
        ]

    def deleted(self, name: str, ad_account: str | None = None) -> list[dict]:
        return [
            a for a in self.in_account(ad_account) if a["name"] == name and a["deleted"]
        ]

    def live_names(self, ad_account: str | None = None) -> list[str]:
        return [a["name"] for a in self.in_account(ad_account) if not a["deleted"]]

    def members(self, audience: dict) -> list[dict]:
        key = str(audience["id"])
        if key not in self._members:
            self._members[key] = self.control.members(key)
        return self._members[key]

    @cached_property
    def journal(self) -> list[dict]:
        return self.control.journal()

    @cached_property
    def findings(self) -> list[dict]:
        return self.control.findings()

    @cached_property
    def connections(self) -> list[dict]:
        return self._connections()
