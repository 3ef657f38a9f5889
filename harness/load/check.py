"""Comparing the expected downstream membership with the fake's, via its control API.

`check_membership(expected, control)` reads `/_fake/state` to find each downstream
audience by name and `/_fake/audiences/<id>/members` for its members, and compares
them (as digests) with `ExpectedMembership`. The result lists, per downstream
audience, what was expected, what was found, what is missing and what is extra,
with a few near misses: the mpids of users whose row is missing, and the extra
members with their cells shortened (no identifier is ever shown whole).
"""

from dataclasses import dataclass, field

from harness.load.expected import (
    Connection,
    ExpectedMembership,
    member_digest,
    unpack_digest,
)

SAMPLE_SIZE = 5


@dataclass
class AudienceCheck:
    """The verdict on one downstream audience."""

    name: str
    expected: int
    found: int
    missing: int = 0
    unexpected: int = 0
    tolerated: int = 0  # rows that may remain or not (see expected.py)
    must_be_deleted: bool = False
    deleted: bool = False
    missing_users: list[str] = field(default_factory=list)
    unexpected_members: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        if self.must_be_deleted:
            return self.deleted
        return self.missing == 0 and self.unexpected == 0

    def describe(self) -> str:
        if self.must_be_deleted:
            verdict = "deleted" if self.deleted else f"NOT deleted ({self.found} rows)"
            return f"{self.name}: disconnected, downstream audience {verdict}"
        line = f"{self.name}: expected {self.expected}, found {self.found}"
        if self.ok:
            return line + " - ok"
        line += f" - {self.missing} missing, {self.unexpected} unexpected"
        if self.missing_users:
            line += f"; missing e.g. mpid {', '.join(self.missing_users)}"
        if self.unexpected_members:
            line += f"; unexpected e.g. {self.unexpected_members}"
        return line


@dataclass
class MembershipCheck:
    """The verdict on every downstream audience of a run."""

    audiences: list[AudienceCheck]

    @property
    def ok(self) -> bool:
        return all(audience.ok for audience in self.audiences)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "audiences": [
                {**vars(audience), "ok": audience.ok} for audience in self.audiences
            ],
        }


def check_membership(expected: ExpectedMembership, control) -> MembershipCheck:
    """Compare `expected` with the fake behind `control` (a `FakeControl`)."""
    by_name = _downstream_by_name(control.state())
    verdicts = []
    for connection in expected.connections.values():
        for index, name in enumerate(connection.kinds):
            audience = by_name.get(name)
            if connection.removed:
                verdicts.append(_check_deleted(name, audience))
                continue
            members = control.members(audience["id"]) if audience else []
            verdicts.append(_check_members(name, connection, index, members))
    return MembershipCheck(verdicts)


def _downstream_by_name(state: dict) -> dict[str, dict]:
    """Audiences by name; a live audience wins over a deleted one of the same name."""
    found: dict[str, dict] = {}
    for account in state["ad_accounts"]:
        for audience in account["audiences"]:
            known = found.get(audience["name"])
            if known is None or known.get("deleted"):
                found[audience["name"]] = audience
    return found


def _check_deleted(name: str, audience: dict | None) -> AudienceCheck:
    gone = audience is None or bool(audience.get("deleted"))
    found = 0 if gone else audience.get("member_count", 0)
    return AudienceCheck(name, 0, found, must_be_deleted=True, deleted=gone)


def _check_members(
    name: str, connection: Connection, index: int, members: list[dict]
) -> AudienceCheck:
    required: dict[int, int] = {}
    tolerated: set[int] = set()
    for user, packed in connection.members.items():
        digest = unpack_digest(packed, index)
        if digest is None:
            continue
        if user in connection.maybe:
            tolerated.add(digest)
        else:
            required[digest] = user

    found = {member_digest(member): member for member in members}
    missing = [user for digest, user in required.items() if digest not in found]
    unexpected = [
        member
        for digest, member in found.items()
        if digest not in required and digest not in tolerated
    ]
    return AudienceCheck(
        name=name,
        expected=len(required),
        found=len(members),
        missing=len(missing),
        unexpected=len(unexpected),
        tolerated=len(tolerated),
        missing_users=[str(user) for user in missing[:SAMPLE_SIZE]],
        unexpected_members=[_shortened(m) for m in unexpected[:SAMPLE_SIZE]],
    )


def _shortened(member: dict) -> dict:
    """A member with every text cell cut to 8 characters, for near-miss reports."""
    return {
        key: value[:8] + "…" if isinstance(value, str) else value
        for key, value in member.items()
    }
