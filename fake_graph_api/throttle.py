"""Per-ad-account call budgets on the virtual clock, and the usage headers Graph sends.

Each ad account has `calls_per_hour` (None: unlimited). A call is counted when it is
answered; once the calls of the last hour reach the budget, calls are refused with
80003 until the oldest one leaves the window. `estimated_time_to_regain_access` is
in minutes (DOC-RL). The usage percentages are modelled: calls used over budget.
Pure and thread-safe.
"""

import json
import math
import threading
from collections import deque
from dataclasses import dataclass

from fake_graph_api.errors import GraphError

WINDOW_SECONDS = 3600.0


@dataclass(frozen=True)
class Usage:
    """An ad account's budget use at one moment."""

    account_digits: str
    call_count_pct: int
    regain_minutes: int

    def business_use_case_header(self) -> str:
        usage = {
            "type": "custom_audience",
            "call_count": self.call_count_pct,
            "total_cputime": max(1, self.call_count_pct // 4)
            if self.call_count_pct
            else 0,
            "total_time": max(1, self.call_count_pct // 2)
            if self.call_count_pct
            else 0,
            "estimated_time_to_regain_access": self.regain_minutes,
        }
        return _compact({self.account_digits: [usage]})

    def ad_account_header(self) -> str:
        return _compact({"acc_id_util_pct": self.call_count_pct})

    def app_header(self) -> str:
        return _compact({"call_count": self.call_count_pct, "total_cputime": 0,
                         "total_time": 0})  # fmt: skip


class Throttle:
    """Sliding one-hour windows of answered calls, one per ad account."""

    def __init__(self) -> None:
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, account_id: str, budget: int | None, now: float) -> Usage:
        """Count one call, or raise GraphError('throttled') with the usage attached."""
        digits = account_id.removeprefix("act_")
        with self._lock:
            calls = self._window(account_id, now)
            if budget is not None and len(calls) >= budget:
                regain = math.ceil((calls[0] + WINDOW_SECONDS - now) / 60)
                usage = Usage(digits, _percent(len(calls), budget), max(1, regain))
                error = GraphError("throttled")
                error.usage = usage
                raise error
            calls.append(now)
            return Usage(digits, _percent(len(calls), budget), 0)

    def forget(self, account_id: str | None = None) -> None:
        with self._lock:
            if account_id is None:
                self._calls.clear()
            else:
                self._calls.pop(account_id, None)

    def _window(self, account_id: str, now: float) -> deque[float]:
        calls = self._calls.setdefault(account_id, deque())
        while calls and calls[0] <= now - WINDOW_SECONDS:
            calls.popleft()
        return calls


def _percent(used: int, budget: int | None) -> int:
    if not budget:
        return 0
    return min(100, math.ceil(100 * used / budget))


def _compact(value) -> str:
    return json.dumps(value, separators=(",", ":"))
