"""What the Graph traffic of a load run cost: requests, rows, latency, retries.

Counts come from the fake's journal, read after every control message (the journal
is bounded, so it is read often; entries that fell off before being read are
counted as `unseen`). Latency is measured on the engine's own httpx client when the
load run owns it (the reference engine and `python:` engines), else taken from the
journal's server-side `duration_ms`.
"""

import time
from dataclasses import dataclass, field

import httpx

USERS_EDGE = "/users"


@dataclass
class GraphStats:
    """Graph requests seen so far, and their latencies in milliseconds."""

    requests: int = 0
    rows: int = 0
    failed: int = 0  # answered with an error, so the engine had to retry or fault
    faults_injected: int = 0
    unseen: int = 0
    client_latencies: list[float] = field(default_factory=list)
    server_latencies: list[float] = field(default_factory=list)
    _last_seq: int = 0

    def read_journal(self, entries: list[dict]) -> None:
        """Count the entries not counted yet; note a gap if some were never seen."""
        fresh = [entry for entry in entries if entry["seq"] > self._last_seq]
        if not fresh:
            return
        self.unseen += max(0, fresh[0]["seq"] - self._last_seq - 1)
        for entry in fresh:
            self._count(entry)
        self._last_seq = fresh[-1]["seq"]

    def _count(self, entry: dict) -> None:
        self.requests += 1
        self.server_latencies.append(float(entry.get("duration_ms") or 0.0))
        if entry.get("fault"):
            self.faults_injected += 1
        if entry["status"] >= 400:
            self.failed += 1
        elif entry["path"].endswith(USERS_EDGE):
            self.rows += entry.get("rows") or 0

    def timing_hooks(self) -> dict:
        """httpx event hooks that time every request made through a client."""

        def started(request: httpx.Request) -> None:
            request.extensions["fbca_load_started"] = time.perf_counter()

        def answered(response: httpx.Response) -> None:
            began = response.request.extensions.get("fbca_load_started")
            if began is not None:
                self.client_latencies.append((time.perf_counter() - began) * 1000)

        return {"request": [started], "response": [answered]}

    def latency(self) -> dict:
        """p50, p95 and max in milliseconds, and where they were measured."""
        source, values = "engine client", self.client_latencies
        if not values:
            source, values = "fake server", self.server_latencies
        ordered = sorted(values)
        return {
            "measured_at": source,
            "calls": len(ordered),
            "p50_ms": _percentile(ordered, 0.50),
            "p95_ms": _percentile(ordered, 0.95),
            "max_ms": round(ordered[-1], 3) if ordered else None,
        }

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "rows": self.rows,
            "failed_calls": self.failed,
            "faults_injected": self.faults_injected,
            "journal_entries_unseen": self.unseen,
            "latency": self.latency(),
        }


def _percentile(ordered: list[float], share: float) -> float | None:
    if not ordered:
        return None
    index = min(len(ordered) - 1, round(share * (len(ordered) - 1)))
    return round(ordered[index], 3)
