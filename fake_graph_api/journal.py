"""The bounded request journal and the findings log of one fake.

Each Graph request gets a sequence number and one journal entry: method, path,
ad account, audience, status, Graph code/subcode, row count, whether the payload
came in the query string, URL length, duration, finding codes and fault id. Entries
never hold a token or a cell value. Old entries and findings fall off the front
once the bounds are reached. Thread-safe.
"""

import threading
from collections import deque

from fake_graph_api.findings import Finding

JOURNAL_SIZE = 10_000
FINDINGS_SIZE = 50_000


class Journal:
    """Request entries and findings, oldest first, bounded."""

    def __init__(self, *, size: int = JOURNAL_SIZE, findings: int = FINDINGS_SIZE):
        self._lock = threading.Lock()
        self._entries: deque[dict] = deque(maxlen=size)
        self._findings: deque[Finding] = deque(maxlen=findings)
        self._seq = 0

    def next_seq(self) -> int:
        with self._lock:
            self._seq += 1
            return self._seq

    def record(self, entry: dict, findings: list[Finding]) -> None:
        entry["findings"] = [finding.code for finding in findings]
        with self._lock:
            self._entries.append(entry)
            self._findings.extend(findings)

    def entries(self, limit: int | None = None) -> list[dict]:
        with self._lock:
            entries = list(self._entries)
        return entries[-limit:] if limit else entries

    def findings(self, ad_account: str | None = None) -> list[dict]:
        with self._lock:
            findings = list(self._findings)
        return [
            finding.to_dict()
            for finding in findings
            if ad_account is None or finding.ad_account == ad_account
        ]

    def clear(self, ad_account: str | None = None) -> None:
        """Forget everything, or only what concerns one ad account."""
        with self._lock:
            if ad_account is None:
                self._entries.clear()
                self._findings.clear()
                return
            kept = [e for e in self._entries if e.get("ad_account") != ad_account]
            self._entries = deque(kept, maxlen=self._entries.maxlen)
            findings = [f for f in self._findings if f.ad_account != ad_account]
            self._findings = deque(findings, maxlen=self._findings.maxlen)
