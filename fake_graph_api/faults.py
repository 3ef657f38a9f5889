"""Fault injection: rules that make chosen Graph requests fail or slow down.

A rule matches a method ("*" for any), a glob on the path without its version
segment (e.g. "/*/users"), and optionally an ad account. It answers with one of: a
named catalogue error, a raw status and body, an HTML error page, or only added
latency. It fires `times` times (None: forever) or with a seeded `probability`.
`regain_minutes` makes a named error advertise that wait in the
x-business-use-case-usage header, as throttled answers do.
Pure and thread-safe; the Flask layer turns a firing rule into a response.
"""

import fnmatch
import random
import threading

from fake_graph_api.errors import CATALOGUE

RULE_KEYS = frozenset(
    {"method", "path", "ad_account", "error", "status", "body", "html"}
    | {"latency_ms", "times", "probability", "regain_minutes"}
)
HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>Facebook | Error</title></head><body>"
    "<h1>Sorry, something went wrong.</h1><p>We're working on getting this fixed "
    "as soon as we can.</p></body></html>"
)


class FaultError(ValueError):
    """A fault rule that cannot be used; the message says which field and why."""


class Faults:
    """The active fault rules of one fake, in the order they were added."""

    def __init__(self, *, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self.clear()

    def clear(self) -> None:
        """No rules, and ids and chance start again as after a fresh start."""
        with self._lock:
            self._rules: list[dict] = []
            self._random = random.Random(f"faults-{self._seed}")
            self._next_id = 0

    def add(self, rule: dict) -> dict:
        checked = check_rule(rule)
        with self._lock:
            self._next_id += 1
            checked["id"] = f"fault-{self._next_id}"
            checked["fired"] = 0
            self._rules.append(checked)
            return dict(checked)

    def rules(self) -> list[dict]:
        with self._lock:
            return [dict(rule) for rule in self._rules]

    def remove(self, rule_id: str | None = None) -> int:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if rule_id not in (None, r["id"])]
            return before - len(self._rules)

    def fire(self, method: str, path: str, ad_account: str | None) -> dict | None:
        """The first matching rule that fires now (its count is spent), or None."""
        with self._lock:
            for rule in self._rules:
                if not _matches(rule, method, path, ad_account):
                    continue
                if rule["times"] is not None and rule["fired"] >= rule["times"]:
                    continue
                if rule["probability"] is not None and (
                    self._random.random() >= rule["probability"]
                ):
                    continue
                rule["fired"] += 1
                return dict(rule)
            return None


def check_rule(rule: dict) -> dict:
    """A complete rule with defaults, or FaultError naming what is wrong."""
    if not isinstance(rule, dict):
        raise FaultError("a fault rule must be a JSON object")
    unknown = sorted(set(rule) - RULE_KEYS)
    if unknown:
        raise FaultError(f"unknown fault rule field(s): {', '.join(unknown)}")
    checked = {
        "method": str(rule.get("method") or "*").upper(),
        "path": rule.get("path") or "*",
        "ad_account": rule.get("ad_account"),
        "error": rule.get("error"),
        "status": rule.get("status"),
        "body": rule.get("body"),
        "html": bool(rule.get("html", False)),
        "latency_ms": rule.get("latency_ms") or 0,
        "times": rule.get("times"),
        "probability": rule.get("probability"),
        "regain_minutes": rule.get("regain_minutes"),
    }
    _check_answer(checked)
    _check_numbers(checked)
    return checked


def _check_answer(rule: dict) -> None:
    answers = [
        rule["error"] is not None,
        rule["status"] is not None or rule["body"] is not None,
        rule["html"],
    ]
    if sum(answers) > 1:
        raise FaultError("a fault rule answers with one of error, status+body or html")
    if sum(answers) == 0 and not rule["latency_ms"]:
        raise FaultError("a fault rule needs error, status+body, html or latency_ms")
    if rule["error"] is not None and rule["error"] not in CATALOGUE:
        raise FaultError(
            f"unknown error {rule['error']!r}; use a name from "
            "fake_graph_api.errors.CATALOGUE"
        )
    if (rule["body"] is None) != (rule["status"] is None):
        raise FaultError(
            "a raw fault answer needs both status and body (use error for a named "
            "Graph error, or html: true for an error page)"
        )
    status = rule["status"]
    if status is not None and (not isinstance(status, int) or not 100 <= status <= 599):
        raise FaultError("status must be an HTTP status between 100 and 599")


def _check_numbers(rule: dict) -> None:
    latency, times, probability = rule["latency_ms"], rule["times"], rule["probability"]
    if not isinstance(latency, int | float) or latency < 0:
        raise FaultError("latency_ms must be a number of milliseconds, 0 or more")
    if times is not None and (not isinstance(times, int) or times < 1):
        raise FaultError("times must be a whole number, 1 or more, or null")
    if probability is not None and (
        not isinstance(probability, int | float) or not 0 < probability <= 1
    ):
        raise FaultError("probability must be above 0 and at most 1, or null")
    regain = rule["regain_minutes"]
    if regain is not None and (not isinstance(regain, int) or regain < 0):
        raise FaultError("regain_minutes must be a whole number of minutes, or null")
    if regain is not None and rule["error"] is None:
        raise FaultError("regain_minutes goes with a named error")


def _matches(rule: dict, method: str, path: str, ad_account: str | None) -> bool:
    if rule["method"] not in ("*", method):
        return False
    if rule["ad_account"] is not None and rule["ad_account"] != ad_account:
        return False
    return fnmatch.fnmatchcase(path, rule["path"])
