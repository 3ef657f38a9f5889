"""The typed scenario: what the loader produces and the runner and checks read.

Every record carries the 1-based `line` of the YAML node it came from, so a failure
found while running can still point at the scenario text. Records are frozen; the
runner keeps its own mutable state (profile attributes, subscription settings).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Identity:
    """One identity of a profile, by its mParticle Firehose type name."""

    type: str
    value: str
    encoding: str = "raw"
    device: bool = False


@dataclass(frozen=True)
class Profile:
    """A named user: identities, attributes and the optional mpid."""

    name: str
    identities: tuple[Identity, ...]
    attributes: dict = field(default_factory=dict, hash=False)
    mpid: str | None = None
    line: int | None = None


# Steps, one record per kind.


@dataclass(frozen=True)
class Subscribe:
    audience: int
    name: str
    description: str | None = None
    settings: dict = field(default_factory=dict, hash=False)
    line: int | None = None


@dataclass(frozen=True)
class Update:
    audience: int
    name: str | None = None
    description: str | None = None
    settings: dict = field(default_factory=dict, hash=False)
    line: int | None = None


@dataclass(frozen=True)
class Unsubscribe:
    audience: int
    line: int | None = None


@dataclass(frozen=True)
class Membership:
    """Users entering (`add`) or leaving (`delete`) one or more audiences."""

    action: str
    audiences: tuple[int, ...]
    users: tuple[Profile, ...]
    batch: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class Attributes:
    """Attribute changes of members (audience action `attribute_update`)."""

    audiences: tuple[int, ...]
    users: tuple[Profile, ...]
    set: dict = field(default_factory=dict, hash=False)
    delete: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class Advance:
    seconds: float
    line: int | None = None


@dataclass(frozen=True)
class Flush:
    line: int | None = None


@dataclass(frozen=True)
class Keepalive:
    line: int | None = None


@dataclass(frozen=True)
class Fault:
    """A fault rule for the fake, or `rule=None` to clear every rule."""

    rule: dict | None = field(default=None, hash=False)
    line: int | None = None


@dataclass(frozen=True)
class FacebookChange:
    """Out-of-band changes, applied in the order written: (key, value) pairs."""

    changes: tuple[tuple[str, object], ...]
    line: int | None = None


@dataclass(frozen=True)
class Resume:
    audience: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class Checkpoint:
    expect: Expectation
    line: int | None = None


Step = (
    Subscribe
    | Update
    | Unsubscribe
    | Membership
    | Attributes
    | Advance
    | Flush
    | Keepalive
    | Fault
    | FacebookChange
    | Resume
    | Checkpoint
)


# Expectations.


@dataclass(frozen=True)
class ExpectedCell:
    """One cell of an expected member row: the value as the fake holds it.

    `written` is the scenario's text (plaintext, `sha256:<hex>` or an unhashed id);
    `value` is what the fake must hold: a digest, the id as given, or a number.
    """

    key: str
    written: object
    value: object


@dataclass(frozen=True)
class ExpectedRow:
    cells: tuple[ExpectedCell, ...]
    line: int | None = None

    def as_member(self) -> dict:
        """The member dict the fake would list for this row."""
        return {cell.key: cell.value for cell in self.cells}

    def describe(self) -> str:
        """The row as the scenario wrote it, e.g. `{EMAIL: ana@example.org}`."""
        inner = ", ".join(f"{cell.key}: {cell.written}" for cell in self.cells)
        return "{" + inner + "}"


@dataclass(frozen=True)
class AudienceExpectation:
    name: str
    members: tuple[ExpectedRow, ...] | None = None
    includes: tuple[ExpectedRow, ...] = ()
    excludes: tuple[ExpectedRow, ...] = ()
    count: int | None = None
    ad_account: str | None = None
    fields: dict = field(default_factory=dict, hash=False)
    line: int | None = None


@dataclass(frozen=True)
class ConnectionExpectation:
    state: str
    audience: int | None = None
    code: int | None = None
    subcode: int | None = None
    message: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class FindingExpectation:
    code: str
    severity: str | None = None
    count: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class RequestsExpectation:
    method: str = "*"
    path: str = "*"
    audience: str | None = None
    status: int | None = None
    count_min: int | None = None
    count_max: int | None = None
    max_rows: int | None = None
    payload_in_query: bool | None = None
    line: int | None = None


@dataclass(frozen=True)
class Expectation:
    """One `expect` block: a checkpoint or the final one."""

    audiences: tuple[AudienceExpectation, ...] = ()
    absent: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    audience_count: int | None = None
    connections: tuple[ConnectionExpectation, ...] = ()
    findings: tuple[FindingExpectation, ...] | None = None
    requests: tuple[RequestsExpectation, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class Scenario:
    """One scenario file, loaded and checked."""

    title: str
    file: Path
    steps: tuple[Step, ...]
    expect: Expectation
    tags: tuple[str, ...] = ()
    source: str | None = None
    facebook: dict | None = field(default=None, hash=False)
    connection: dict = field(default_factory=dict, hash=False)
    profiles: dict[str, Profile] = field(default_factory=dict, hash=False)
    line: int | None = None

    @property
    def id(self) -> str:
        """A stable id for reports: the file path."""
        return str(self.file)
