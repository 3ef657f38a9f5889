"""Check an Expectation against a FakeSnapshot; return problems, each saying why.

A problem is a failure, or a warning (an unexpected warning-level finding, which
fails the run only under --strict). Member mismatches come with their diagnosis
(harness.scenario.diagnosis) and absent audiences with their near misses.
"""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from dataclasses import dataclass

from harness.scenario import model
from harness.scenario.diagnosis import (
    RawInput,
    diagnose_cell,
    near_names,
    recognise_cell,
)
from harness.scenario.snapshot import FakeSnapshot

FAILURE = "failure"
WARNING = "warning"
SHOWN_MEMBERS = 10
_VERSION = re.compile(r"^/v[0-9]+\.[0-9]+(?=/)")


@dataclass(frozen=True)
class Problem:
    """One unmet expectation; `line` points at the scenario text that expected it."""

    message: str
    line: int | None = None
    severity: str = FAILURE


def check_expectation(
    expect: model.Expectation,
    snapshot: FakeSnapshot,
    *,
    inputs: list[RawInput],
    subscribed: list[int],
    final: bool,
) -> list[Problem]:
    """Every problem with `expect`; `final` adds the default findings check."""
    problems: list[Problem] = []
    for audience in expect.audiences:
        problems += check_audience(audience, snapshot, inputs=inputs)
    problems += _check_absent(expect, snapshot)
    problems += _check_deleted(expect, snapshot)
    problems += _check_count(expect, snapshot)
    problems += check_connections(expect.connections, snapshot, subscribed=subscribed)
    if expect.findings is not None or final:
        problems += check_findings(
            expect.findings or (), snapshot.findings, expect.line
        )
    for requests in expect.requests:
        problems += check_requests(requests, snapshot.journal)
    return problems


def check_audience(
    expected: model.AudienceExpectation, snapshot: FakeSnapshot, *, inputs
) -> list[Problem]:
    found = snapshot.live(expected.name, expected.ad_account)
    if len(found) != 1:
        return [Problem(_not_one(expected.name, found, snapshot), expected.line)]
    audience = found[0]
    problems = _check_fields(expected, audience)
    members = snapshot.members(audience)
    lines = member_differences(expected, members, inputs)
    if lines:
        lines.append(users_traffic(audience["id"], snapshot.journal))
        problems.append(
            Problem(f"{expected.name}: " + "\n  ".join(lines), expected.line)
        )
    return problems


def users_traffic(audience_id, journal: list[dict]) -> str:
    """What reached the audience's users edge, e.g. `POST x2 (3 rows); DELETE x0`."""
    entries = [
        e
        for e in journal
        if str(e.get("audience_id")) == str(audience_id)
        and e["path"].split("?", 1)[0].endswith("/users")
    ]
    parts = []
    for method in ("POST", "DELETE"):
        sent = [e for e in entries if e["method"] == method]
        rows = sum(e.get("rows") or 0 for e in sent)
        refused = sum(1 for e in sent if (e.get("status") or 0) >= 400)
        text = f"{method} x{len(sent)} ({rows} rows"
        parts.append(text + (f", {refused} refused)" if refused else ")"))
    return "users requests to it: " + "; ".join(parts)


def _not_one(name: str, found: list[dict], snapshot: FakeSnapshot) -> str:
    if found:
        ids = ", ".join(str(a["id"]) for a in found)
        return (
            f"{len(found)} live audiences are named {name!r} (ids {ids}); expected one"
        )
    return f"no audience named {name!r}" + _near_misses(name, snapshot)


def _near_misses(name: str, snapshot: FakeSnapshot) -> str:
    text = ""
    if snapshot.deleted(name):
        text += "; one of that name was deleted"
    close = near_names(name, snapshot.live_names())
    if close:
        text += "; near misses: " + ", ".join(repr(n) for n in close)
    existing = snapshot.live_names()
    if not close:
        text += "; audiences: " + (", ".join(repr(n) for n in existing) or "none")
    return text


def _check_fields(expected: model.AudienceExpectation, audience: dict) -> list[Problem]:
    problems = []
    for field, wanted in expected.fields.items():
        actual = audience.get(field)
        if field == "operation_status" and isinstance(actual, dict):
            actual = actual.get("code")
        if actual != wanted:
            message = f"{expected.name}: {field} is {actual!r}, expected {wanted!r}"
            problems.append(Problem(message, expected.line))
    return problems


def member_differences(
    expected: model.AudienceExpectation, members: list[dict], inputs: list[RawInput]
) -> list[str]:
    """Lines describing how `members` differ from the expectation; empty if none."""
    held = Counter(_row_key(member) for member in members)
    lines: list[str] = []
    if expected.count is not None and len(members) != expected.count:
        lines.append(f"holds {len(members)} members, expected {expected.count}")
    wanted = expected.members if expected.members is not None else expected.includes
    missing = [row for row in wanted if held[_row_key(row.as_member())] == 0]
    lines += [f"missing member {row.describe()} (line {row.line})" for row in missing]
    lines += [
        f"member {row.describe()} should not be there (line {row.line})"
        for row in expected.excludes
        if held[_row_key(row.as_member())] > 0
    ]
    if expected.members is not None:
        lines += _unexpected(expected.members, members, missing, inputs)
    return lines


def _unexpected(rows, members, missing, inputs) -> list[str]:
    allowed = Counter(_row_key(row.as_member()) for row in rows)
    extra = []
    for member in members:
        key = _row_key(member)
        if allowed[key] > 0:
            allowed[key] -= 1
        else:
            extra.append(member)
    lines = []
    for member in extra[:SHOWN_MEMBERS]:
        lines.append(f"unexpected member {_show(member)}")
        lines += ["  " + why for why in explain_member(member, missing, inputs)]
    if len(extra) > SHOWN_MEMBERS:
        lines.append(f"... and {len(extra) - SHOWN_MEMBERS} more unexpected members")
    return lines


def explain_member(member: dict, missing, inputs: list[RawInput]) -> list[str]:
    """Why `member` is not one of the missing rows: column differences and mistakes."""
    closest = _closest_row(member, missing)
    expected = closest.as_member() if closest else {}
    reasons = []
    if closest is not None:
        absent = sorted(set(expected) - set(member))
        extra = sorted(set(member) - set(expected))
        if absent:
            reasons.append(f"closest expected row {closest.describe()}: lacks {absent}")
        if extra:
            reasons.append(
                f"closest expected row {closest.describe()}: has extra {extra}"
            )
    changed = [(k, v) for k, v in sorted(member.items()) if expected.get(k) != v]
    mistakes = [why for k, v in changed if (why := diagnose_cell(k, v, inputs))]
    if not mistakes:
        mistakes = [why for k, v in changed if (why := recognise_cell(k, v, inputs))][
            :1
        ]
    return reasons + mistakes


def _closest_row(member: dict, rows) -> model.ExpectedRow | None:
    def shared(row):
        cells = row.as_member()
        same = sum(1 for k, v in cells.items() if member.get(k) == v)
        return (same, -len(set(cells) ^ set(member)))

    return max(rows, key=shared, default=None)


def _row_key(member: dict) -> tuple:
    return tuple(sorted((key, _comparable(value)) for key, value in member.items()))


def _comparable(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def _show(member: dict) -> str:
    cells = ", ".join(f"{k}: {_short(v)}" for k, v in sorted(member.items()))
    return "{" + cells + "}"


def _short(value) -> str:
    text = str(value)
    return text[:12] + "..." if len(text) == 64 else text


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
    return _near_misses(name, snapshot)


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
        matching = [
            f
            for f in findings
            if f["code"] == wanted.code
            and (wanted.severity is None or f["severity"] == wanted.severity)
        ]
        if len(matching) < (wanted.count or 1):
            wanted_count = wanted.count or 1
            message = (
                f"expected finding {wanted.code} x{wanted_count}, found {len(matching)}"
            )
            problems.append(Problem(message, wanted.line))
    listed = {wanted.code for wanted in expected}
    for finding in findings:
        if finding["code"] in listed:
            continue
        severity = FAILURE if finding["severity"] == "error" else WARNING
        message = (
            f"finding {finding['code']} ({finding['severity']}): {finding['message']}"
        )
        problems.append(Problem(message, line, severity))
    return problems


def check_requests(
    expected: model.RequestsExpectation, journal: list[dict]
) -> list[Problem]:
    """Count, row and query-string checks on the journal entries `expected` selects."""
    selected = [entry for entry in journal if _selects(expected, entry)]
    messages = _count_problems(expected, len(selected))
    if expected.max_rows is not None:
        messages += [
            f"{_request(e)} carried {e['rows']} rows, more than {expected.max_rows}"
            for e in selected
            if (e.get("rows") or 0) > expected.max_rows
        ][:SHOWN_MEMBERS]
    if expected.payload_in_query is False:
        messages += [
            f"{_request(e)} put the payload in its query string"
            for e in selected
            if e.get("payload_in_query")
        ][:SHOWN_MEMBERS]
    return [Problem(message, expected.line) for message in messages]


def _count_problems(expected: model.RequestsExpectation, count: int) -> list[str]:
    what = f"{count} {expected.method} {expected.path} requests"
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
