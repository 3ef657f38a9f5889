"""Check one expected audience: exactly one live audience, its fields, its members.

A member row lists a member's non-empty cells; rows compare as multisets, numbers
as numbers. When members differ the problem lists what is missing, what is there
unexpectedly and why (harness.scenario.diagnosis names the mistake), and what
reached the audience's users edge.
"""

from __future__ import annotations

from collections import Counter

from harness.normalise import sha256_hex
from harness.scenario import model
from harness.scenario.diagnosis import Diagnoser, near_names, normalised_plaintext
from harness.scenario.problems import Problem
from harness.scenario.snapshot import FakeSnapshot

SHOWN_MEMBERS = 10


def check_audience(
    expected: model.AudienceExpectation, snapshot: FakeSnapshot, *, diagnoser: Diagnoser
) -> list[Problem]:
    """Problems with one expected audience; `diagnoser` explains member mismatches."""
    found = snapshot.live(expected.name, expected.ad_account)
    if len(found) != 1:
        return [Problem(_not_one(expected.name, found, snapshot), expected.line)]
    audience = found[0]
    problems = _check_fields(expected, audience)
    members = snapshot.members(audience)
    lines = member_differences(expected, members, diagnoser)
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
        text = f"{method} x{len(sent)} ({rows} row{'' if rows == 1 else 's'}"
        parts.append(text + (f", {refused} refused)" if refused else ")"))
    return "users requests to it: " + "; ".join(parts)


def _not_one(name: str, found: list[dict], snapshot: FakeSnapshot) -> str:
    if found:
        ids = ", ".join(str(a["id"]) for a in found)
        return (
            f"{len(found)} live audiences are named {name!r} (ids {ids}); expected one"
        )
    return f"no audience named {name!r}" + near_misses(name, snapshot)


def near_misses(name: str, snapshot: FakeSnapshot) -> str:
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
    expected: model.AudienceExpectation, members: list[dict], diagnoser: Diagnoser
) -> list[str]:
    """Lines describing how `members` differ from the expectation; empty if none."""
    held = Counter(_row_key(member) for member in members)
    lines: list[str] = []
    if expected.count is not None and len(members) != expected.count:
        lines.append(f"holds {len(members)} members, expected {expected.count}")
    wanted = (expected.members or ()) + expected.includes
    missing = [row for row in wanted if held[_row_key(row.as_member())] == 0]
    for row in missing:
        lines.append(f"missing member {row.describe()} (line {row.line})")
        lines += ["  " + hint for hint in _unnormalised(row)]
    lines += [
        f"member {row.describe()} should not be there (line {row.line})"
        for row in expected.excludes
        if held[_row_key(row.as_member())] > 0
    ]
    if expected.members is not None:
        lines += _unexpected(expected.members, members, missing, diagnoser)
    return lines


def _unnormalised(row: model.ExpectedRow) -> list[str]:
    """Hints for expected cells written as raw values instead of normalised text."""
    hints = []
    for cell in row.cells:
        normalised = normalised_plaintext(cell.key, cell.written)
        if normalised is not None:
            hints.append(
                f"the scenario writes {cell.key} {cell.written!r}, which normalises "
                f"to {normalised!r}: expected rows hold normalised plaintext"
            )
    return hints


def _unexpected(rows, members, missing, diagnoser: Diagnoser) -> list[str]:
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
        lines += ["  " + why for why in explain_member(member, missing, diagnoser)]
    if len(extra) > SHOWN_MEMBERS:
        lines.append(f"... and {len(extra) - SHOWN_MEMBERS} more unexpected members")
    return lines


def explain_member(member: dict, missing, diagnoser: Diagnoser) -> list[str]:
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
    if closest is not None and _only_unnormalised(closest, changed):
        return reasons + [
            "it is the expected row once the scenario's text is normalised"
        ]
    mistakes = [why for k, v in changed if (why := diagnoser.explain(k, v))]
    if not mistakes:
        mistakes = [why for k, v in changed if (why := diagnoser.recognise(k, v))][:1]
    return reasons + mistakes


def _only_unnormalised(row: model.ExpectedRow, changed: list[tuple]) -> bool:
    """Whether every changed cell is the row's own text, normalised and hashed."""
    written = {cell.key: cell.written for cell in row.cells}
    for key, value in changed:
        normalised = normalised_plaintext(key, written.get(key, ""))
        if normalised is None or sha256_hex(normalised) != value:
            return False
    return bool(changed)


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
