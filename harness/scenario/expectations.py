"""Check an Expectation against a FakeSnapshot; return problems, each saying why.

Audiences and their members are checked in harness.scenario.audience_checks;
this module adds absent, deleted and counted audiences, connection states,
findings and request checks. Absent audiences come with their near misses.
"""

from __future__ import annotations

import fnmatch
import re

from harness.scenario import model
from harness.scenario.audience_checks import check_audience, near_misses
from harness.scenario.diagnosis import Diagnoser, near_names
from harness.scenario.problems import FAILURE, WARNING, Problem
from harness.scenario.snapshot import FakeSnapshot

SHOWN = 10
_VERSION = re.compile(r"^/v[0-9]+\.[0-9]+(?=/)")


def check_expectation(
    expect: model.Expectation,
    snapshot: FakeSnapshot,
    *,
    diagnoser: Diagnoser,
    subscribed: list[int],
    final: bool,
) -> list[Problem]:
    """Every problem with `expect`; `final` adds the default findings check."""
    problems: list[Problem] = []
    for audience in expect.audiences:
        problems += check_audience(audience, snapshot, diagnoser=diagnoser)
    problems += _check_absent(expect, snapshot)
    problems += _check_deleted(expect, snapshot)
    problems += _check_count(expect, snapshot)
    problems += check_connections(expect.connections, snapshot, subscribed=subscribed)
    if expect.findings is not None or final:
        problems += check_findings(
            expect.findings or (), snapshot.findings, expect.line
        )
    for requests in expect.requests:
        problems += check_requests(requests, snapshot)
    return problems


def _check_absent(expect: model.Expectation, snapshot: FakeSnapshot) -> list[Problem]:
    return [
        Problem(
            f"audience {name!r} exists (id {found[0]['id']}); expected absent",
            expect.line,
        )
        for name in expect.absent
        if (found := snapshot.live(name))
    ]


def _check_deleted(expect: model.Expectation, snapshot: FakeSnapshot) -> list[Problem]:
    problems = []
    for name in expect.deleted:
        if snapshot.live(name):
            problems.append(
                Problem(
                    f"audience {name!r} is still live; expected deleted", expect.line
                )
            )
        elif not snapshot.deleted(name):
            near = _near_deleted(name, snapshot)
            message = f"no deleted audience named {name!r}{near}"
            problems.append(Problem(message, expect.line))
    return problems


def _near_deleted(name: str, snapshot: FakeSnapshot) -> str:
    deleted = [a["name"] for a in snapshot.in_account() if a["deleted"]]
    close = near_names(name, deleted)
    if close:
        return "; deleted ones close to it: " + ", ".join(repr(n) for n in close)
    return near_misses(name, snapshot)


def _check_count(expect: model.Expectation, snapshot: FakeSnapshot) -> list[Problem]:
    if expect.audience_count is None:
        return []
    names = snapshot.live_names()
    if len(names) == expect.audience_count:
        return []
    listed = ", ".join(repr(n) for n in names) or "none"
    message = (
        f"{len(names)} live audiences ({listed}); expected {expect.audience_count}"
    )
    return [Problem(message, expect.line)]


def check_connections(expected, snapshot: FakeSnapshot, *, subscribed) -> list[Problem]:
    problems = []
    for wanted in expected:
        targets = [wanted.audience] if wanted.audience is not None else list(subscribed)
        by_id = {c.get("audience_id"): c for c in snapshot.connections}
        for audience_id in targets:
            connection = by_id.get(audience_id)
            if connection is None:
                message = f"the engine reports no connection for audience {audience_id}"
                problems.append(Problem(message, wanted.line))
                continue
            problems += _connection_problems(wanted, audience_id, connection)
    return problems


def _connection_problems(wanted, audience_id: int, connection: dict) -> list[Problem]:
    fault = connection.get("fault") or {}
    state = connection.get("state")
    where = f"connection of audience {audience_id}"
    if state != wanted.state:
        detail = (
            f" (fault {fault.get('code')}: {fault.get('message')})" if fault else ""
        )
        return [
            Problem(f"{where} is {state}{detail}; expected {wanted.state}", wanted.line)
        ]
    problems = []
    for field, expected in (("code", wanted.code), ("subcode", wanted.subcode)):
        if expected is not None and fault.get(field) != expected:
            message = (
                f"{where}: fault {field} is {fault.get(field)!r}, expected {expected}"
            )
            problems.append(Problem(message, wanted.line))
    if wanted.message and wanted.message not in str(fault.get("message", "")):
        message = (
            f"{where}: fault message {fault.get('message')!r} lacks {wanted.message!r}"
        )
        problems.append(Problem(message, wanted.line))
    return problems


def check_findings(expected, findings: list[dict], line: int | None) -> list[Problem]:
    """Listed findings must occur; other errors fail, other warnings warn."""
    problems = []
    for wanted in expected:
        wanted_count = wanted.count or 1
        found = sum(1 for f in findings if _is_wanted(f, wanted))
        if found < wanted_count:
            message = f"expected finding {wanted.code} x{wanted_count}, found {found}"
            problems.append(Problem(message, wanted.line))
    listed = {wanted.code for wanted in expected}
    unlisted = [f for f in findings if f["code"] not in listed]
    return problems + _unlisted_findings(unlisted, line)


def _is_wanted(finding: dict, wanted: model.FindingExpectation) -> bool:
    if finding["code"] != wanted.code:
        return False
    return wanted.severity is None or finding["severity"] == wanted.severity


def _unlisted_findings(findings: list[dict], line: int | None) -> list[Problem]:
    """One problem per code and severity, with how often and the first message."""
    groups: dict[tuple, list[dict]] = {}
    for finding in findings:
        groups.setdefault((finding["code"], finding["severity"]), []).append(finding)
    problems = []
    for (code, severity), group in groups.items():
        times = f" x{len(group)}" if len(group) > 1 else ""
        message = f"finding {code} ({severity}){times}: {group[0]['message']}"
        kind = FAILURE if severity == "error" else WARNING
        problems.append(Problem(message, line, kind))
    return problems


def check_requests(
    expected: model.RequestsExpectation, snapshot: FakeSnapshot
) -> list[Problem]:
    """Count, row and query-string checks on the journal entries `expected` selects."""
    audience_ids = None
    if expected.audience is not None:
        audience_ids = _audience_ids(expected.audience, snapshot)
        if not audience_ids:
            return [Problem(_no_audience(expected.audience, snapshot), expected.line)]
    selected = [
        entry
        for entry in snapshot.journal
        if _selects(expected, entry)
        and (audience_ids is None or str(entry.get("audience_id")) in audience_ids)
    ]
    messages = _count_problems(expected, len(selected))
    if expected.max_rows is not None:
        messages += [
            f"{_request(e)} carried {e['rows']} rows, more than {expected.max_rows}"
            for e in selected
            if (e.get("rows") or 0) > expected.max_rows
        ][:SHOWN]
    if expected.payload_in_query is False:
        messages += [
            f"{_request(e)} put the payload in its query string"
            for e in selected
            if e.get("payload_in_query")
        ][:SHOWN]
    return [Problem(message, expected.line) for message in messages]


def _audience_ids(name: str, snapshot: FakeSnapshot) -> set[str]:
    return {str(a["id"]) for a in snapshot.in_account() if a["name"] == name}


def _no_audience(name: str, snapshot: FakeSnapshot) -> str:
    message = f"requests: no audience named {name!r} to count requests of"
    close = near_names(name, snapshot.live_names())
    return message + (f"; did you mean {close[0]!r}?" if close else "")


def _count_problems(expected: model.RequestsExpectation, count: int) -> list[str]:
    what = f"{count} {expected.method} {expected.path} requests"
    if expected.audience is not None:
        what += f" about {expected.audience!r}"
    if expected.count_min is not None and count < expected.count_min:
        return [f"{what}, expected at least {expected.count_min}"]
    if expected.count_max is not None and count > expected.count_max:
        return [f"{what}, expected at most {expected.count_max}"]
    return []


def _request(entry: dict) -> str:
    return f"request #{entry['seq']} ({entry['method']} {entry['path']})"


def _selects(expected: model.RequestsExpectation, entry: dict) -> bool:
    if expected.method != "*" and entry["method"] != expected.method:
        return False
    if expected.status is not None and entry.get("status") != expected.status:
        return False
    path = _VERSION.sub("", entry["path"].split("?", 1)[0])
    return fnmatch.fnmatchcase(path, expected.path)
